package dev.keyline.platform.sync;

import static dev.keyline.platform.db.NativeSql.instant;
import static dev.keyline.platform.db.NativeSql.integer;
import static dev.keyline.platform.db.NativeSql.string;
import static java.util.Objects.requireNonNull;

import dev.keyline.platform.db.NativeSql;
import dev.keyline.platform.sync.SyncRunStore.DueAccount;
import dev.keyline.platform.sync.SyncRunStore.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Each account's lease and schedule ({@code sync_leases}): each operation is one atomic statement judged by the
 * database's clock, so replicas with skewed clocks still agree on who holds a lease and who claimed a due account.
 * Reached through {@link SyncRunStore}.
 */
final class SyncLeases {
    static final String TAKE = "update sync_leases set owner = ?, run_id = ?,"
            + " expires_at = now() + ? * interval '1 millisecond'"
            + " where account_id = ? and (owner is null or expires_at <= now())";
    static final String ENSURE_ROW =
            "insert into sync_leases (account_id, tenant_id) values (?, ?) on conflict (account_id) do nothing";

    private final NativeSql sql;

    SyncLeases(NativeSql sql) {
        this.sql = requireNonNull(sql, "sql is null");
    }

    boolean stillHolds(String accountId, String owner, String runId) {
        return exists(
                "select 1 from sync_leases l join linked_accounts a on a.id = l.account_id"
                        + " where l.account_id = ? and l.owner = ? and l.run_id = ? and a.status <> 'unlinked'",
                accountId,
                owner,
                runId);
    }

    boolean accountLinked(String accountId) {
        return exists("select 1 from linked_accounts where id = ? and status <> 'unlinked'", accountId);
    }

    void dropLease(String accountId) {
        sql.update("delete from sync_leases where account_id = ?", accountId);
    }

    void postponeSchedule(String tenantId, String accountId, Duration defaultInterval) {
        sql.update(
                "insert into sync_leases (account_id, tenant_id, next_due_at) values (?, ?, now() + ? * interval '1 second')"
                        + " on conflict (account_id) do update set next_due_at = now()"
                        + " + coalesce(sync_leases.interval_seconds, ?) * interval '1 second'",
                accountId,
                tenantId,
                defaultInterval.toSeconds(),
                defaultInterval.toSeconds());
    }

    boolean leaseHeld(String accountId) {
        return exists(
                "select 1 from sync_leases where account_id = ? and owner is not null and expires_at > now()",
                accountId);
    }

    boolean tryAcquire(String tenantId, String accountId, String owner, String runId, Duration lease) {
        sql.update(ENSURE_ROW, accountId, tenantId);
        return sql.update(TAKE, owner, runId, lease.toMillis(), accountId) == 1;
    }

    boolean renew(String accountId, String owner, String runId, Duration lease) {
        return sql.update(
                        "update sync_leases set expires_at = now() + ? * interval '1 millisecond'"
                                + " where account_id = ? and owner = ? and run_id = ?",
                        lease.toMillis(),
                        accountId,
                        owner,
                        runId)
                == 1;
    }

    void release(String accountId, String owner, String runId, boolean succeeded) {
        sql.update(
                "update sync_leases set owner = null, run_id = null, expires_at = null,"
                        + " last_success_at = case when ? then now() else last_success_at end"
                        + " where account_id = ? and owner = ? and run_id = ?",
                succeeded,
                accountId,
                owner,
                runId);
    }

    Optional<Instant> lastSuccess(String accountId) {
        return sql.row("select last_success_at from sync_leases where account_id = ?", accountId)
                .flatMap(row -> Optional.ofNullable(instant(row[0])));
    }

    Schedule schedule(String tenantId, String accountId, Integer intervalSeconds, Duration defaultInterval) {
        long seconds = intervalSeconds == null ? defaultInterval.toSeconds() : intervalSeconds;
        sql.update(
                "insert into sync_leases (account_id, tenant_id, interval_seconds, next_due_at)"
                        + " values (?, ?, ?, now() + ? * interval '1 second')"
                        + " on conflict (account_id) do update set interval_seconds = excluded.interval_seconds,"
                        + " next_due_at = coalesce(sync_leases.last_success_at, now()) + ? * interval '1 second'",
                accountId,
                tenantId,
                NativeSql.typed(intervalSeconds, Integer.class),
                seconds,
                seconds);
        return schedule(accountId).orElseThrow();
    }

    Optional<Schedule> schedule(String accountId) {
        return sql.row(
                        "select interval_seconds, next_due_at, last_success_at from sync_leases where account_id = ?",
                        accountId)
                .map(row -> new Schedule(integer(row[0]), instant(row[1]), instant(row[2])));
    }

    List<DueAccount> claimDue(Duration defaultInterval, int limit, Duration newAccountGrace) {
        List<DueAccount> candidates = sql
                .rows(
                        "select a.tenant_id, a.id from linked_accounts a"
                                + " left join sync_leases l on l.account_id = a.id"
                                + " where a.status <> 'unlinked' and (l.next_due_at <= now() or (l.next_due_at is null"
                                + " and a.created_at <= now() - ? * interval '1 millisecond'))"
                                + " order by l.next_due_at nulls first limit ?",
                        newAccountGrace.toMillis(),
                        limit)
                .stream()
                .map(row -> new DueAccount(string(row[0]), string(row[1])))
                .toList();
        List<DueAccount> claimed = new ArrayList<>();
        long seconds = defaultInterval.toSeconds();
        for (DueAccount due : candidates) {
            int rows = sql.update(
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

    private boolean exists(String query, Object... args) {
        return !sql.rows(query, args).isEmpty();
    }
}
