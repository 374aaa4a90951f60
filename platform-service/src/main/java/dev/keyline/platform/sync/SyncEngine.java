package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.platform.account.AccountConnectors;
import dev.keyline.platform.problem.ApiProblem;
import dev.keyline.platform.problem.ConnectorProblems;
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
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs syncs: one per account at a time across all replicas (a PostgreSQL lease), on a bounded executor of its
 * own, never on request threads.
 */
@ApplicationScoped
public class SyncEngine {
    private static final Logger LOG = Logger.getLogger(SyncEngine.class);
    private static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(30);

    private final SyncConfig config;
    private final SyncRunStore runs;
    private final MongoStore store;
    private final AccountConnectors accounts;
    private final Event<SyncFinished> finished;
    private final Event<DirectoryChange> changes;
    private final String replicaId;
    private final Clock clock = Clock.systemUTC();
    private final ThreadPoolExecutor executor;
    private final ScheduledExecutorService heartbeats;
    private volatile boolean stopping;

    @Inject
    public SyncEngine(
            SyncConfig config,
            SyncRunStore runs,
            MongoStore store,
            AccountConnectors accounts,
            Event<SyncFinished> finished,
            Event<DirectoryChange> changes) {
        this(
                config,
                runs,
                store,
                accounts,
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
            Event<SyncFinished> finished,
            Event<DirectoryChange> changes,
            String replicaId) {
        this.config = requireNonNull(config, "config is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.store = requireNonNull(store, "store is null");
        this.accounts = requireNonNull(accounts, "accounts is null");
        this.finished = requireNonNull(finished, "finished is null");
        this.changes = requireNonNull(changes, "changes is null");
        this.replicaId = requireNonNull(replicaId, "replicaId is null");
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(
                config.threads(),
                config.threads(),
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.queueCapacity()),
                r -> daemon(r, "keyline-sync-" + threads.incrementAndGet()));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "keyline-sync-lease"));
    }

    /** Records a queued run and hands it to the executor; a full queue fails the run at once with `sync_busy`. */
    public SyncRun enqueue(String tenantId, String accountId, Trigger trigger) {
        SyncRun run = create(tenantId, accountId, trigger);
        try {
            executor.execute(() -> execute(run));
        } catch (RejectedExecutionException e) {
            fail(run, SyncCounts.ZERO, "sync_busy", "Too many syncs are waiting on this replica; try again later.");
        }
        return run;
    }

    /** Records a run and executes it on the calling thread; returns the finished run. */
    SyncRun runNow(String tenantId, String accountId, Trigger trigger) {
        SyncRun run = create(tenantId, accountId, trigger);
        execute(run);
        return runs.find(run.id()).orElseThrow();
    }

    private SyncRun create(String tenantId, String accountId, Trigger trigger) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(trigger, "trigger is null");
        SyncRun run = runs.create("syn_" + UUID.randomUUID().toString().replace("-", ""), tenantId, accountId, trigger);
        runs.postponeSchedule(tenantId, accountId, config.scheduler().interval());
        return run;
    }

    void execute(SyncRun run) {
        if (!runs.tryAcquire(run.tenantId(), run.accountId(), replicaId, run.id(), config.lease())) {
            fail(
                    run,
                    SyncCounts.ZERO,
                    "sync_in_progress",
                    "Another sync of this account was running, so this one did not start.");
            return;
        }
        int orphans = runs.failOrphans(run.accountId(), run.id());
        if (orphans > 0) {
            LOG.warnf("Account %s: %d sync run(s) of a stopped replica marked failed", run.accountId(), orphans);
        }
        runs.markRunning(run.id(), replicaId);
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
        SyncPass pass = new SyncPass(store, run.tenantId(), run.accountId(), run.id(), clock, this::announce);
        long started = System.nanoTime();
        boolean succeeded = false;
        try {
            try (AccountConnectors.Linked linked = accounts.open(run.tenantId(), run.accountId())) {
                Runnable check = () -> {
                    if (leaseLost.get()) {
                        throw new SyncFailure(
                                "lease_lost",
                                "This replica lost the account's sync lease; nothing was marked deleted.");
                    }
                    if (stopping) {
                        throw new SyncFailure(
                                "interrupted", "The service stopped during this sync; nothing was marked deleted.");
                    }
                };
                UserDirectory users = linked.connector().require(Capability.USERS, UserDirectory.class);
                Page.stream(
                        cursor -> retrying(() -> users.listUsers(
                                UserQuery.all(config.pageSize(), true).withCursor(cursor))),
                        (Page<User> page) -> {
                            check.run();
                            pass.usersPage(page.items());
                            runs.progress(run.id(), pass.counts());
                        });
                var groups = linked.connector().capability(GroupDirectory.class);
                if (groups.isPresent()) {
                    GroupDirectory directory = groups.get();
                    Page.stream(
                            cursor -> retrying(() ->
                                    directory.listGroups(new GroupQuery(cursor, config.pageSize(), null, true, true))),
                            (Page<Group> page) -> {
                                check.run();
                                pass.groupsPage(page.items());
                                runs.progress(run.id(), pass.counts());
                            });
                }
                check.run();
                // Only here, after both listings ended without error, may absence mean deletion.
                pass.sweepDeleted(config.maxDeleteShare(), config.pageSize());
                check.run();
            }
            runs.finish(run.id(), State.SUCCEEDED, pass.counts(), null, null);
            succeeded = true;
            LOG.infof(
                    "Account %s synced in %d ms: %s",
                    run.accountId(), (System.nanoTime() - started) / 1_000_000, pass.counts());
        } catch (SyncFailure e) {
            runs.finish(run.id(), State.FAILED, pass.counts(), e.code(), e.getMessage());
        } catch (ConnectorException e) {
            // A connector's message is meant for end users and never holds a secret (the SPI's contract).
            runs.finish(run.id(), State.FAILED, pass.counts(), ConnectorProblems.code(e.code()), e.getMessage());
        } catch (ApiProblem e) {
            runs.finish(run.id(), State.FAILED, pass.counts(), e.code(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf("Account %s: sync %s failed unexpectedly (%s)", run.accountId(), run.id(), e.toString());
            runs.finish(
                    run.id(),
                    State.FAILED,
                    pass.counts(),
                    "internal_error",
                    "The sync failed unexpectedly; see the service log.");
        } finally {
            heartbeat.cancel(false);
            runs.release(run.accountId(), replicaId, run.id(), succeeded);
        }
        announceFinished(run.id());
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

    /** Stops taking work; running syncs end at their next page as failed `interrupted` and release their lease. */
    void shutdown() {
        stopping = true;
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeats.shutdownNow();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailure("interrupted", "The sync was interrupted; nothing was marked deleted.");
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
