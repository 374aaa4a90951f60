package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.sync.SyncRun.State;
import dev.keyline.platform.sync.SyncRun.SyncCounts;
import dev.keyline.platform.sync.SyncRun.Trigger;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Sync runs and leases in PostgreSQL, by plain JDBC in auto-commit: each lease operation is one atomic
 * statement judged by the database's clock, so replicas with skewed clocks still agree on who holds a lease.
 */
@ApplicationScoped
public class SyncRunStore {
    private static final String COLUMNS = "id, tenant_id, account_id, trigger, state, created_at, started_at,"
            + " finished_at, pages, users_seen, groups_seen, added, updated, deleted, reappeared, error_code,"
            + " error_message, confirm_deletions";

    private final DataSource dataSource;

    public SyncRunStore(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    public SyncRun create(String runId, String tenantId, String accountId, Trigger trigger) {
        return create(runId, tenantId, accountId, trigger, false);
    }

    /** A queued run; {@code confirmDeletions} lets it mark deleted more than the guard allows (an operator's call). */
    public SyncRun create(String runId, String tenantId, String accountId, Trigger trigger, boolean confirmDeletions) {
        update(
                "insert into sync_runs (id, tenant_id, account_id, trigger, state, created_at, confirm_deletions)"
                        + " values (?, ?, ?, ?, 'queued', now(), ?)",
                runId,
                tenantId,
                accountId,
                trigger.wire(),
                confirmDeletions);
        return find(runId).orElseThrow();
    }

    /** A queued run of an account, and whether it was already queued when it was asked for again. */
    public record Queued(SyncRun run, boolean joined) {}

    /**
     * Queues a run of the account, or joins the run already queued for it (at most one is, across replicas: a
     * second insert conflicts on the partial unique index). Confirming deletions carries over to a joined run.
     */
    public Queued queue(String runId, String tenantId, String accountId, Trigger trigger, boolean confirmDeletions) {
        // A queued run claimed between the conflict and the join is running: the next insert then succeeds.
        for (int attempt = 0; attempt < 3; attempt++) {
            int inserted = update(
                    "insert into sync_runs (id, tenant_id, account_id, trigger, state, created_at, confirm_deletions)"
                            + " values (?, ?, ?, ?, 'queued', now(), ?)"
                            + " on conflict (account_id) where state = 'queued' do nothing",
                    runId,
                    tenantId,
                    accountId,
                    trigger.wire(),
                    confirmDeletions);
            if (inserted == 1) {
                return new Queued(find(runId).orElseThrow(), false);
            }
            Optional<SyncRun> waiting = joinQueued(tenantId, accountId, confirmDeletions);
            if (waiting.isPresent()) {
                return new Queued(waiting.get(), true);
            }
        }
        throw new IllegalStateException("could not queue a sync run of account " + accountId);
    }

    /** The account's queued run, if it has one; {@code confirmDeletions} carries over to it. */
    public Optional<SyncRun> joinQueued(String tenantId, String accountId, boolean confirmDeletions) {
        if (confirmDeletions) {
            update(
                    "update sync_runs set confirm_deletions = true"
                            + " where tenant_id = ? and account_id = ? and state = 'queued'",
                    tenantId,
                    accountId);
        }
        return query(
                        "select " + COLUMNS
                                + " from sync_runs where tenant_id = ? and account_id = ? and state = 'queued'",
                        tenantId,
                        accountId)
                .stream()
                .findFirst();
    }

    /**
     * A run that starts at once on the caller's thread, never seen as queued by any replica's workers; it still
     * has to take the account's lease before it does anything.
     */
    public SyncRun createRunning(
            String runId, String tenantId, String accountId, Trigger trigger, boolean confirmDeletions, String owner) {
        update(
                "insert into sync_runs (id, tenant_id, account_id, trigger, state, owner, created_at, started_at,"
                        + " confirm_deletions) values (?, ?, ?, ?, 'running', ?, now(), now(), ?)",
                runId,
                tenantId,
                accountId,
                trigger.wire(),
                owner,
                confirmDeletions);
        return find(runId).orElseThrow();
    }

    /**
     * The next queued run, in turn across tenants: first the tenants with the fewest syncs running on any replica,
     * among them the one whose last sync started longest ago, then the oldest run. Runs of an account whose lease
     * is held wait for it. In one transaction the run is locked (other replicas skip it), its account's lease taken
     * and the run marked running, so no replica sees it queued or running without a lease.
     */
    public Optional<SyncRun> claimNext(String owner, Duration lease) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Claim claim = tryClaim(owner, lease);
            if (claim != Claim.LOST_RACE) {
                return Optional.ofNullable(claim.runId).flatMap(this::find);
            }
        }
        return Optional.empty();
    }

    /** What one claim attempt found; NONE and LOST_RACE are told apart by identity, not by their (empty) run. */
    private static final class Claim {
        static final Claim NONE = new Claim(null);
        static final Claim LOST_RACE = new Claim(null);
        final String runId;

        Claim(String runId) {
            this.runId = runId;
        }
    }

    private Claim tryClaim(String owner, Duration lease) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                String runId;
                String tenantId;
                String accountId;
                try (PreparedStatement s = c.prepareStatement("select r.id, r.tenant_id, r.account_id from sync_runs r"
                        + " where r.state = 'queued' and not exists (select 1 from sync_leases l"
                        + "   where l.account_id = r.account_id and l.owner is not null and l.expires_at > now())"
                        + " order by (select count(*) from sync_runs x where x.tenant_id = r.tenant_id"
                        + "   and x.state = 'running'),"
                        + " (select max(x.started_at) from sync_runs x where x.tenant_id = r.tenant_id"
                        + "   and x.started_at is not null) nulls first,"
                        + " r.created_at, r.id"
                        + " limit 1 for update of r skip locked")) {
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            c.commit();
                            return Claim.NONE;
                        }
                        runId = rs.getString(1);
                        tenantId = rs.getString(2);
                        accountId = rs.getString(3);
                    }
                }
                execute(
                        c,
                        "insert into sync_leases (account_id, tenant_id) values (?, ?) on conflict (account_id) do nothing",
                        accountId,
                        tenantId);
                int leased = execute(
                        c,
                        "update sync_leases set owner = ?, run_id = ?, expires_at = now() + ? * interval '1 millisecond'"
                                + " where account_id = ? and (owner is null or expires_at <= now())",
                        owner,
                        runId,
                        lease.toMillis(),
                        accountId);
                if (leased != 1) {
                    c.rollback();
                    return Claim.LOST_RACE;
                }
                execute(
                        c,
                        "update sync_runs set state = 'running', owner = ?, started_at = now() where id = ?",
                        owner,
                        runId);
                c.commit();
                return new Claim(runId);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not claim a queued sync run", e);
        }
    }

    /** Fails the account's queued run (its account was unlinked): no replica will start it. */
    public int failQueued(String accountId, String code, String message) {
        return update(
                "update sync_runs set state = 'failed', finished_at = now(), error_code = ?, error_message = ?"
                        + " where account_id = ? and state = 'queued'",
                code,
                message,
                accountId);
    }

    /**
     * Whether the run still holds the account's lease and the account is still linked; a run checks it before each
     * page, so an unlink (which drops the lease) stops it before it writes again.
     */
    public boolean stillHolds(String accountId, String owner, String runId) {
        return exists(
                "select 1 from sync_leases l join linked_accounts a on a.id = l.account_id"
                        + " where l.account_id = ? and l.owner = ? and l.run_id = ? and a.status <> 'unlinked'",
                accountId,
                owner,
                runId);
    }

    /** Whether the account exists and is not unlinked. */
    public boolean accountLinked(String accountId) {
        return exists("select 1 from linked_accounts where id = ? and status <> 'unlinked'", accountId);
    }

    /** Drops the account's lease and schedule (its sync state in PostgreSQL besides the run history). */
    public void dropLease(String accountId) {
        update("delete from sync_leases where account_id = ?", accountId);
    }

    /** Pushes the account's next scheduled sync an interval away, creating its lease row if needed. */
    public void postponeSchedule(String tenantId, String accountId, Duration defaultInterval) {
        update(
                "insert into sync_leases (account_id, tenant_id, next_due_at) values (?, ?, now() + ? * interval '1 second')"
                        + " on conflict (account_id) do update set next_due_at = now()"
                        + " + coalesce(sync_leases.interval_seconds, ?) * interval '1 second'",
                accountId,
                tenantId,
                defaultInterval.toSeconds(),
                defaultInterval.toSeconds());
    }

    public Optional<SyncRun> find(String runId) {
        List<SyncRun> runs = query("select " + COLUMNS + " from sync_runs where id = ?", runId);
        return runs.stream().findFirst();
    }

    /** The account's runs, newest first. */
    public List<SyncRun> list(String tenantId, String accountId, int limit) {
        return query(
                "select " + COLUMNS + " from sync_runs where tenant_id = ? and account_id = ?"
                        + " order by created_at desc, id desc limit ?",
                tenantId,
                accountId,
                limit);
    }

    /** Whether some replica holds a live lease on the account. */
    public boolean leaseHeld(String accountId) {
        return exists(
                "select 1 from sync_leases where account_id = ? and owner is not null and expires_at > now()",
                accountId);
    }

    /**
     * Takes the account's lease for the run when it is free or expired. One UPDATE decides, so of several
     * replicas racing exactly one gets it.
     */
    public boolean tryAcquire(String tenantId, String accountId, String owner, String runId, Duration lease) {
        update(
                "insert into sync_leases (account_id, tenant_id) values (?, ?) on conflict (account_id) do nothing",
                accountId,
                tenantId);
        return update(
                        "update sync_leases set owner = ?, run_id = ?, expires_at = now() + ? * interval '1 millisecond'"
                                + " where account_id = ? and (owner is null or expires_at <= now())",
                        owner,
                        runId,
                        lease.toMillis(),
                        accountId)
                == 1;
    }

    /** Extends the lease; false when it was lost (expired and taken by another replica). */
    public boolean renew(String accountId, String owner, String runId, Duration lease) {
        return update(
                        "update sync_leases set expires_at = now() + ? * interval '1 millisecond'"
                                + " where account_id = ? and owner = ? and run_id = ?",
                        lease.toMillis(),
                        accountId,
                        owner,
                        runId)
                == 1;
    }

    public void release(String accountId, String owner, String runId, boolean succeeded) {
        update(
                "update sync_leases set owner = null, run_id = null, expires_at = null,"
                        + " last_success_at = case when ? then now() else last_success_at end"
                        + " where account_id = ? and owner = ? and run_id = ?",
                succeeded,
                accountId,
                owner,
                runId);
    }

    /** When the account last synced successfully, or empty if it never did. */
    public Optional<Instant> lastSuccess(String accountId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select last_success_at from sync_leases where account_id = ?")) {
            s.setString(1, accountId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.ofNullable(instant(rs, "last_success_at")) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the sync lease", e);
        }
    }

    public void markRunning(String runId, String owner) {
        update("update sync_runs set state = 'running', owner = ?, started_at = now() where id = ?", owner, runId);
    }

    /**
     * Fails runs of the account left `running` by a replica whose lease expired. Called by the new lease
     * holder, so no live run is among them.
     */
    public int failOrphans(String accountId, String exceptRunId) {
        return update(
                "update sync_runs set state = 'failed', finished_at = now(), error_code = 'lease_expired',"
                        + " error_message = 'The replica running this sync stopped renewing its lease (it crashed or"
                        + " was stopped); nothing was marked deleted.'"
                        + " where account_id = ? and state = 'running' and id <> ?",
                accountId,
                exceptRunId);
    }

    /**
     * Fails runs whose replica is gone: running without a live lease. Runs move to `running` only together with
     * taking the lease (or, run at once, just before taking it) and release it only after finishing, so a live run
     * is never touched. Queued runs are never abandoned: any replica's workers start them.
     */
    public int reapAbandoned() {
        return update("update sync_runs r set state = 'failed', finished_at = now(), error_code = 'lease_expired',"
                + " error_message = 'The replica running this sync stopped renewing its lease (it crashed or was"
                + " stopped); nothing was marked deleted.'"
                + " where state = 'running' and started_at < now() - interval '1 minute'"
                + " and not exists (select 1 from sync_leases l where l.run_id = r.id and l.expires_at > now())");
    }

    public void progress(String runId, SyncCounts counts) {
        update(
                "update sync_runs set pages = ?, users_seen = ?, groups_seen = ?, added = ?, updated = ?,"
                        + " deleted = ?, reappeared = ? where id = ? and state = 'running'",
                counts.pages(),
                counts.usersSeen(),
                counts.groupsSeen(),
                counts.added(),
                counts.updated(),
                counts.deleted(),
                counts.reappeared(),
                runId);
    }

    public void finish(String runId, State state, SyncCounts counts, String errorCode, String errorMessage) {
        update(
                "update sync_runs set state = ?, finished_at = now(), pages = ?, users_seen = ?, groups_seen = ?,"
                        + " added = ?, updated = ?, deleted = ?, reappeared = ?, error_code = ?, error_message = ?"
                        + " where id = ?",
                state.wire(),
                counts.pages(),
                counts.usersSeen(),
                counts.groupsSeen(),
                counts.added(),
                counts.updated(),
                counts.deleted(),
                counts.reappeared(),
                errorCode,
                errorMessage == null ? null : truncate(errorMessage),
                runId);
    }

    /** An account's schedule: its own interval (null for the default) and when its next scheduled sync is due. */
    public record Schedule(Integer intervalSeconds, Instant nextDueAt, Instant lastSuccessAt) {}

    /** Sets the account's own interval (null: the default) and moves its next scheduled sync accordingly. */
    public Schedule schedule(String tenantId, String accountId, Integer intervalSeconds, Duration defaultInterval) {
        long seconds = intervalSeconds == null ? defaultInterval.toSeconds() : intervalSeconds;
        update(
                "insert into sync_leases (account_id, tenant_id, interval_seconds, next_due_at)"
                        + " values (?, ?, ?, now() + ? * interval '1 second')"
                        + " on conflict (account_id) do update set interval_seconds = excluded.interval_seconds,"
                        + " next_due_at = coalesce(sync_leases.last_success_at, now()) + ? * interval '1 second'",
                accountId,
                tenantId,
                intervalSeconds,
                seconds,
                seconds);
        return schedule(accountId).orElseThrow();
    }

    public Optional<Schedule> schedule(String accountId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select interval_seconds, next_due_at, last_success_at from sync_leases where account_id = ?")) {
            s.setString(1, accountId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                int interval = rs.getInt("interval_seconds");
                return Optional.of(new Schedule(
                        rs.wasNull() ? null : interval, instant(rs, "next_due_at"), instant(rs, "last_success_at")));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the sync schedule", e);
        }
    }

    /** A due account, claimed for one scheduled run. */
    public record DueAccount(String tenantId, String accountId) {}

    /**
     * Accounts whose scheduled sync is due, each claimed by moving its due time an interval on with one atomic
     * statement, so when several replicas' schedulers look at once each account is claimed by one. An account
     * that was never scheduled becomes due only {@code newAccountGrace} after it was linked, so the scheduler
     * does not race the initial sync a link starts (the loser of that race would fail as {@code sync_in_progress}).
     */
    public List<DueAccount> claimDue(Duration defaultInterval, int limit, Duration newAccountGrace) {
        List<DueAccount> candidates = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select a.tenant_id, a.id from linked_accounts a"
                        + " left join sync_leases l on l.account_id = a.id"
                        + " where a.status <> 'unlinked' and (l.next_due_at <= now() or (l.next_due_at is null"
                        + " and a.created_at <= now() - ? * interval '1 millisecond'))"
                        + " order by l.next_due_at nulls first limit ?")) {
            s.setLong(1, newAccountGrace.toMillis());
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    candidates.add(new DueAccount(rs.getString(1), rs.getString(2)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read due accounts", e);
        }
        List<DueAccount> claimed = new ArrayList<>();
        long seconds = defaultInterval.toSeconds();
        for (DueAccount due : candidates) {
            int rows = update(
                    "insert into sync_leases (account_id, tenant_id, next_due_at) values (?, ?, now() + ? * interval '1 second')"
                            + " on conflict (account_id) do update set next_due_at = now()"
                            + " + coalesce(sync_leases.interval_seconds, ?) * interval '1 second'"
                            + " where sync_leases.next_due_at is null or sync_leases.next_due_at <= now()",
                    due.accountId(),
                    due.tenantId(),
                    seconds,
                    seconds);
            if (rows == 1) {
                claimed.add(due);
            }
        }
        return claimed;
    }

    private List<SyncRun> query(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            List<SyncRun> runs = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    runs.add(new SyncRun(
                            rs.getString("id"),
                            rs.getString("tenant_id"),
                            rs.getString("account_id"),
                            Trigger.valueOf(rs.getString("trigger").toUpperCase(Locale.ROOT)),
                            State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                            instant(rs, "created_at"),
                            instant(rs, "started_at"),
                            instant(rs, "finished_at"),
                            new SyncCounts(
                                    rs.getInt("pages"),
                                    rs.getInt("users_seen"),
                                    rs.getInt("groups_seen"),
                                    rs.getInt("added"),
                                    rs.getInt("updated"),
                                    rs.getInt("deleted"),
                                    rs.getInt("reappeared")),
                            rs.getString("error_code"),
                            rs.getString("error_message"),
                            rs.getBoolean("confirm_deletions")));
                }
            }
            return runs;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read sync runs", e);
        }
    }

    private boolean exists(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read sync state", e);
        }
    }

    private int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not write sync state", e);
        }
    }

    private static int execute(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            bind(s, args);
            return s.executeUpdate();
        }
    }

    private static void bind(PreparedStatement s, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (arg instanceof Instant instant) {
                s.setTimestamp(i + 1, Timestamp.from(instant));
            } else {
                s.setObject(i + 1, arg);
            }
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static String truncate(String message) {
        return message.length() <= 2000 ? message : message.substring(0, 1997) + "...";
    }
}
