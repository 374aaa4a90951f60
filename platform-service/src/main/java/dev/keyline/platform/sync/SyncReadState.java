package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.account.LinkedAccount;
import dev.keyline.platform.cache.SharedFreshReads;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

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

    private final DataSource dataSource;
    private final SharedFreshReads<TenantAccount, Optional<State>> fresh;

    @Inject
    public SyncReadState(DataSource dataSource) {
        // Looked up per read: Quarkus installs its worker pool as Mutiny's at start-up.
        this(dataSource, task -> Infrastructure.getDefaultWorkerPool().execute(task));
    }

    SyncReadState(DataSource dataSource, Executor readers) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
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
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select"
                        + " (select status from linked_accounts where id = ? and tenant_id = ?) as account_status,"
                        + STATE_COLUMNS)) {
            s.setString(1, key.accountId());
            s.setString(2, key.tenantId());
            for (int i = 3; i <= 6; i++) {
                s.setString(i, key.accountId());
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                String status = rs.getString("account_status");
                if (status == null || LinkedAccount.UNLINKED.equals(status)) {
                    return Optional.empty();
                }
                return Optional.of(state(rs));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the account's sync state", e);
        }
    }

    /** The account's sync state as of now, read on the caller's thread. */
    public State of(String accountId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select" + STATE_COLUMNS)) {
            for (int i = 1; i <= 4; i++) {
                s.setString(i, accountId);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return state(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the account's sync state", e);
        }
    }

    private static State state(ResultSet rs) throws SQLException {
        Timestamp success = rs.getTimestamp("last_success_at");
        return new State(
                Optional.ofNullable(success).map(Timestamp::toInstant),
                rs.getBoolean("busy"),
                rs.getString("last_ended"));
    }
}
