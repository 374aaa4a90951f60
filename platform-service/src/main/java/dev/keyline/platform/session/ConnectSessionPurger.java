package dev.keyline.platform.session;

import dev.keyline.platform.db.NativeSql;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes connect sessions long past their expiry, which nothing can use any more: without it the table grows by
 * every session ever created. Every replica purges; the deletes are idempotent, so they need no coordination. Rows
 * go in small batches, each its own statement, so a large backlog never holds locks for long.
 */
@ApplicationScoped
public class ConnectSessionPurger {
    private static final Logger LOG = Logger.getLogger(ConnectSessionPurger.class);
    private static final int BATCH = 1000;

    private final ConnectConfig config;
    private final NativeSql sql;
    private final Clock clock = Clock.systemUTC();
    private volatile boolean stopped;

    public ConnectSessionPurger(ConnectConfig config, NativeSql sql) {
        this.config = config;
        this.sql = sql;
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    /** The periodic purge; {@code purge-interval} 0 turns it off (the scheduler would otherwise fire each second). */
    @Scheduled(
            identity = "keyline-session-purge",
            every = "${keyline.connect.purge-interval}",
            delayed = "${keyline.connect.purge-interval}",
            concurrentExecution = ConcurrentExecution.SKIP)
    void tick() {
        if (stopped || config.purgeInterval().toMillis() <= 0) {
            return;
        }
        try {
            int purged = purge(clock.instant());
            if (purged > 0) {
                LOG.infof("Deleted %d connect session(s) expired more than %s ago", purged, config.purgeAfter());
            }
        } catch (RuntimeException e) {
            LOG.warnf("Purging expired connect sessions failed (%s); the next run tries again", e.toString());
        }
    }

    /** Deletes the sessions that expired before {@code now} minus the retention; returns how many. */
    public int purge(Instant now) {
        Instant cutoff = now.minus(config.purgeAfter());
        int total = 0;
        int deleted;
        do {
            deleted = sql.update(
                    "delete from connect_sessions where id in"
                            + " (select id from connect_sessions where expires_at < ? limit " + BATCH + ")",
                    cutoff);
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }
}
