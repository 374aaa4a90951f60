package dev.keyline.platform.egress;

import static java.util.Objects.requireNonNull;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Each tenant's egress allowances in {@code tenant_egress}, by plain JDBC in auto-commit. */
@ApplicationScoped
public class TenantEgressStore {
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    /** One tenant's allowances, as stored. */
    public record Allowances(List<String> allowCidrs, List<String> allowHosts, Instant updatedAt) {
        public static final Allowances NONE = new Allowances(List.of(), List.of(), null);

        public Allowances {
            allowCidrs = List.copyOf(allowCidrs);
            allowHosts = List.copyOf(allowHosts);
        }
    }

    private final DataSource dataSource;

    public TenantEgressStore(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
    }

    Optional<Allowances> find(String tenantId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select allow_cidrs, allow_hosts, updated_at from tenant_egress where tenant_id = ?")) {
            s.setString(1, tenantId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                OffsetDateTime updated = r.getObject(3, OffsetDateTime.class);
                return Optional.of(new Allowances(strings(r.getArray(1)), strings(r.getArray(2)), updated.toInstant()));
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Replaces the tenant's allowances; false when there is no such tenant. */
    boolean put(String tenantId, List<String> allowCidrs, List<String> allowHosts) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("insert into tenant_egress (tenant_id, allow_cidrs, allow_hosts, updated_at)"
                                + " values (?, ?, ?, now()) on conflict (tenant_id) do update set"
                                + " allow_cidrs = excluded.allow_cidrs, allow_hosts = excluded.allow_hosts,"
                                + " updated_at = excluded.updated_at")) {
            s.setString(1, tenantId);
            s.setArray(2, c.createArrayOf("text", allowCidrs.toArray()));
            s.setArray(3, c.createArrayOf("text", allowHosts.toArray()));
            s.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                return false;
            }
            throw failed(e);
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static IllegalStateException failed(SQLException e) {
        // SQLState only: driver messages can quote parameter values.
        return new IllegalStateException("tenant egress store: " + e.getSQLState(), e);
    }
}
