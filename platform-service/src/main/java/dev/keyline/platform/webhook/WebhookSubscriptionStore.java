package dev.keyline.platform.webhook;

import static dev.keyline.platform.db.NativeSql.bool;
import static dev.keyline.platform.db.NativeSql.instant;
import static dev.keyline.platform.db.NativeSql.intValue;
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
 * Webhook subscriptions in PostgreSQL. Every statement a client's request leads to takes the tenant id, so another
 * tenant's rows are simply not found. Each method is one statement, in the caller's transaction or its own.
 */
@ApplicationScoped
public class WebhookSubscriptionStore {
    private static final String COLUMNS = "id, tenant_id, url, events, description, enabled,"
            + " disabled_reason, secret_version, created_at, updated_at";

    /** The {@code disabled_reason} of a subscription whose signing secret is gone: it is {@code broken}. */
    static final String SECRET_MISSING = "secret_missing";

    private final NativeSql sql;

    public WebhookSubscriptionStore(NativeSql sql) {
        this.sql = requireNonNull(sql, "sql is null");
    }

    record Subscription(
            String id,
            String tenantId,
            String url,
            List<String> events,
            String description,
            boolean enabled,
            String disabledReason,
            int secretVersion,
            Instant createdAt,
            Instant updatedAt) {
        Subscription {
            events = List.copyOf(events);
        }

        /** {@code enabled}; {@code broken} when the service disabled it because it cannot work; else disabled. */
        String status() {
            return enabled ? "enabled" : SECRET_MISSING.equals(disabledReason) ? "broken" : "disabled";
        }
    }

    /** What the event observers need to route an event: kept in a per-tenant cache. */
    record Route(String subscriptionId, List<String> events) {
        Route {
            events = List.copyOf(events);
        }
    }

    void insertSubscription(String id, String tenantId, String url, List<String> events, String description) {
        sql.update(
                "insert into webhook_subscriptions (id, tenant_id, url, events, description, enabled, secret_version,"
                        + " created_at, updated_at) values (?, ?, ?, ?, ?, true, 1, now(), now())",
                id,
                tenantId,
                url,
                events.toArray(String[]::new),
                NativeSql.typed(description, String.class));
    }

    Optional<Subscription> findSubscription(String tenantId, String id) {
        return subscriptions(
                        "select " + COLUMNS + " from webhook_subscriptions where tenant_id = ? and id = ?",
                        tenantId,
                        id)
                .stream()
                .findFirst();
    }

    /** One page in (created_at, id) order after the position, when given; asks for {@code limit} rows. */
    List<Subscription> pageSubscriptions(String tenantId, Instant afterCreatedAt, String afterId, int limit) {
        if (afterCreatedAt == null) {
            return subscriptions(
                    "select " + COLUMNS
                            + " from webhook_subscriptions where tenant_id = ? order by created_at, id limit ?",
                    tenantId,
                    limit);
        }
        return subscriptions(
                "select " + COLUMNS + " from webhook_subscriptions where tenant_id = ?"
                        + " and (created_at, id) > (?, ?) order by created_at, id limit ?",
                tenantId,
                afterCreatedAt,
                afterId,
                limit);
    }

    /** Applies the changes that are non-null; false when the subscription is not the tenant's. */
    boolean updateSubscription(
            String tenantId, String id, String url, List<String> events, String description, Boolean enabled) {
        // Only the columns that change are named: a null has no SQL type for the driver to send.
        StringBuilder set = new StringBuilder("update webhook_subscriptions set updated_at = now()");
        List<Object> args = new ArrayList<>();
        if (url != null) {
            set.append(", url = ?");
            args.add(url);
        }
        if (events != null) {
            set.append(", events = ?");
            args.add(events.toArray(String[]::new));
        }
        if (description != null) {
            set.append(", description = ?");
            args.add(description);
        }
        if (enabled != null) {
            set.append(", enabled = ?, disabled_reason = null");
            args.add(enabled);
        }
        set.append(" where tenant_id = ? and id = ?");
        args.add(tenantId);
        args.add(id);
        return sql.update(set.toString(), args.toArray()) == 1;
    }

    /** The new version, or empty when the subscription is not the tenant's. */
    Optional<Integer> bumpSecretVersion(String tenantId, String id) {
        return sql.row(
                        "update webhook_subscriptions set secret_version = secret_version + 1, updated_at = now()"
                                + " where tenant_id = ? and id = ? returning secret_version",
                        tenantId,
                        id)
                .map(row -> intValue(row[0]));
    }

    boolean deleteSubscription(String tenantId, String id) {
        return sql.update("delete from webhook_subscriptions where tenant_id = ? and id = ?", tenantId, id) == 1;
    }

    /**
     * Turns an enabled subscription off on the service's own initiative (its endpoint is gone, or it cannot work),
     * saying why; false when it was not enabled (or is gone).
     */
    boolean disable(String tenantId, String subscriptionId, String reason) {
        return sql.update(
                        "update webhook_subscriptions set enabled = false, disabled_reason = ?, updated_at = now()"
                                + " where tenant_id = ? and id = ? and enabled",
                        reason,
                        tenantId,
                        subscriptionId)
                == 1;
    }

    /** Enables a broken subscription again once its cause is fixed; false when it was not broken. */
    boolean repair(String tenantId, String subscriptionId, String reason) {
        return sql.update(
                        "update webhook_subscriptions set enabled = true, disabled_reason = null, updated_at = now()"
                                + " where tenant_id = ? and id = ? and not enabled and disabled_reason = ?",
                        tenantId,
                        subscriptionId,
                        reason)
                == 1;
    }

    List<Route> enabledRoutes(String tenantId) {
        return sql
                .rows("select id, events from webhook_subscriptions where tenant_id = ? and enabled", tenantId)
                .stream()
                .map(row -> new Route(string(row[0]), strings(row[1])))
                .toList();
    }

    private List<Subscription> subscriptions(String query, Object... args) {
        return sql.rows(query, args).stream()
                .map(row -> new Subscription(
                        string(row[0]),
                        string(row[1]),
                        string(row[2]),
                        strings(row[3]),
                        string(row[4]),
                        bool(row[5]),
                        string(row[6]),
                        intValue(row[7]),
                        instant(row[8]),
                        instant(row[9])))
                .toList();
    }
}
