package dev.keyline.platform.idempotency;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Deletes expired keys and their kept answers, which nothing replays any more: without it both grow by every keyed
 * request. Every replica purges; each deletion is idempotent, so they need no coordination.
 */
@ApplicationScoped
public class IdempotencyPurger {
    private static final Logger LOG = Logger.getLogger(IdempotencyPurger.class);

    private final IdempotencyConfig config;
    private final IdempotencyStore store;
    private final Clock clock = Clock.systemUTC();
    private volatile boolean stopped;

    IdempotencyPurger(IdempotencyConfig config, IdempotencyStore store) {
        this.config = config;
        this.store = store;
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    /** The periodic purge; {@code purge-interval} 0 turns it off (the scheduler would otherwise fire each second). */
    @Scheduled(
            identity = "keyline-idempotency-purge",
            every = "${keyline.idempotency.purge-interval}",
            delayed = "${keyline.idempotency.purge-interval}",
            concurrentExecution = ConcurrentExecution.SKIP)
    void tick() {
        if (stopped || config.purgeInterval().toMillis() <= 0) {
            return;
        }
        try {
            int purged = store.purge(clock.instant());
            if (purged > 0) {
                LOG.infof("Deleted %d expired Idempotency-Key(s) and their kept answers", purged);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Purging expired Idempotency-Keys failed (%s); the next run tries again", e.toString());
        }
    }
}
