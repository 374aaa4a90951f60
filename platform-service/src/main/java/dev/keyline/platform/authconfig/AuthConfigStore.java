package dev.keyline.platform.authconfig;

import static dev.keyline.platform.db.NativeSql.instant;
import static dev.keyline.platform.db.NativeSql.string;
import static dev.keyline.platform.db.NativeSql.strings;
import static java.util.Objects.requireNonNull;

import dev.keyline.platform.db.NativeSql;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Auth configs in PostgreSQL, never their secrets. Every statement takes the tenant id, so another tenant's rows are
 * simply not found.
 */
@ApplicationScoped
public class AuthConfigStore {
    private static final String COLUMNS = "id, tenant_id, provider, name, client_id, scopes, created_at, updated_at";

    private final NativeSql sql;

    public AuthConfigStore(NativeSql sql) {
        this.sql = requireNonNull(sql, "sql is null");
    }

    /** One row; {@code name} may be null, {@code scopes} empty for the connector's own. */
    public record AuthConfig(
            String id,
            String tenantId,
            String provider,
            String name,
            String clientId,
            List<String> scopes,
            Instant createdAt,
            Instant updatedAt) {
        public AuthConfig {
            scopes = List.copyOf(scopes);
        }
    }

    void insert(String id, String tenantId, String provider, String name, String clientId, List<String> scopes) {
        sql.update(
                "insert into auth_configs (id, tenant_id, provider, name, client_id, scopes, created_at, updated_at)"
                        + " values (?, ?, ?, ?, ?, ?, now(), now())",
                id,
                tenantId,
                provider,
                NativeSql.typed(name, String.class),
                clientId,
                scopes.toArray(String[]::new));
    }

    Optional<AuthConfig> find(String tenantId, String id) {
        return configs("select " + COLUMNS + " from auth_configs where tenant_id = ? and id = ?", tenantId, id).stream()
                .findFirst();
    }

    /** The tenant's most recently created config for the provider. */
    Optional<AuthConfig> newest(String tenantId, String provider) {
        return configs(
                        "select " + COLUMNS + " from auth_configs where tenant_id = ? and provider = ?"
                                + " order by created_at desc, id desc limit 1",
                        tenantId,
                        provider)
                .stream()
                .findFirst();
    }

    /** One page in (created_at, id) order after the position, when given, of one provider or all; {@code limit} rows. */
    List<AuthConfig> page(String tenantId, String provider, Instant afterCreatedAt, String afterId, int limit) {
        StringBuilder query = new StringBuilder("select " + COLUMNS + " from auth_configs where tenant_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(tenantId);
        if (provider != null) {
            query.append(" and provider = ?");
            args.add(provider);
        }
        if (afterCreatedAt != null) {
            query.append(" and (created_at, id) > (?, ?)");
            args.add(afterCreatedAt);
            args.add(afterId);
        }
        query.append(" order by created_at, id limit ?");
        args.add(limit);
        return configs(query.toString(), args.toArray());
    }

    /** Applies the changes that are non-null; false when the config is not the tenant's. */
    boolean update(String tenantId, String id, String name, String clientId, List<String> scopes) {
        // Only the columns that change are named: a null has no SQL type for the driver to send.
        StringBuilder set = new StringBuilder("update auth_configs set updated_at = now()");
        List<Object> args = new ArrayList<>();
        if (name != null) {
            // A blank name clears it.
            set.append(", name = ?");
            args.add(NativeSql.typed(name.isBlank() ? null : name, String.class));
        }
        if (clientId != null) {
            set.append(", client_id = ?");
            args.add(clientId);
        }
        if (scopes != null) {
            set.append(", scopes = ?");
            args.add(scopes.toArray(String[]::new));
        }
        set.append(" where tenant_id = ? and id = ?");
        args.add(tenantId);
        args.add(id);
        return sql.update(set.toString(), args.toArray()) == 1;
    }

    boolean delete(String tenantId, String id) {
        return sql.update("delete from auth_configs where tenant_id = ? and id = ?", tenantId, id) == 1;
    }

    private List<AuthConfig> configs(String query, Object... args) {
        return sql.rows(query, args).stream()
                .map(row -> new AuthConfig(
                        string(row[0]),
                        string(row[1]),
                        string(row[2]),
                        string(row[3]),
                        string(row[4]),
                        strings(row[5]),
                        instant(row[6]),
                        instant(row[7])))
                .toList();
    }
}
