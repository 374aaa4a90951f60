package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
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

    private final DataSource dataSource;

    public SyncReadState(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    public State of(String accountId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select"
                        + " (select last_success_at from sync_leases where account_id = ?) as last_success_at,"
                        + " exists (select 1 from sync_leases where account_id = ? and owner is not null"
                        + "   and expires_at > now())"
                        + " or exists (select 1 from sync_runs where account_id = ? and state = 'running') as busy,"
                        + " (select id || '@' || finished_at from sync_runs where account_id = ?"
                        + "   and finished_at is not null order by finished_at desc limit 1) as last_ended")) {
            for (int i = 1; i <= 4; i++) {
                s.setString(i, accountId);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                Timestamp success = rs.getTimestamp("last_success_at");
                return new State(
                        Optional.ofNullable(success).map(Timestamp::toInstant),
                        rs.getBoolean("busy"),
                        rs.getString("last_ended"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the account's sync state", e);
        }
    }
}
