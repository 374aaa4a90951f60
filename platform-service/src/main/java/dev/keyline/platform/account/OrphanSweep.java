package dev.keyline.platform.account;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.credential.CredentialStore.EntryKey;
import dev.keyline.platform.credential.CredentialStore.Namespace;
import dev.keyline.platform.credential.CredentialStoreException;
import dev.keyline.platform.credential.CredentialsConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Destroys stored credentials that no usable account stands behind. A link stores the credentials before it
 * commits the account's row and an unlink marks the row before it destroys them, so a crash (or a failed
 * clean-up) between the two steps leaves a secret in Vault or the local store that nothing would ever remove.
 *
 * <p>An entry is destroyed when its tenant has no row with its account id (never inserted, or gone with a deleted
 * tenant) and it was last written longer than the grace ago, so a link still in flight keeps what it just stored;
 * or when that row is unlinked, which is final. Everything else is left alone. One replica sweeps at a time
 * (a session-level PostgreSQL advisory lock, released when the run ends or its connection dies); a run is
 * idempotent anyway. Each run examines a bounded number of entries, page by page, and the next run resumes
 * after the last one. Logs carry counts only.
 *
 * <p>It owns account credentials and nothing else: it lists {@link Namespace#ACCOUNTS} only, and skips there the
 * webhook signing secrets that versions before namespaces kept beside them ({@link
 * CredentialStore#LEGACY_WEBHOOK_PREFIX}). Whether a subscription still stands behind a signing secret is the
 * webhook code's business (it deletes the secret with the subscription; a tenant's deletion takes all of them).
 */
// Plain JDBC for the advisory lock only: a session-level lock needs one connection held outside any transaction.
@ApplicationScoped
public class OrphanSweep {
    private static final Logger LOG = Logger.getLogger(OrphanSweep.class);
    /** Arbitrary but fixed: the advisory lock key every replica agrees on ("keyline-orphans" folded to 64 bits). */
    static final long LOCK_KEY = 0x6b6c2d6f7270686eL;

    private static final int PAGE = 200;

    private final CredentialStore store;
    private final AccountStatuses accounts;
    private final DataSource dataSource;
    private final Duration grace;
    private final Duration interval;
    private final int maxEntries;
    private final Clock clock;
    private volatile EntryKey resumeAfter;
    private volatile boolean stopped;

    @Inject
    OrphanSweep(CredentialsConfig config, CredentialStore store, DataSource dataSource) {
        this(
                store,
                dataSource,
                config.effectiveOrphanGrace(),
                config.orphanSweepInterval(),
                config.orphanSweepMaxEntries(),
                Clock.systemUTC());
    }

    OrphanSweep(
            CredentialStore store,
            DataSource dataSource,
            Duration grace,
            Duration interval,
            int maxEntries,
            Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
        this.accounts = new AccountStatuses(dataSource);
        this.grace = requireNonNull(grace, "grace is null");
        this.interval = requireNonNull(interval, "interval is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("keyline.credentials.orphan-grace must not be negative");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("keyline.credentials.orphan-sweep-max-entries must be positive");
        }
        this.maxEntries = maxEntries;
    }

    /** What one run did; counts only. */
    public record Result(
            int examined,
            int destroyedUnlinked,
            int destroyedWithoutAccount,
            int keptWithinGrace,
            int failed,
            boolean reachedEnd) {
        public int destroyed() {
            return destroyedUnlinked + destroyedWithoutAccount;
        }
    }

    void start(@Observes StartupEvent event) {
        if (!scheduled()) {
            LOG.info("Credential orphan sweep is off (keyline.credentials.orphan-sweep-interval)");
            return;
        }
        // What a crash left behind is most likely found just after the restart: the first run starts now, on a
        // worker, rather than at the scheduler's first look, which comes only after the service reports ready.
        Infrastructure.getDefaultWorkerPool().execute(() -> sweep(true));
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
    }

    private final AtomicLong lastStartedNanos = new AtomicLong();

    /** Whether runs are scheduled (false when the interval is 0/off, or once the service stops). */
    boolean scheduled() {
        return interval.toMillis() > 0 && !stopped;
    }

    /**
     * The periodic run, on a worker thread. No initial delay: what a crash left behind is most likely found just
     * after the restart. {@code off} unschedules it; {@code 0} (which the scheduler would fire each second) skips.
     */
    @Scheduled(
            identity = "keyline-credential-orphan-sweep",
            every = "${keyline.credentials.orphan-sweep-interval}",
            concurrentExecution = ConcurrentExecution.SKIP)
    void tick() {
        sweep(false);
    }

    private void sweep(boolean atStart) {
        if (!scheduled()) {
            return;
        }
        long now = System.nanoTime();
        long last = lastStartedNanos.get();
        // The scheduler's first look follows the run made at start: that one already covered this interval.
        if (!atStart && last != 0 && now - last < interval.toNanos()) {
            return;
        }
        lastStartedNanos.set(now);
        try {
            Optional<Result> result = runExclusively();
            if (result.isEmpty()) {
                LOG.debug("Credential orphan sweep skipped: another replica is sweeping");
                return;
            }
            Result r = result.get();
            if (r.destroyed() > 0 || r.failed() > 0) {
                LOG.infof(
                        "Credential orphan sweep: %d entries examined, %d destroyed (%d of unlinked accounts, %d"
                                + " without an account), %d kept within the grace, %d could not be handled%s",
                        r.examined(),
                        r.destroyed(),
                        r.destroyedUnlinked(),
                        r.destroyedWithoutAccount(),
                        r.keptWithinGrace(),
                        r.failed(),
                        r.reachedEnd() ? "" : "; the next run continues");
            } else {
                LOG.debugf("Credential orphan sweep: %d entries examined, none orphaned", r.examined());
            }
        } catch (RuntimeException e) {
            // The class and the store's reason only: the sweep's failures name no value.
            LOG.warnf(
                    "Credential orphan sweep failed (%s%s); the next run tries again",
                    e.getClass().getSimpleName(), e instanceof CredentialStoreException c ? ", " + c.reason() : "");
        }
    }

    /** One run, unless another replica holds the sweep: then empty, and nothing was touched. */
    public Optional<Result> runExclusively() {
        try (Connection connection = dataSource.getConnection()) {
            if (!advisory(connection, "pg_try_advisory_lock")) {
                return Optional.empty();
            }
            try {
                return Optional.of(runOnce());
            } finally {
                advisory(connection, "pg_advisory_unlock");
            }
        } catch (SQLException e) {
            throw new CredentialStoreException(
                    CredentialStoreException.Reason.UNAVAILABLE,
                    "The orphan sweep could not take its lock (SQLState " + e.getSQLState() + ").");
        }
    }

    /**
     * Examines up to the per-run maximum of entries, from where the previous run stopped (the start after a run
     * that reached the end), and destroys the orphans among them.
     */
    Result runOnce() {
        Instant cutoff = clock.instant().minus(grace);
        EntryKey after = resumeAfter;
        int examined = 0;
        int unlinked = 0;
        int withoutAccount = 0;
        int young = 0;
        int failed = 0;
        boolean reachedEnd = false;
        while (examined < maxEntries) {
            int want = Math.min(PAGE, maxEntries - examined);
            List<EntryKey> page = store.listEntries(Namespace.ACCOUNTS, after, want);
            if (page.isEmpty()) {
                reachedEnd = true;
                break;
            }
            Map<EntryKey, String> statuses = accounts.of(page);
            for (EntryKey entry : page) {
                examined++;
                String status = statuses.get(entry);
                if (entry.accountId().startsWith(CredentialStore.LEGACY_WEBHOOK_PREFIX)) {
                    continue;
                }
                if (status != null && !LinkedAccount.UNLINKED.equals(status)) {
                    continue;
                }
                try {
                    if (status == null) {
                        // Age is asked only of candidates, so a Vault store reads metadata for orphans alone.
                        Optional<Instant> written =
                                store.writtenAt(Namespace.ACCOUNTS, entry.tenantId(), entry.accountId());
                        if (written.isEmpty()) {
                            continue;
                        }
                        if (!written.get().isBefore(cutoff)) {
                            young++;
                            continue;
                        }
                    }
                    store.delete(Namespace.ACCOUNTS, entry.tenantId(), entry.accountId());
                    if (status == null) {
                        withoutAccount++;
                    } else {
                        unlinked++;
                    }
                } catch (RuntimeException e) {
                    // One entry the store refuses must not stop the rest; the next run tries it again.
                    failed++;
                }
            }
            after = page.get(page.size() - 1);
            if (page.size() < want) {
                reachedEnd = true;
                break;
            }
        }
        resumeAfter = reachedEnd ? null : after;
        return new Result(examined, unlinked, withoutAccount, young, failed, reachedEnd);
    }

    private static boolean advisory(Connection connection, String function) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select " + function + "(?)")) {
            statement.setLong(1, LOCK_KEY);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }
}
