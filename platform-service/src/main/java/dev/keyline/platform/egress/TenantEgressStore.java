package dev.keyline.platform.egress;

import static dev.keyline.platform.db.NativeSql.instant;
import static dev.keyline.platform.db.NativeSql.strings;
import static java.util.Objects.requireNonNull;

import dev.keyline.platform.db.NativeSql;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Each tenant's egress allowances in {@code tenant_egress}; each statement in the caller's transaction or its own. */
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

    private final NativeSql sql;

    public TenantEgressStore(NativeSql sql) {
        this.sql = requireNonNull(sql, "sql is null");
    }

    Optional<Allowances> find(String tenantId) {
        return sql.row("select allow_cidrs, allow_hosts, updated_at from tenant_egress where tenant_id = ?", tenantId)
                .map(row -> new Allowances(strings(row[0]), strings(row[1]), instant(row[2])));
    }

    /** Replaces the tenant's allowances; false when there is no such tenant. */
    boolean put(String tenantId, List<String> allowCidrs, List<String> allowHosts) {
        try {
            sql.update(
                    "insert into tenant_egress (tenant_id, allow_cidrs, allow_hosts, updated_at)"
                            + " values (?, ?, ?, now()) on conflict (tenant_id) do update set"
                            + " allow_cidrs = excluded.allow_cidrs, allow_hosts = excluded.allow_hosts,"
                            + " updated_at = excluded.updated_at",
                    tenantId,
                    allowCidrs.toArray(String[]::new),
                    allowHosts.toArray(String[]::new));
            return true;
        } catch (RuntimeException e) {
            if (sqlState(e).equals(FOREIGN_KEY_VIOLATION)) {
                return false;
            }
            throw e;
        }
    }

    private static String sqlState(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return "";
    }
}
