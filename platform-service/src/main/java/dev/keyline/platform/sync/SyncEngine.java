package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.UserChangeFeed;
import dev.keyline.platform.account.AccountConnectors;
import dev.keyline.platform.account.AccountStatusTransitions;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.connector.GuardedConnector;
import dev.keyline.platform.observe.KeylineMetrics;
import dev.keyline.platform.sync.SyncEvents.DirectoryChange;
import dev.keyline.platform.sync.SyncEvents.SyncFinished;
import dev.keyline.platform.sync.SyncRun.State;
import dev.keyline.platform.sync.SyncRun.SyncCounts;
import dev.keyline.platform.sync.SyncRun.Trigger;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Runs syncs: one per account at a time across all replicas (a PostgreSQL lease), on a bounded executor of its
 * own, never on request threads.
 *
 * <p>Runs wait in PostgreSQL, not in this replica's memory: an account has at most one queued run (asking again
 * joins it), and each worker, when free, claims the next run in turn across tenants ({@link
 * SyncRunStore#claimNext}), whichever replica queued it. The queue is therefore bounded by the number of accounts,
 * survives a replica's stop, and never refuses a run it accepted; one tenant's backlog delays another tenant's run by
 * at most the time until a slot frees, not by the backlog.
 */
@ApplicationScoped
public class SyncEngine {
    private static final Logger LOG = Logger.getLogger(SyncEngine.class);

    private final SyncConfig config;
    private final SyncRunStore runs;
    private final MongoStore store;
    private final AccountConnectors accounts;
    private final Event<SyncFinished> finished;
    private final Event<DirectoryChange> changes;
    private final String replicaId;
    private final Clock clock = Clock.systemUTC();
    private final ThreadPoolExecutor executor;
    /** Workers handed to the executor that have not yet looked for a run; more than {@code threads} would be idle. */
    private final AtomicInteger waking = new AtomicInteger();
    /** Fetches each run's next pages while the run stores the current one: fetch-concurrency tasks per sync at most. */
    private final ThreadPoolExecutor prefetch;

    /** Writes each run's records of one page while the run logs the next: one task per running sync at most. */
    private final ThreadPoolExecutor writers;

    private final Scheduler scheduler;
    private final LeaseHeartbeat heartbeat;
    private final ListingWalks walks;
    private final IncrementalRuns incremental;
    private final RunOutcome outcome;

    /** Set by CDI after construction; null in an engine a test makes by hand, which then counts nothing. */
    @Inject
    KeylineMetrics metrics;
    /** The scheduler job that looks at the queue now and then; null when {@code queue-check} is 0. */
    private final String queueCheckJob;

    private volatile boolean stopping;

    @Inject
    public SyncEngine(
            SyncConfig config,
            SyncRunStore runs,
            MongoStore store,
            AccountConnectors accounts,
            AccountStatusTransitions accountStatus,
            SyncPurger purger,
            Event<SyncFinished> finished,
            Event<DirectoryChange> changes,
            Scheduler scheduler) {
        this(
                config,
                runs,
                store,
                accounts,
                accountStatus,
                purger,
                finished,
                changes,
                scheduler,
                config.replicaId().orElse("replica-" + UUID.randomUUID()));
    }

    /** A second engine under another replica name, as a second service instance would have. */
    SyncEngine(
            SyncConfig config,
            SyncRunStore runs,
            MongoStore store,
            AccountConnectors accounts,
            AccountStatusTransitions accountStatus,
            SyncPurger purger,
            Event<SyncFinished> finished,
            Event<DirectoryChange> changes,
            Scheduler scheduler,
            String replicaId) {
        this.config = requireNonNull(config, "config is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.store = requireNonNull(store, "store is null");
        this.accounts = requireNonNull(accounts, "accounts is null");
        this.finished = requireNonNull(finished, "finished is null");
        this.changes = requireNonNull(changes, "changes is null");
        this.replicaId = requireNonNull(replicaId, "replicaId is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.outcome = new RunOutcome(runs, accountStatus, purger, () -> metrics);
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(
                config.threads(),
                config.threads(),
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> daemon(r, "keyline-sync-" + threads.incrementAndGet()));
        AtomicInteger fetcherNames = new AtomicInteger();
        int fetchers = Math.max(1, config.threads() * Math.max(1, config.fetchConcurrency()));
        this.prefetch = new ThreadPoolExecutor(
                fetchers,
                fetchers,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> daemon(r, "keyline-sync-fetch-" + fetcherNames.incrementAndGet()));
        this.prefetch.allowCoreThreadTimeOut(true);
        AtomicInteger writerNames = new AtomicInteger();
        this.writers = new ThreadPoolExecutor(
                config.threads(),
                config.threads(),
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                r -> daemon(r, "keyline-sync-write-" + writerNames.incrementAndGet()));
        this.writers.allowCoreThreadTimeOut(true);
        this.walks = new ListingWalks(
                config,
                runs,
                new PageRetry(config.pageRetries(), config.pageRetryDelay(), () -> stopping, this::retrying),
                prefetch);
        this.incremental = new IncrementalRuns(config, runs, store, walks, clock);
        this.heartbeat = new LeaseHeartbeat(scheduler, runs, replicaId, config.lease());
        // A run queued behind a replica that died waits for that lease to expire, and nothing else may wake a
        // worker then (the sync scheduler can be off): look now and then, whatever that scheduler does. A job per
        // engine, not a @Scheduled method: a second engine (a replica in tests) looks at the queue on its own.
        long check = config.queueCheck().toMillis();
        if (check > 0) {
            this.queueCheckJob = "keyline-sync-queue-check-" + replicaId;
            scheduler
                    .newJob(queueCheckJob)
                    .setInterval(check + "ms")
                    .setDelayed(check + "ms")
                    .setConcurrentExecution(ConcurrentExecution.SKIP)
                    .setTask(execution -> wake())
                    .schedule();
        } else {
            this.queueCheckJob = null;
        }
    }

    /** Queues a run of the account, or returns the one already queued for it. */
    public SyncRun enqueue(String tenantId, String accountId, Trigger trigger) {
        return enqueue(tenantId, accountId, trigger, false).run();
    }

    /**
     * Queues a run of the account, or joins the one already queued for it (then {@code joined}, and
     * {@code confirmDeletions} carries over to it), and wakes a worker. Never refuses: the run waits in PostgreSQL
     * until a worker of some replica is free.
     */
    public SyncRunStore.Queued enqueue(String tenantId, String accountId, Trigger trigger, boolean confirmDeletions) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(trigger, "trigger is null");
        SyncRunStore.Queued queued = runs.queue(newRunId(), tenantId, accountId, trigger, confirmDeletions);
        if (!queued.joined()) {
            runs.postponeSchedule(tenantId, accountId, config.scheduler().interval());
        }
        wake();
        return queued;
    }

    /**
     * Has a worker look for queued runs unless enough already will. A worker not yet started claims after this
     * call, so it sees every run queued before it: skipping the hand-off then loses no run.
     */
    public void wake() {
        if (stopping) {
            return;
        }
        if (waking.incrementAndGet() > config.threads()) {
            waking.decrementAndGet();
            return;
        }
        try {
            executor.execute(this::work);
        } catch (RejectedExecutionException e) {
            waking.decrementAndGet();
        }
    }

    /** Claims and runs queued runs, in turn across tenants, until none is left that may start. */
    private void work() {
        waking.decrementAndGet();
        while (!stopping) {
            Optional<SyncRun> next;
            try {
                next = runs.claimNext(replicaId, config.lease());
            } catch (RuntimeException e) {
                // The database is unreachable: the runs stay queued for the next wake or the scheduler's tick.
                LOG.warnf("Could not claim a queued sync run (%s)", e.getClass().getSimpleName());
                return;
            }
            if (next.isEmpty()) {
                return;
            }
            runHeld(next.get());
        }
    }

    /** Records a run and executes it on the calling thread; returns the finished run. */
    SyncRun runNow(String tenantId, String accountId, Trigger trigger) {
        return runNow(tenantId, accountId, trigger, false);
    }

    SyncRun runNow(String tenantId, String accountId, Trigger trigger, boolean confirmDeletions) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(trigger, "trigger is null");
        SyncRun run = runs.createRunning(newRunId(), tenantId, accountId, trigger, confirmDeletions, replicaId);
        runs.postponeSchedule(tenantId, accountId, config.scheduler().interval());
        execute(run);
        // A run queued meanwhile waited for this one's lease.
        wake();
        return runs.find(run.id()).orElseThrow();
    }

    private static String newRunId() {
        return "syn_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** Takes the account's lease for a run that did not come through the queue, then runs it. */
    void execute(SyncRun run) {
        if (!runs.tryAcquire(run.tenantId(), run.accountId(), replicaId, run.id(), config.lease())) {
            fail(
                    run,
                    SyncCounts.ZERO,
                    FailureCode.SYNC_IN_PROGRESS.wire(),
                    "Another sync of this account was running, so this one did not start.");
            return;
        }
        runs.markRunning(run.id(), replicaId);
        runHeld(run);
    }

    /** Runs a run whose lease this replica holds and which is marked running. */
    private void runHeld(SyncRun run) {
        int orphans = runs.failOrphans(run.accountId(), run.id());
        if (orphans > 0) {
            LOG.warnf("Account %s: %d sync run(s) of a stopped replica marked failed", run.accountId(), orphans);
        }
        SyncPass pass = new SyncPass(store, run.tenantId(), run.accountId(), run.id(), clock, this::announce, writers);
        boolean succeeded = false;
        try (LeaseHeartbeat.Held lease = heartbeat.hold(run)) {
            RunCancellation cancellation = new RunCancellation(runs, replicaId, run, lease, () -> stopping);
            succeeded = outcome.record(run, pass, () -> sync(run, pass, cancellation));
        } finally {
            runs.release(run.accountId(), replicaId, run.id(), succeeded);
        }
        announceFinished(run.id());
    }

    private void retrying(String provider, dev.keyline.connector.spi.ConnectorException failure, Duration wait) {
        KeylineMetrics counted = metrics;
        if (counted == null) {
            return;
        }
        counted.upstreamRetry(provider, failure.code().name().toLowerCase(java.util.Locale.ROOT));
        if (failure.retryAfter().isPresent()) {
            counted.rateLimitWait(provider, wait);
        }
    }

    /** All listings, then the deletion sweep: only after all ended without error may absence mean deletion. */
    private void sync(SyncRun run, SyncPass pass, RunCancellation cancellation) {
        try (AccountConnectors.Linked linked = accounts.open(run.tenantId(), run.accountId())) {
            Connector connector = linked.connector();
            connector
                    .capability(GuardedConnector.class)
                    .map(GuardedConnector::connectorId)
                    .ifPresent(pass::provider);
            Optional<UserChangeFeed> feed = connector.capability(UserChangeFeed.class);
            if (feed.isPresent() && incremental.syncedChangesOnly(connector, feed.get(), run, pass, cancellation)) {
                return;
            }
            // Taken before the walk: whatever changes during it is read again by the next incremental run.
            String watermark =
                    feed.flatMap(f -> IncrementalRuns.watermarkNow(f, run)).orElse(null);
            walks.walkAll(connector, run, pass, cancellation::check);
            cancellation.check();
            pass.sweepDeleted(
                    run.confirmDeletions() ? Double.POSITIVE_INFINITY : config.maxDeleteShare(), config.pageSize());
            cancellation.check();
            pass.recordMembershipSource();
            if (watermark != null) {
                UserWatermarks.afterFull(store, run.tenantId(), run.accountId(), watermark, clock.instant());
            }
        } finally {
            // A failed run records what was written: the page still being written first ends.
            pass.settleQuietly();
            // Before the run's end is recorded, so whoever sees it ended also sees an unlinked account empty.
            outcome.purgeIfUnlinked(run);
        }
    }

    private void fail(SyncRun run, SyncCounts counts, String code, String message) {
        runs.finish(run.id(), State.FAILED, counts, code, message);
        announceFinished(run.id());
    }

    private void announce(DirectoryChange change) {
        try {
            changes.fire(change);
        } catch (RuntimeException e) {
            LOG.warnf(
                    "An observer of directory changes failed (%s)", e.getClass().getSimpleName());
        }
    }

    private void announceFinished(String runId) {
        try {
            runs.find(runId).ifPresent(r -> finished.fire(new SyncFinished(r)));
        } catch (RuntimeException e) {
            LOG.warnf("An observer of sync outcomes failed (%s)", e.getClass().getSimpleName());
        }
    }

    @PreDestroy
    void stop() {
        shutdown();
    }

    /**
     * Stops taking work; running syncs end at their next page as failed `interrupted` and release their lease. Runs
     * still queued stay queued for the other replicas, or for this one's next start.
     */
    void shutdown() {
        stopping = true;
        if (queueCheckJob != null) {
            scheduler.unscheduleJob(queueCheckJob);
        }
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Runs still ending keep their leases until here.
        heartbeat.stop();
        prefetch.shutdownNow();
        writers.shutdown();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
