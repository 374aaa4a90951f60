package dev.keyline.platform.sync;

import static dev.keyline.platform.db.NativeSql.bool;
import static dev.keyline.platform.db.NativeSql.instant;
import static dev.keyline.platform.db.NativeSql.string;
import static java.util.Objects.requireNonNull;

import dev.keyline.platform.account.LinkedAccount;
import dev.keyline.platform.cache.SharedFreshReads;
import dev.keyline.platform.db.NativeSql;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What a synced read needs to know of an account's syncs, in one query: when it last synced successfully, whether
 * a sync may be writing its records right now, and a version that changes whenever a run that may have written
 * records has ended. Records are written only by runs (under the account's lease), so while nothing runs the
 * version names the store's content for the account exactly.
 */
@ApplicationScoped
public class SyncReadState {

    /**
     * {@code busy}: a run holds the lease or is recorded as running (a crashed one counts until it is reaped), so
     * the records may change under a reader. {@code version}: the id and end of the account's latest ended run,
     * null when none ended.
     */
    public record State(Optional<Instant> lastSuccess, boolean busy, String version) {}

    private record TenantAccount(String tenantId, String accountId) {}

    private static final String STATE_COLUMNS = " (select last_success_at from sync_leases where account_id = ?)"
            + " as last_success_at,"
            + " exists (select 1 from sync_leases where account_id = ? and owner is not null"
            + "   and expires_at > now())"
            + " or exists (select 1 from sync_runs where account_id = ? and state = 'running') as busy,"
            + " (select id || '@' || finished_at from sync_runs where account_id = ?"
            + "   and finished_at is not null order by finished_at desc limit 1) as last_ended";

    private final NativeSql sql;
    private final SharedFreshReads<TenantAccount, Optional<State>> fresh;

    @Inject
    public SyncReadState(NativeSql sql) {
        // Looked up per read: Quarkus installs its worker pool as Mutiny's at start-up.
        this(sql, task -> Infrastructure.getDefaultWorkerPool().execute(task));
    }

    SyncReadState(NativeSql sql, Executor readers) {
        this.sql = requireNonNull(sql, "sql is null");
        this.fresh = new SharedFreshReads<>(this::ofUsable, readers);
    }

    /**
     * The state of the tenant's account as of a query that begins after this call, shared with the other reads of
     * the same account that arrive meanwhile (one query per round trip for a hot account, not one per request):
     * exactly as fresh as a query of the caller's own. Empty when the account is not the tenant's or was unlinked.
     * Completes on a worker thread.
     */
    public CompletableFuture<Optional<State>> fresh(String tenantId, String accountId) {
        return fresh.get(new TenantAccount(tenantId, accountId));
    }

    /** One query: the account's link (scoped to the tenant) and its sync state. */
    private Optional<State> ofUsable(TenantAccount key) {
        Object[] row = sql.rows(
                        "select (select status from linked_accounts where id = ? and tenant_id = ?) as account_status,"
                                + STATE_COLUMNS,
                        key.accountId(),
                        key.tenantId(),
                        key.accountId(),
                        key.accountId(),
                        key.accountId(),
                        key.accountId())
                .get(0);
        String status = string(row[0]);
        if (status == null || LinkedAccount.UNLINKED.equals(status)) {
            return Optional.empty();
        }
        return Optional.of(state(row, 1));
    }

    /** The account's sync state as of now, read on the caller's thread. */
    public State of(String accountId) {
        return state(
                sql.rows("select" + STATE_COLUMNS, accountId, accountId, accountId, accountId)
                        .get(0),
                0);
    }

    /** The state columns of a row, from {@code first} on. */
    private static State state(Object[] row, int first) {
        return new State(Optional.ofNullable(instant(row[first])), bool(row[first + 1]), string(row[first + 2]));
    }
}
