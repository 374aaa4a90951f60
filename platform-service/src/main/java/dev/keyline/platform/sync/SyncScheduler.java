package dev.keyline.platform.sync;

import dev.keyline.platform.account.AccountLinked;
import dev.keyline.platform.sync.SyncRun.Trigger;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Starts syncs: an initial one when an account is linked, and scheduled ones when an account's interval has
 * passed. Every replica runs a scheduler; the due-time claim in PostgreSQL makes one of them start each run.
 */
@ApplicationScoped
public class SyncScheduler {
    private static final Logger LOG = Logger.getLogger(SyncScheduler.class);
    private static final int CLAIM_BATCH = 50;
    private static final Duration NEW_ACCOUNT_GRACE = Duration.ofMinutes(1);

    private final SyncConfig config;
    private final SyncEngine engine;
    private final SyncRunStore runs;
    private volatile boolean stopped;

    public SyncScheduler(SyncConfig config, SyncEngine engine, SyncRunStore runs) {
        this.config = config;
        this.engine = engine;
        this.runs = runs;
    }

    void onLinked(@Observes AccountLinked event) {
        if (!config.onLink() || !event.created()) {
            return;
        }
        try {
            engine.enqueue(event.tenantId(), event.accountId(), Trigger.INITIAL);
        } catch (RuntimeException e) {
            // The link succeeded; the scheduler will sync the account at its next tick.
            LOG.warnf(
                    "Account %s: could not queue the initial sync (%s)",
                    event.accountId(), e.getClass().getSimpleName());
        }
    }

    void start(@Observes StartupEvent event) {
        // Runs left queued by a previous start, or by a replica that stopped, wait in PostgreSQL for a worker.
        engine.wake();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    /** The periodic tick, on a worker thread; off with {@code keyline.sync.scheduler.enabled}. */
    @Scheduled(
            identity = "keyline-sync-scheduler",
            every = "${keyline.sync.scheduler.tick}",
            delayed = "${keyline.sync.scheduler.tick}",
            concurrentExecution = ConcurrentExecution.SKIP)
    void scheduledTick() {
        if (config.scheduler().enabled() && !stopped) {
            tick();
        }
    }

    void tick() {
        try {
            int reaped = runs.reapAbandoned();
            if (reaped > 0) {
                LOG.infof("%d abandoned sync run(s) marked failed", reaped);
            }
            // With syncs on link, a new account's first sync is the initial one; the scheduler only steps in
            // if that could not be queued.
            Duration grace = config.onLink() ? NEW_ACCOUNT_GRACE : Duration.ZERO;
            for (SyncRunStore.DueAccount due : runs.claimDue(config.scheduler().interval(), CLAIM_BATCH, grace)) {
                engine.enqueue(due.tenantId(), due.accountId(), Trigger.SCHEDULED);
            }
            // Queued runs of a replica that stopped, or of an account whose lease has just expired.
            engine.wake();
        } catch (RuntimeException e) {
            LOG.warnf("The sync scheduler's tick failed (%s); it tries again at the next one", e.toString());
        }
    }
}
