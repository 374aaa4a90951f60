package dev.keyline.platform.sync;

import static dev.keyline.platform.db.NativeSql.bool;
import static dev.keyline.platform.db.NativeSql.instant;
import static dev.keyline.platform.db.NativeSql.intValue;
import static dev.keyline.platform.db.NativeSql.string;
import static java.util.Objects.requireNonNull;

import dev.keyline.platform.db.NativeSql;
import dev.keyline.platform.sync.SyncRun.State;
import dev.keyline.platform.sync.SyncRun.SyncCounts;
import dev.keyline.platform.sync.SyncRun.Trigger;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The sync package's door to its PostgreSQL state: the run records here, the queue in {@link SyncQueue}, leases and
 * schedules in {@link SyncLeases}. Each statement runs in the caller's transaction or its own, as an auto-commit
 * statement did; a claim commits its own. Lease operations are atomic statements judged by the database's clock,
 * so replicas with skewed clocks still agree on who holds a lease.
 */
@ApplicationScoped
public class SyncRunStore {
    static final String COLUMNS = "id, tenant_id, account_id, trigger, state, created_at, started_at,"
            + " finished_at, pages, users_seen, groups_seen, added, updated, deleted, reappeared, error_code,"
            + " error_message, confirm_deletions, roles_seen, mode";

    private final NativeSql sql;
    private final SyncQueue queue;
    private final SyncLeases leases;

    public SyncRunStore(NativeSql sql) {
        this.sql = requireNonNull(sql, "sql is null");
        this.queue = new SyncQueue(sql, this);
        this.leases = new SyncLeases(sql);
    }

    public SyncRun create(String runId, String tenantId, String accountId, Trigger trigger) {
        return create(runId, tenantId, accountId, trigger, false);
    }

    /** A queued run; {@code confirmDeletions} lets it mark deleted more than the guard allows (an operator's call). */
    public SyncRun create(String runId, String tenantId, String accountId, Trigger trigger, boolean confirmDeletions) {
        sql.update(
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
        return queue.queue(runId, tenantId, accountId, trigger, confirmDeletions);
    }

    /** The account's queued run, if it has one; {@code confirmDeletions} carries over to it. */
    public Optional<SyncRun> joinQueued(String tenantId, String accountId, boolean confirmDeletions) {
        return queue.joinQueued(tenantId, accountId, confirmDeletions);
    }

    /**
     * A run that starts at once on the caller's thread, never seen as queued by any replica's workers; it still
     * has to take the account's lease before it does anything.
     */
    public SyncRun createRunning(
            String runId, String tenantId, String accountId, Trigger trigger, boolean confirmDeletions, String owner) {
        sql.update(
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
        return queue.claimNext(owner, lease);
    }

    /** Fails the account's queued run (its account was unlinked): no replica will start it. */
    public int failQueued(String accountId, String code, String message) {
        return sql.update(
                "update sync_runs set state = 'failed', finished_at = now(), error_code = ?, error_message = ?"
                        + " where account_id = ? and state = 'queued'",
                code,
                NativeSql.typed(message, String.class),
                accountId);
    }

    /**
     * Whether the run still holds the account's lease and the account is still linked; a run checks it before each
     * page, so an unlink (which drops the lease) stops it before it writes again.
     */
    public boolean stillHolds(String accountId, String owner, String runId) {
        return leases.stillHolds(accountId, owner, runId);
    }

    /** Whether the account exists and is not unlinked. */
    public boolean accountLinked(String accountId) {
        return leases.accountLinked(accountId);
    }

    /** Drops the account's lease and schedule (its sync state in PostgreSQL besides the run history). */
    public void dropLease(String accountId) {
        leases.dropLease(accountId);
    }

    /** Pushes the account's next scheduled sync an interval away, creating its lease row if needed. */
    public void postponeSchedule(String tenantId, String accountId, Duration defaultInterval) {
        leases.postponeSchedule(tenantId, accountId, defaultInterval);
    }

    public Optional<SyncRun> find(String runId) {
        return query("select " + COLUMNS + " from sync_runs where id = ?", runId).stream()
                .findFirst();
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

    /**
     * The account's runs older than the run at ({@code createdAt}, {@code id}), newest first: a keyset page, so runs
     * created meanwhile do not shift the pages after the first.
     */
    public List<SyncRun> listBefore(String tenantId, String accountId, Instant createdAt, String id, int limit) {
        return query(
                "select " + COLUMNS + " from sync_runs where tenant_id = ? and account_id = ?"
                        + " and (created_at, id) < (?, ?) order by created_at desc, id desc limit ?",
                tenantId,
                accountId,
                createdAt,
                id,
                limit);
    }

    /** Whether some replica holds a live lease on the account. */
    public boolean leaseHeld(String accountId) {
        return leases.leaseHeld(accountId);
    }

    /**
     * Takes the account's lease for the run when it is free or expired. One UPDATE decides, so of several
     * replicas racing exactly one gets it.
     */
    public boolean tryAcquire(String tenantId, String accountId, String owner, String runId, Duration lease) {
        return leases.tryAcquire(tenantId, accountId, owner, runId, lease);
    }

    /** Extends the lease; false when it was lost (expired and taken by another replica). */
    public boolean renew(String accountId, String owner, String runId, Duration lease) {
        return leases.renew(accountId, owner, runId, lease);
    }

    public void release(String accountId, String owner, String runId, boolean succeeded) {
        leases.release(accountId, owner, runId, succeeded);
    }

    /** When the account last synced successfully, or empty if it never did. */
    public Optional<Instant> lastSuccess(String accountId) {
        return leases.lastSuccess(accountId);
    }

    public void markRunning(String runId, String owner) {
        sql.update("update sync_runs set state = 'running', owner = ?, started_at = now() where id = ?", owner, runId);
    }

    /**
     * Fails runs of the account left `running` by a replica whose lease expired. Called by the new lease
     * holder, so no live run is among them.
     */
    public int failOrphans(String accountId, String exceptRunId) {
        return sql.update(
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
        return sql.update("update sync_runs r set state = 'failed', finished_at = now(), error_code = 'lease_expired',"
                + " error_message = 'The replica running this sync stopped renewing its lease (it crashed or was"
                + " stopped); nothing was marked deleted.'"
                + " where state = 'running' and started_at < now() - interval '1 minute'"
                + " and not exists (select 1 from sync_leases l where l.run_id = r.id and l.expires_at > now())");
    }

    public void progress(String runId, SyncCounts counts) {
        sql.update(
                "update sync_runs set pages = ?, users_seen = ?, groups_seen = ?, roles_seen = ?, added = ?,"
                        + " updated = ?, deleted = ?, reappeared = ? where id = ? and state = 'running'",
                counts.pages(),
                counts.usersSeen(),
                counts.groupsSeen(),
                counts.rolesSeen(),
                counts.added(),
                counts.updated(),
                counts.deleted(),
                counts.reappeared(),
                runId);
    }

    public void finish(String runId, State state, SyncCounts counts, String errorCode, String errorMessage) {
        sql.update(
                "update sync_runs set state = ?, finished_at = now(), pages = ?, users_seen = ?, groups_seen = ?,"
                        + " roles_seen = ?, added = ?, updated = ?, deleted = ?, reappeared = ?, error_code = ?,"
                        + " error_message = ? where id = ?",
                state.wire(),
                counts.pages(),
                counts.usersSeen(),
                counts.groupsSeen(),
                counts.rolesSeen(),
                counts.added(),
                counts.updated(),
                counts.deleted(),
                counts.reappeared(),
                NativeSql.typed(errorCode, String.class),
                NativeSql.typed(errorMessage == null ? null : truncate(errorMessage), String.class),
                runId);
    }

    /** An account's schedule: its own interval (null for the default) and when its next scheduled sync is due. */
    public record Schedule(Integer intervalSeconds, Instant nextDueAt, Instant lastSuccessAt) {}

    /** Sets the account's own interval (null: the default) and moves its next scheduled sync accordingly. */
    public Schedule schedule(String tenantId, String accountId, Integer intervalSeconds, Duration defaultInterval) {
        return leases.schedule(tenantId, accountId, intervalSeconds, defaultInterval);
    }

    public Optional<Schedule> schedule(String accountId) {
        return leases.schedule(accountId);
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
        return leases.claimDue(defaultInterval, limit, newAccountGrace);
    }

    /** Says a running run reads only the changes since the account's last one. */
    void markIncremental(String runId) {
        sql.update("update sync_runs set mode = 'incremental' where id = ?", runId);
    }

    /** The runs a query of {@link #COLUMNS} finds, in its order. */
    List<SyncRun> query(String query, Object... args) {
        return sql.rows(query, args).stream()
                .map(row -> new SyncRun(
                        string(row[0]),
                        string(row[1]),
                        string(row[2]),
                        Trigger.valueOf(string(row[3]).toUpperCase(Locale.ROOT)),
                        State.valueOf(string(row[4]).toUpperCase(Locale.ROOT)),
                        instant(row[5]),
                        instant(row[6]),
                        instant(row[7]),
                        new SyncCounts(
                                intValue(row[8]),
                                intValue(row[9]),
                                intValue(row[10]),
                                intValue(row[18]),
                                intValue(row[11]),
                                intValue(row[12]),
                                intValue(row[13]),
                                intValue(row[14])),
                        string(row[15]),
                        string(row[16]),
                        bool(row[17]),
                        SyncRun.Mode.valueOf(string(row[19]).toUpperCase(Locale.ROOT))))
                .toList();
    }

    private static String truncate(String message) {
        return message.length() <= 2000 ? message : message.substring(0, 1997) + "...";
    }
}
