package dev.keyline.platform.sync;

import static dev.keyline.platform.db.NativeSql.string;
import static java.util.Objects.requireNonNull;

import dev.keyline.platform.db.NativeSql;
import dev.keyline.platform.sync.SyncRun.Trigger;
import dev.keyline.platform.sync.SyncRunStore.Queued;
import java.time.Duration;
import java.util.Optional;

/**
 * The queue of sync runs: at most one queued run per account (a partial unique index), claimed by the replicas'
 * workers in turn across tenants. Reached through {@link SyncRunStore}.
 */
final class SyncQueue {
    private final NativeSql sql;
    private final SyncRunStore runs;

    SyncQueue(NativeSql sql, SyncRunStore runs) {
        this.sql = requireNonNull(sql, "sql is null");
        this.runs = requireNonNull(runs, "runs is null");
    }

    Queued queue(String runId, String tenantId, String accountId, Trigger trigger, boolean confirmDeletions) {
        // A queued run claimed between the conflict and the join is running: the next insert then succeeds.
        for (int attempt = 0; attempt < 3; attempt++) {
            int inserted = sql.update(
                    "insert into sync_runs (id, tenant_id, account_id, trigger, state, created_at, confirm_deletions)"
                            + " values (?, ?, ?, ?, 'queued', now(), ?)"
                            + " on conflict (account_id) where state = 'queued' do nothing",
                    runId,
                    tenantId,
                    accountId,
                    trigger.wire(),
                    confirmDeletions);
            if (inserted == 1) {
                return new Queued(runs.find(runId).orElseThrow(), false);
            }
            Optional<SyncRun> waiting = joinQueued(tenantId, accountId, confirmDeletions);
            if (waiting.isPresent()) {
                return new Queued(waiting.get(), true);
            }
        }
        throw new IllegalStateException("could not queue a sync run of account " + accountId);
    }

    Optional<SyncRun> joinQueued(String tenantId, String accountId, boolean confirmDeletions) {
        if (confirmDeletions) {
            sql.update(
                    "update sync_runs set confirm_deletions = true"
                            + " where tenant_id = ? and account_id = ? and state = 'queued'",
                    tenantId,
                    accountId);
        }
        return runs
                .query(
                        "select " + SyncRunStore.COLUMNS
                                + " from sync_runs where tenant_id = ? and account_id = ? and state = 'queued'",
                        tenantId,
                        accountId)
                .stream()
                .findFirst();
    }

    Optional<SyncRun> claimNext(String owner, Duration lease) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                Optional<String> runId = sql.inNewTransaction(() -> tryClaim(owner, lease));
                return runId.flatMap(runs::find);
            } catch (LostRace e) {
                // Another replica took the account's lease between our look and our update: look again.
            }
        }
        return Optional.empty();
    }

    /** Thrown inside the claim's transaction to roll it back when the lease was taken meanwhile. */
    private static final class LostRace extends RuntimeException {
        LostRace() {
            super("lost the race for the account's lease", null, false, false);
        }
    }

    /**
     * In one transaction: locks the next queued run (other replicas skip it), takes its account's lease and marks
     * it running, so no replica sees it queued or running without a lease. Empty when nothing can be claimed.
     */
    private Optional<String> tryClaim(String owner, Duration lease) {
        Optional<Object[]> next = sql
                .rowsHere("select r.id, r.tenant_id, r.account_id from sync_runs r"
                        + " where r.state = 'queued' and not exists (select 1 from sync_leases l"
                        + "   where l.account_id = r.account_id and l.owner is not null and l.expires_at > now())"
                        + " order by (select count(*) from sync_runs x where x.tenant_id = r.tenant_id"
                        + "   and x.state = 'running'),"
                        + " (select max(x.started_at) from sync_runs x where x.tenant_id = r.tenant_id"
                        + "   and x.started_at is not null) nulls first,"
                        + " r.created_at, r.id"
                        + " limit 1 for update of r skip locked")
                .stream()
                .findFirst();
        if (next.isEmpty()) {
            return Optional.empty();
        }
        String runId = string(next.get()[0]);
        String tenantId = string(next.get()[1]);
        String accountId = string(next.get()[2]);
        sql.updateHere(SyncLeases.ENSURE_ROW, accountId, tenantId);
        if (sql.updateHere(SyncLeases.TAKE, owner, runId, lease.toMillis(), accountId) != 1) {
            throw new LostRace();
        }
        sql.updateHere(
                "update sync_runs set state = 'running', owner = ?, started_at = now() where id = ?", owner, runId);
        return Optional.of(runId);
    }
}
