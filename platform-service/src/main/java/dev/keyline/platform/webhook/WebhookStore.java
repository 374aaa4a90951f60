package dev.keyline.platform.webhook;

import static java.util.Objects.requireNonNull;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Subscriptions and the delivery outbox in PostgreSQL, by plain JDBC in auto-commit. Every statement a client's
 * request leads to takes the tenant id, so another tenant's rows are simply not found. Times that decide who
 * sends what and when ({@code next_attempt_at}) come from the database's clock, so replicas agree.
 */
@ApplicationScoped
public class WebhookStore {
    private static final String SUBSCRIPTION_COLUMNS = "id, tenant_id, url, events, description, enabled,"
            + " disabled_reason, secret_version, created_at, updated_at";
    private static final String DELIVERY_COLUMNS = "id, tenant_id, subscription_id, event_id, event_type, state,"
            + " attempts, next_attempt_at, last_status, last_error, redelivery_of, created_at, updated_at,"
            + " last_attempt_at";

    private static final String FOREIGN_KEY_VIOLATION = "23503";

    /** The {@code disabled_reason} of a subscription whose signing secret is gone: it is {@code broken}. */
    static final String SECRET_MISSING = "secret_missing";

    private static final String INSERT_DELIVERY = "insert into webhook_deliveries (id, tenant_id, subscription_id,"
            + " event_id, event_type, payload, state, attempts, next_attempt_at, redelivery_of, created_at, updated_at)"
            + " select ?, ?, ?, ?, ?, ?, 'pending', 0, now(), ?, now(), now()"
            + " where exists (select 1 from webhook_subscriptions where id = ? and tenant_id = ?)"
            + " on conflict do nothing";

    private final DataSource dataSource;

    public WebhookStore(DataSource dataSource) {
        this.dataSource = requireNonNull(dataSource, "dataSource is null");
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

    record Delivery(
            String id,
            String tenantId,
            String subscriptionId,
            String eventId,
            String eventType,
            String state,
            int attempts,
            Instant nextAttemptAt,
            Integer lastStatus,
            String lastError,
            String redeliveryOf,
            Instant createdAt,
            Instant updatedAt,
            Instant lastAttemptAt) {}

    record NewDelivery(
            String id,
            String tenantId,
            String subscriptionId,
            String eventId,
            String eventType,
            String payload,
            String redeliveryOf) {}

    /** A delivery this replica claimed, with what it needs to send it. */
    record Claimed(
            String id,
            String tenantId,
            String subscriptionId,
            String eventId,
            String eventType,
            String payload,
            int attempts,
            String url,
            int secretVersion) {

        /** Never the payload: the log has no business with it. */
        @Override
        public String toString() {
            return "Claimed[" + id + ", " + eventType + ", attempt " + (attempts + 1) + "]";
        }
    }

    // --- subscriptions ---------------------------------------------------------------------------------------

    void insertSubscription(String id, String tenantId, String url, List<String> events, String description) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("insert into webhook_subscriptions (id, tenant_id, url,"
                        + " events, description, enabled, secret_version, created_at, updated_at)"
                        + " values (?, ?, ?, ?, ?, true, 1, now(), now())")) {
            s.setString(1, id);
            s.setString(2, tenantId);
            s.setString(3, url);
            s.setArray(4, c.createArrayOf("text", events.toArray()));
            s.setString(5, description);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    Optional<Subscription> findSubscription(String tenantId, String id) {
        return querySubscriptions(
                        "select " + SUBSCRIPTION_COLUMNS + " from webhook_subscriptions where tenant_id = ? and id = ?",
                        tenantId,
                        id)
                .stream()
                .findFirst();
    }

    /** One page in (created_at, id) order after the position, when given; asks for {@code limit} rows. */
    List<Subscription> pageSubscriptions(String tenantId, Instant afterCreatedAt, String afterId, int limit) {
        if (afterCreatedAt == null) {
            return querySubscriptions(
                    "select " + SUBSCRIPTION_COLUMNS + " from webhook_subscriptions where tenant_id = ?"
                            + " order by created_at, id limit ?",
                    tenantId,
                    limit);
        }
        return querySubscriptions(
                "select " + SUBSCRIPTION_COLUMNS + " from webhook_subscriptions where tenant_id = ?"
                        + " and (created_at, id) > (?, ?) order by created_at, id limit ?",
                tenantId,
                afterCreatedAt.atOffset(ZoneOffset.UTC),
                afterId,
                limit);
    }

    /** Applies the changes that are non-null; false when the subscription is not the tenant's. */
    boolean updateSubscription(
            String tenantId, String id, String url, List<String> events, String description, Boolean enabled) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("update webhook_subscriptions set"
                        + " url = coalesce(?, url), events = coalesce(?, events),"
                        + " description = coalesce(?, description), enabled = coalesce(?, enabled),"
                        + " disabled_reason = case when ? is null then disabled_reason else null end,"
                        + " updated_at = now() where tenant_id = ? and id = ?")) {
            s.setString(1, url);
            if (events == null) {
                s.setNull(2, Types.ARRAY);
            } else {
                s.setArray(2, c.createArrayOf("text", events.toArray()));
            }
            s.setString(3, description);
            if (enabled == null) {
                s.setNull(4, Types.BOOLEAN);
                s.setNull(5, Types.BOOLEAN);
            } else {
                s.setBoolean(4, enabled);
                s.setBoolean(5, enabled);
            }
            s.setString(6, tenantId);
            s.setString(7, id);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** The new version, or empty when the subscription is not the tenant's. */
    Optional<Integer> bumpSecretVersion(String tenantId, String id) {
        return query(
                        "update webhook_subscriptions set secret_version = secret_version + 1, updated_at = now()"
                                + " where tenant_id = ? and id = ? returning secret_version",
                        r -> r.getInt(1),
                        tenantId,
                        id)
                .stream()
                .findFirst();
    }

    boolean deleteSubscription(String tenantId, String id) {
        return update("delete from webhook_subscriptions where tenant_id = ? and id = ?", tenantId, id) == 1;
    }

    /**
     * Turns an enabled subscription off on the service's own initiative (its endpoint is gone, or it cannot work),
     * saying why; false when it was not enabled (or is gone).
     */
    boolean disable(String tenantId, String subscriptionId, String reason) {
        return update(
                        "update webhook_subscriptions set enabled = false, disabled_reason = ?, updated_at = now()"
                                + " where tenant_id = ? and id = ? and enabled",
                        reason,
                        tenantId,
                        subscriptionId)
                == 1;
    }

    /** Enables a broken subscription again once its cause is fixed; false when it was not broken. */
    boolean repair(String tenantId, String subscriptionId, String reason) {
        return update(
                        "update webhook_subscriptions set enabled = true, disabled_reason = null, updated_at = now()"
                                + " where tenant_id = ? and id = ? and not enabled and disabled_reason = ?",
                        tenantId,
                        subscriptionId,
                        reason)
                == 1;
    }

    List<Route> enabledRoutes(String tenantId) {
        return query(
                "select id, events from webhook_subscriptions where tenant_id = ? and enabled",
                r -> new Route(r.getString(1), strings(r.getArray(2))),
                tenantId);
    }

    // --- deliveries ------------------------------------------------------------------------------------------

    /**
     * Inserts in one batch, due now. A row whose subscription is gone (deleted, or its tenant deleted, since the
     * event was routed) is skipped rather than failing the batch, so one stale route cannot block the outbox.
     */
    void insertDeliveries(List<NewDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(INSERT_DELIVERY)) {
                for (NewDelivery d : deliveries) {
                    bind(s, d);
                    s.addBatch();
                }
                s.executeBatch();
            } catch (SQLException e) {
                if (!c.getAutoCommit()) {
                    throw e;
                }
                // A subscription deleted between the existence check and the insert: one by one, skipping those.
                for (NewDelivery d : deliveries) {
                    try (PreparedStatement s = c.prepareStatement(INSERT_DELIVERY)) {
                        bind(s, d);
                        s.executeUpdate();
                    } catch (SQLException one) {
                        if (!FOREIGN_KEY_VIOLATION.equals(one.getSQLState())) {
                            throw one;
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static void bind(PreparedStatement s, NewDelivery d) throws SQLException {
        s.setString(1, d.id());
        s.setString(2, d.tenantId());
        s.setString(3, d.subscriptionId());
        s.setString(4, d.eventId());
        s.setString(5, d.eventType());
        s.setString(6, d.payload());
        s.setString(7, d.redeliveryOf());
        s.setString(8, d.subscriptionId());
        s.setString(9, d.tenantId());
    }

    Optional<Delivery> findDelivery(String tenantId, String subscriptionId, String id) {
        return queryDeliveries(
                        "select " + DELIVERY_COLUMNS + " from webhook_deliveries"
                                + " where tenant_id = ? and subscription_id = ? and id = ?",
                        tenantId,
                        subscriptionId,
                        id)
                .stream()
                .findFirst();
    }

    Optional<String> payload(String tenantId, String id) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select payload from webhook_deliveries where tenant_id = ? and id = ?")) {
            s.setString(1, tenantId);
            s.setString(2, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Newest first, after the position when given; {@code state} filters when non-null. */
    List<Delivery> pageDeliveries(
            String tenantId, String subscriptionId, String state, Instant beforeCreatedAt, String beforeId, int limit) {
        StringBuilder sql = new StringBuilder(
                "select " + DELIVERY_COLUMNS + " from webhook_deliveries where tenant_id = ? and subscription_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenantId, subscriptionId));
        if (state != null) {
            sql.append(" and state = ?");
            args.add(state);
        }
        if (beforeCreatedAt != null) {
            sql.append(" and (created_at, id) < (?, ?)");
            args.add(beforeCreatedAt.atOffset(ZoneOffset.UTC));
            args.add(beforeId);
        }
        sql.append(" order by created_at desc, id desc limit ?");
        args.add(limit);
        return queryDeliveries(sql.toString(), args.toArray());
    }

    /**
     * Claims up to {@code limit} due deliveries of enabled subscriptions, taking turns: first across tenants, then
     * across a tenant's endpoints, so one tenant's backlog cannot hold back another tenant's first delivery. A
     * tenant or an endpoint with sends in flight (on any replica) waits its turn behind those with fewer, and no
     * endpoint gets more than {@code perEndpoint} sends in flight across all replicas. A claimed delivery's
     * {@code next_attempt_at} moves a lease away, so if this replica dies mid-send another one sends again once the
     * lease has passed.
     *
     * <p>Two statements in one transaction: the first locks the subscriptions that have due deliveries
     * ({@code FOR NO KEY UPDATE SKIP LOCKED}: replicas claiming at once split the endpoints between them, and the
     * foreign-key checks of outbox inserts are not blocked); the second, with a snapshot taken after those locks,
     * sees every claim other replicas made for them, so the per-endpoint count is exact.
     */
    List<Claimed> claim(String claim, Duration lease, int limit, int perEndpoint) {
        if (limit <= 0 || perEndpoint <= 0) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                List<Claimed> claimed = claim(c, claim, lease, limit, perEndpoint);
                c.commit();
                return claimed;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static final String LOCK_DUE_SUBSCRIPTIONS = "select w.id from webhook_subscriptions w where w.enabled"
            + " and exists (select 1 from webhook_deliveries d where d.subscription_id = w.id"
            + " and d.state = 'pending' and d.next_attempt_at <= now())"
            + " for no key update skip locked";

    /*
     * busy: sends in flight per endpoint (claimed, lease not over). candidates: each locked endpoint's oldest due
     * deliveries, as many as it has room for, with its turn (its sends in flight + the delivery's rank); rows
     * another transaction holds (a tenant being deleted) are skipped rather than waited for.
     * ranked: a tenant's turn is its sends in flight + the candidate's rank within the tenant (endpoints
     * interleaved). The lowest turns win; the oldest due first among equals.
     */
    private static final String CLAIM_TURNS = "with busy as ("
            + "   select tenant_id, subscription_id, count(*) as n from webhook_deliveries"
            + "   where claim is not null and state = 'pending' and next_attempt_at > now()"
            + "   group by tenant_id, subscription_id),"
            + " tenant_busy as (select tenant_id, sum(n) as n from busy group by tenant_id),"
            + " candidates as ("
            + "   select w.tenant_id, due.id, due.next_attempt_at, coalesce(b.n, 0) + due.rank as endpoint_turn"
            + "   from webhook_subscriptions w"
            + "   left join busy b on b.subscription_id = w.id"
            + "   cross join lateral ("
            + "     select o.id, o.next_attempt_at,"
            + "       row_number() over (order by o.next_attempt_at, o.id) as rank"
            + "     from (select d.id, d.next_attempt_at from webhook_deliveries d"
            + "       where d.subscription_id = w.id and d.state = 'pending' and d.next_attempt_at <= now()"
            + "       order by d.next_attempt_at, d.id limit ? for update skip locked) o) due"
            + "   where w.id = any(?) and w.enabled and due.rank <= ? - coalesce(b.n, 0)),"
            + " ranked as ("
            + "   select c.id, c.next_attempt_at, coalesce(t.n, 0) + row_number() over ("
            + "     partition by c.tenant_id order by c.endpoint_turn, c.next_attempt_at, c.id) as turn"
            + "   from candidates c left join tenant_busy t on t.tenant_id = c.tenant_id),"
            + " chosen as (select id from ranked order by turn, next_attempt_at, id limit ?)"
            + " update webhook_deliveries d"
            + " set next_attempt_at = now() + ? * interval '1 millisecond', claim = ?"
            + " from chosen, webhook_subscriptions w"
            + " where d.id = chosen.id and w.id = d.subscription_id"
            + " returning d.id, d.tenant_id, d.subscription_id, d.event_id, d.event_type, d.payload,"
            + " d.attempts, w.url, w.secret_version";

    private static List<Claimed> claim(Connection c, String claim, Duration lease, int limit, int perEndpoint)
            throws SQLException {
        List<String> subscriptions = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(LOCK_DUE_SUBSCRIPTIONS);
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                subscriptions.add(r.getString(1));
            }
        }
        if (subscriptions.isEmpty()) {
            return List.of();
        }
        List<Claimed> claimed = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(CLAIM_TURNS)) {
            s.setInt(1, Math.min(limit, perEndpoint));
            s.setArray(2, c.createArrayOf("varchar", subscriptions.toArray()));
            s.setInt(3, perEndpoint);
            s.setInt(4, limit);
            s.setLong(5, lease.toMillis());
            s.setString(6, claim);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    claimed.add(new Claimed(
                            r.getString(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getString(5),
                            r.getString(6),
                            r.getInt(7),
                            r.getString(8),
                            r.getInt(9)));
                }
            }
        }
        return claimed;
    }

    /**
     * Records one attempt's outcome if this replica still holds the claim. {@code retryIn} null means no further
     * attempt: the delivery ends {@code succeeded} or {@code failed}.
     */
    boolean recordAttempt(String id, String claim, boolean succeeded, Integer status, String error, Duration retryIn) {
        String state = succeeded ? "succeeded" : retryIn == null ? "failed" : "pending";
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("update webhook_deliveries set state = ?,"
                        + " attempts = attempts + 1, last_status = ?, last_error = ?,"
                        + " next_attempt_at = case when ? then now() + ? * interval '1 millisecond' else null end,"
                        + " claim = null, last_attempt_at = now(), updated_at = now()"
                        + " where id = ? and claim = ?")) {
            s.setString(1, state);
            if (status == null) {
                s.setNull(2, Types.INTEGER);
            } else {
                s.setInt(2, status);
            }
            s.setString(3, error);
            s.setBoolean(4, retryIn != null && !succeeded);
            s.setLong(5, retryIn == null ? 0 : retryIn.toMillis());
            s.setString(6, id);
            s.setString(7, claim);
            return s.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /** Deletes finished deliveries last touched before the cut-off; how many. */
    int purgeFinished(Duration olderThan) {
        return update(
                "delete from webhook_deliveries where state <> 'pending'"
                        + " and updated_at < now() - ? * interval '1 second'",
                olderThan.toSeconds());
    }

    // --- plumbing --------------------------------------------------------------------------------------------

    private List<Subscription> querySubscriptions(String sql, Object... args) {
        return query(
                sql,
                r -> new Subscription(
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        strings(r.getArray(4)),
                        r.getString(5),
                        r.getBoolean(6),
                        r.getString(7),
                        r.getInt(8),
                        instant(r, 9),
                        instant(r, 10)),
                args);
    }

    private List<Delivery> queryDeliveries(String sql, Object... args) {
        return query(
                sql,
                r -> new Delivery(
                        r.getString(1),
                        r.getString(2),
                        r.getString(3),
                        r.getString(4),
                        r.getString(5),
                        r.getString(6),
                        r.getInt(7),
                        instant(r, 8),
                        r.getObject(9, Integer.class),
                        r.getString(10),
                        r.getString(11),
                        instant(r, 12),
                        instant(r, 13),
                        instant(r, 14)),
                args);
    }

    /** Reads one row into a value. */
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet r) throws SQLException;
    }

    private <T> List<T> query(String sql, RowReader<T> reader, Object... args) {
        List<T> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = prepare(c, sql, args);
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                rows.add(reader.read(r));
            }
        } catch (SQLException e) {
            throw failed(e);
        }
        return rows;
    }

    private int update(String sql, Object... args) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = prepare(c, sql, args)) {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            s.setObject(i + 1, args[i]);
        }
        return s;
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static Instant instant(ResultSet r, int column) throws SQLException {
        OffsetDateTime value = r.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static IllegalStateException failed(SQLException e) {
        return new IllegalStateException("webhook store: " + e.getSQLState(), e);
    }
}
