package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Renews the leases of one engine's running syncs: one scheduler job per engine beats for all of them every third
 * of the lease, so a run holds its account while it lives and loses it soon after its replica dies. An engine of
 * its own (a second replica in tests) has its own job, named after its replica.
 */
final class LeaseHeartbeat {
    private static final Logger LOG = Logger.getLogger(LeaseHeartbeat.class);

    private final Scheduler scheduler;
    private final SyncRunStore runs;
    private final String replicaId;
    private final Duration lease;
    private final String jobId;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    LeaseHeartbeat(Scheduler scheduler, SyncRunStore runs, String replicaId, Duration lease) {
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.replicaId = requireNonNull(replicaId, "replicaId is null");
        this.lease = requireNonNull(lease, "lease is null");
        this.jobId = "keyline-sync-lease-" + replicaId;
        long every = Math.max(100, lease.toMillis() / 3);
        scheduler
                .newJob(jobId)
                .setInterval(every + "ms")
                .setDelayed(every + "ms")
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setTask(execution -> beat())
                .schedule();
    }

    /** The lease of a run this engine holds, renewed until it is closed. */
    final class Held implements AutoCloseable {
        private final SyncRun run;
        private volatile boolean lost;

        private Held(SyncRun run) {
            this.run = run;
        }

        /** Whether a beat found the lease taken over (or gone). */
        boolean lost() {
            return lost;
        }

        void markLost() {
            lost = true;
        }

        /** Stops renewing; the lease itself is released by the engine. */
        @Override
        public void close() {
            held.remove(run.id(), this);
        }
    }

    /** Starts renewing the run's lease, which this engine has just taken. */
    Held hold(SyncRun run) {
        Held h = new Held(run);
        held.put(run.id(), h);
        return h;
    }

    /** Stops the job: no beat runs after the engine has stopped. */
    void stop() {
        scheduler.unscheduleJob(jobId);
    }

    private void beat() {
        for (Held h : held.values()) {
            try {
                if (!runs.renew(h.run.accountId(), replicaId, h.run.id(), lease)) {
                    h.markLost();
                }
            } catch (RuntimeException e) {
                // A database hiccup: the next beat tries again before the lease runs out.
                LOG.warnf(
                        "Account %s: could not renew the sync lease (%s)",
                        h.run.accountId(), e.getClass().getSimpleName());
            }
        }
    }
}
