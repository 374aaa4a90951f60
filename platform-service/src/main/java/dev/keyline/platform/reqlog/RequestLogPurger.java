package dev.keyline.platform.reqlog;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Keeps the request log bounded: entries older than the retention go, and beyond the newest
 * {@code max-per-account} of an account (or of a tenant's link attempts) the rest go. Every replica purges; the
 * deletes are idempotent.
 */
@ApplicationScoped
public class RequestLogPurger {
    private static final Logger LOG = Logger.getLogger(RequestLogPurger.class);

    private final RequestLogConfig config;
    private final RequestLogStore store;
    private final Clock clock = Clock.systemUTC();

    public RequestLogPurger(RequestLogConfig config, RequestLogStore store) {
        this.config = config;
        this.store = store;
    }

    @Scheduled(
            identity = "keyline-request-log-purge",
            every = "${keyline.request-log.purge-interval:10m}",
            delayed = "${keyline.request-log.purge-interval:10m}",
            concurrentExecution = ConcurrentExecution.SKIP)
    void tick() {
        if (config.purgeInterval().toMillis() <= 0) {
            return;
        }
        try {
            purge(clock.instant());
        } catch (RuntimeException e) {
            LOG.warnf("Purging the request log failed (%s); the next run tries again", e.toString());
        }
    }

    /** Enforces the retention as of {@code now} and the cap per account; returns how many entries went. */
    public int purge(Instant now) {
        int purged = store.purgeOlderThan(now.minus(config.retention())) + store.purgeBeyond(config.maxPerAccount());
        if (purged > 0) {
            LOG.debugf("Deleted %d request log entries", purged);
        }
        return purged;
    }
}
