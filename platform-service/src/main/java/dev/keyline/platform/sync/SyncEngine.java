package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.PositionalPaging;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.platform.account.AccountConnectors;
import dev.keyline.platform.account.AccountService;
import dev.keyline.platform.base.ConnectorFailures;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.sync.SyncEvents.DirectoryChange;
import dev.keyline.platform.sync.SyncEvents.SyncFinished;
import dev.keyline.platform.sync.SyncRun.State;
import dev.keyline.platform.sync.SyncRun.SyncCounts;
import dev.keyline.platform.sync.SyncRun.Trigger;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
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
    private static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(30);
    private static final Duration PROGRESS_EVERY = Duration.ofMillis(200);
    /** Connector failures that say the account itself no longer works, whatever the provider's health. */
    private static final Set<ErrorCode> ACCOUNT_ERRORS = Set.of(ErrorCode.INVALID_CREDENTIALS, ErrorCode.API_DISABLED);

    private final SyncConfig config;
    private final SyncRunStore runs;
    private final MongoStore store;
    private final AccountConnectors accounts;
    private final AccountService accountStatus;
    private final SyncPurger purger;
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

    private final ScheduledExecutorService heartbeats;
    private volatile boolean stopping;

    @Inject
    public SyncEngine(
            SyncConfig config,
            SyncRunStore runs,
            MongoStore store,
            AccountConnectors accounts,
            AccountService accountStatus,
            SyncPurger purger,
            Event<SyncFinished> finished,
            Event<DirectoryChange> changes) {
        this(
                config,
                runs,
                store,
                accounts,
                accountStatus,
                purger,
                finished,
                changes,
                config.replicaId().orElse("replica-" + UUID.randomUUID()));
    }

    /** A second engine under another replica name, as a second service instance would have. */
    SyncEngine(
            SyncConfig config,
            SyncRunStore runs,
            MongoStore store,
            AccountConnectors accounts,
            AccountService accountStatus,
            SyncPurger purger,
            Event<SyncFinished> finished,
            Event<DirectoryChange> changes,
            String replicaId) {
        this.config = requireNonNull(config, "config is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.store = requireNonNull(store, "store is null");
        this.accounts = requireNonNull(accounts, "accounts is null");
        this.accountStatus = requireNonNull(accountStatus, "accountStatus is null");
        this.purger = requireNonNull(purger, "purger is null");
        this.finished = requireNonNull(finished, "finished is null");
        this.changes = requireNonNull(changes, "changes is null");
        this.replicaId = requireNonNull(replicaId, "replicaId is null");
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
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "keyline-sync-lease"));
        // A run queued behind a replica that died waits for that lease to expire, and nothing else may wake a
        // worker then (the scheduler can be off): look now and then, whatever the scheduler does.
        long check = config.queueCheck().toMillis();
        if (check > 0) {
            heartbeats.scheduleWithFixedDelay(this::wake, check, check, TimeUnit.MILLISECONDS);
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
        AtomicBoolean leaseLost = new AtomicBoolean();
        long every = Math.max(100, config.lease().toMillis() / 3);
        ScheduledFuture<?> heartbeat = heartbeats.scheduleAtFixedRate(
                () -> {
                    try {
                        if (!runs.renew(run.accountId(), replicaId, run.id(), config.lease())) {
                            leaseLost.set(true);
                        }
                    } catch (RuntimeException e) {
                        // A database hiccup: the next beat tries again before the lease runs out.
                        LOG.warnf(
                                "Account %s: could not renew the sync lease (%s)",
                                run.accountId(), e.getClass().getSimpleName());
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
        SyncPass pass = new SyncPass(store, run.tenantId(), run.accountId(), run.id(), clock, this::announce, writers);
        AtomicLong progressed = new AtomicLong(System.nanoTime());
        // Progress is for people watching a run: written at most every PROGRESS_EVERY, and where a listing ends.
        Runnable progress = () -> {
            long now = System.nanoTime();
            if (now - progressed.get() >= PROGRESS_EVERY.toNanos()) {
                progressed.set(now);
                runs.progress(run.id(), pass.counts());
            }
        };
        long started = System.nanoTime();
        boolean succeeded = false;
        try {
            try (AccountConnectors.Linked linked = accounts.open(run.tenantId(), run.accountId())) {
                Runnable check = () -> {
                    if (!runs.stillHolds(run.accountId(), replicaId, run.id())) {
                        leaseLost.set(true);
                        if (!runs.accountLinked(run.accountId())) {
                            throw new SyncFailure(
                                    FailureCode.ACCOUNT_UNLINKED,
                                    "The account was unlinked during this sync; the sync stopped and its data was"
                                            + " dropped.");
                        }
                    }
                    if (leaseLost.get()) {
                        throw new SyncFailure(
                                FailureCode.LEASE_LOST,
                                "This replica lost the account's sync lease; nothing was marked deleted.");
                    }
                    if (stopping) {
                        throw new SyncFailure(
                                FailureCode.INTERRUPTED,
                                "The service stopped during this sync; nothing was marked deleted.");
                    }
                };
                UserDirectory users = linked.connector().require(Capability.USERS, UserDirectory.class);
                Optional<PositionalPaging> positional = linked.connector().capability(PositionalPaging.class);
                walk(
                        cursor -> users.listUsers(
                                UserQuery.all(config.pageSize(), true).withCursor(cursor)),
                        SyncPass::users,
                        positions(positional, Capability.USERS),
                        page -> {
                            check.run();
                            pass.usersApply(page);
                            progress.run();
                        },
                        pass,
                        run);
                var groups = linked.connector().capability(GroupDirectory.class);
                if (groups.isPresent()) {
                    GroupDirectory directory = groups.get();
                    walk(
                            cursor -> directory.listGroups(new GroupQuery(cursor, config.pageSize(), null, true, true)),
                            SyncPass::groups,
                            positions(positional, Capability.GROUPS),
                            page -> {
                                check.run();
                                pass.groupsApply(page);
                                progress.run();
                            },
                            pass,
                            run);
                }
                check.run();
                // Only here, after both listings ended without error, may absence mean deletion.
                pass.sweepDeleted(
                        run.confirmDeletions() ? Double.POSITIVE_INFINITY : config.maxDeleteShare(), config.pageSize());
                check.run();
            } finally {
                // A failed run records what was written: the page still being written first ends.
                pass.settleQuietly();
                // Before the run's end is recorded, so whoever sees it ended also sees an unlinked account empty.
                purgeIfUnlinked(run);
            }
            runs.finish(run.id(), State.SUCCEEDED, pass.counts(), null, null);
            succeeded = true;
            settleAccount(run, () -> accountStatus.markSyncSucceeded(run.tenantId(), run.accountId()));
            LOG.infof(
                    "Account %s synced in %d ms: %s",
                    run.accountId(), (System.nanoTime() - started) / 1_000_000, pass.counts());
        } catch (SyncFailure e) {
            runs.finish(run.id(), State.FAILED, pass.counts(), e.code(), e.getMessage());
            if (FailureCode.DELETION_GUARD.wire().equals(e.code())) {
                settleAccount(
                        run,
                        () -> accountStatus.markSyncFailed(
                                run.tenantId(), run.accountId(), e.code(), e.getMessage(), null));
            }
        } catch (ConnectorException e) {
            // A connector's message is meant for end users and never holds a secret (the SPI's contract).
            String code = ConnectorFailures.code(e.code());
            runs.finish(run.id(), State.FAILED, pass.counts(), code, e.getMessage());
            if (ACCOUNT_ERRORS.contains(e.code())) {
                // The provider no longer accepts the account: it goes to `error` now, not at the next daily check.
                settleAccount(
                        run,
                        () -> accountStatus.markSyncFailed(
                                run.tenantId(),
                                run.accountId(),
                                code,
                                e.getMessage(),
                                e.field().orElse(null)));
            }
        } catch (KeylineException e) {
            runs.finish(run.id(), State.FAILED, pass.counts(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf("Account %s: sync %s failed unexpectedly (%s)", run.accountId(), run.id(), e.toString());
            runs.finish(
                    run.id(),
                    State.FAILED,
                    pass.counts(),
                    FailureCode.INTERNAL_ERROR.wire(),
                    "The sync failed unexpectedly; see the service log.");
        } finally {
            heartbeat.cancel(false);
            runs.release(run.accountId(), replicaId, run.id(), succeeded);
        }
        announceFinished(run.id());
    }

    /**
     * An unlink purges the account's data while a page may be in flight; the run's last write is behind it once
     * its writes have settled, so purging again then leaves nothing behind.
     */
    private void purgeIfUnlinked(SyncRun run) {
        try {
            if (!runs.accountLinked(run.accountId())) {
                purger.purge(run.tenantId(), run.accountId());
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Account %s: could not purge after an unlink (%s)",
                    run.accountId(), e.getClass().getSimpleName());
        }
    }

    /** Records the run's outcome on the account; the run is already recorded, so a failure here is only logged. */
    private void settleAccount(SyncRun run, Runnable update) {
        try {
            update.run();
        } catch (KeylineException e) {
            // Unlinked meanwhile: nothing to record.
            LOG.debugf("Account %s: status not updated after sync (%s)", run.accountId(), e.code());
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Account %s: could not record the sync's outcome on the account (%s)",
                    run.accountId(), e.getClass().getSimpleName());
        }
    }

    /**
     * Walks one listing to its end: each page fetched with retries, its records built and hashed on the fetching
     * thread (so the sync thread only writes), then applied in order; returns once its last records are written.
     */
    private <T> void walk(
            Function<String, Page<T>> list,
            Function<List<T>, List<SyncPass.Incoming>> build,
            PrefetchingPages.Positions<SyncPass.Incoming> positions,
            Consumer<List<SyncPass.Incoming>> apply,
            SyncPass pass,
            SyncRun run) {
        PrefetchingPages.stream(
                cursor -> {
                    Page<T> page = retrying(() -> list.apply(cursor));
                    return new Page<>(build.apply(page.items()), page.next());
                },
                positions,
                fetchConcurrency(),
                page -> apply.accept(page.items()),
                prefetch);
        pass.settle();
        runs.progress(run.id(), pass.counts());
    }

    private int fetchConcurrency() {
        return Math.max(1, config.fetchConcurrency());
    }

    /** How pages of a positional listing are predicted; null (follow the cursors) for any other directory. */
    private PrefetchingPages.Positions<SyncPass.Incoming> positions(
            Optional<PositionalPaging> positional, Capability listing) {
        if (positional.isEmpty() || fetchConcurrency() == 1) {
            return null;
        }
        PositionalPaging paging = positional.get();
        int pageSize = config.pageSize();
        return new PrefetchingPages.Positions<>(
                cursor -> paging.cursorAfter(listing, cursor, pageSize),
                (predicted, actual, items) -> paging.answers(
                        listing,
                        predicted,
                        actual,
                        items.stream().map(SyncPass.Incoming::remoteId).toList()));
    }

    /** One page, retried after a retryable failure with the provider's delay or an exponential one. */
    private <T> T retrying(Supplier<T> fetch) {
        Duration delay = config.pageRetryDelay();
        for (int attempt = 0; ; attempt++) {
            try {
                return fetch.get();
            } catch (ConnectorException e) {
                if (!e.code().retryable() || attempt >= config.pageRetries() || stopping) {
                    throw e;
                }
                Duration wait = e.retryAfter().orElse(delay);
                if (wait.compareTo(MAX_RETRY_WAIT) > 0) {
                    throw e;
                }
                sleep(wait);
                delay = delay.multipliedBy(2);
            }
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
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeats.shutdownNow();
        prefetch.shutdownNow();
        writers.shutdown();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailure(FailureCode.INTERRUPTED, "The sync was interrupted; nothing was marked deleted.");
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
