package dev.keyline.platform.webhook;

import static dev.keyline.platform.db.NativeSql.instant;
import static dev.keyline.platform.db.NativeSql.intValue;
import static dev.keyline.platform.db.NativeSql.integer;
import static dev.keyline.platform.db.NativeSql.string;
import static java.util.Objects.requireNonNull;

import dev.keyline.platform.db.NativeSql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The delivery outbox in PostgreSQL: deliveries, their claims and attempts. Every statement a client's request leads
 * to takes the tenant id, so another tenant's rows are simply not found. Times that decide who sends what and when
 * ({@code next_attempt_at}) come from the database's clock, so replicas agree. Each method is one statement in the
 * caller's transaction or its own, except {@link #claim}, which commits its own.
 */
@ApplicationScoped
public class WebhookStore {
    private static final String DELIVERY_COLUMNS = "id, tenant_id, subscription_id, event_id, event_type, state,"
            + " attempts, next_attempt_at, last_status, last_error, redelivery_of, created_at, updated_at,"
            + " last_attempt_at";

    private static final String FOREIGN_KEY_VIOLATION = "23503";

    /*
     * One statement for the whole batch, as one JDBC batch was: one round trip, one now() for every row. Rows whose
     * subscription (of that tenant) is gone are left out, and ids or events already stored are skipped.
     */
    private static final String INSERT_DELIVERIES = "insert into webhook_deliveries (id, tenant_id, subscription_id,"
            + " event_id, event_type, payload, state, attempts, next_attempt_at, redelivery_of, created_at, updated_at)"
            + " select d.id, d.tenant_id, d.subscription_id, d.event_id, d.event_type, d.payload, 'pending', 0, now(),"
            + " d.redelivery_of, now(), now()"
            + " from unnest(cast(? as varchar[]), cast(? as varchar[]), cast(? as varchar[]), cast(? as varchar[]),"
            + "   cast(? as varchar[]), cast(? as text[]), cast(? as varchar[]))"
            + "   as d(id, tenant_id, subscription_id, event_id, event_type, payload, redelivery_of)"
            + " where exists (select 1 from webhook_subscriptions w where w.id = d.subscription_id"
            + "   and w.tenant_id = d.tenant_id)"
            + " on conflict do nothing";

    private final NativeSql sql;
    private final WebhookSubscriptionStore subscriptions;

    public WebhookStore(NativeSql sql, WebhookSubscriptionStore subscriptions) {
        this.sql = requireNonNull(sql, "sql is null");
        this.subscriptions = requireNonNull(subscriptions, "subscriptions is null");
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

    /**
     * Turns the subscription off when the delivery path finds it cannot work (its endpoint is gone); see {@link
     * WebhookSubscriptionStore#disable}.
     */
    boolean disable(String tenantId, String subscriptionId, String reason) {
        return subscriptions.disable(tenantId, subscriptionId, reason);
    }

    /**
     * Inserts in one statement, due now. A row whose subscription is gone (deleted, or its tenant deleted, since the
     * event was routed) is skipped rather than failing the batch, so one stale route cannot block the outbox.
     */
    void insertDeliveries(List<NewDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        boolean joined = QuarkusTransaction.isActive();
        try {
            insert(deliveries);
        } catch (RuntimeException e) {
            if (joined || !foreignKeyViolation(e)) {
                throw e;
            }
            // A subscription deleted between the existence check and the insert: one by one, skipping those.
            for (NewDelivery d : deliveries) {
                try {
                    insert(List.of(d));
                } catch (RuntimeException one) {
                    if (!foreignKeyViolation(one)) {
                        throw one;
                    }
                }
            }
        }
    }

    private void insert(List<NewDelivery> deliveries) {
        int n = deliveries.size();
        String[][] columns = new String[7][n];
        for (int i = 0; i < n; i++) {
            NewDelivery d = deliveries.get(i);
            columns[0][i] = d.id();
            columns[1][i] = d.tenantId();
            columns[2][i] = d.subscriptionId();
            columns[3][i] = d.eventId();
            columns[4][i] = d.eventType();
            columns[5][i] = d.payload();
            columns[6][i] = d.redeliveryOf();
        }
        sql.update(INSERT_DELIVERIES, (Object[]) columns);
    }

    private static boolean foreignKeyViolation(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException s && FOREIGN_KEY_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    Optional<Delivery> findDelivery(String tenantId, String subscriptionId, String id) {
        return deliveries(
                        "select " + DELIVERY_COLUMNS + " from webhook_deliveries"
                                + " where tenant_id = ? and subscription_id = ? and id = ?",
                        tenantId,
                        subscriptionId,
                        id)
                .stream()
                .findFirst();
    }

    Optional<String> payload(String tenantId, String id) {
        return sql.row("select payload from webhook_deliveries where tenant_id = ? and id = ?", tenantId, id)
                .map(row -> string(row[0]));
    }

    /** Newest first, after the position when given; {@code state} filters when non-null. */
    List<Delivery> pageDeliveries(
            String tenantId, String subscriptionId, String state, Instant beforeCreatedAt, String beforeId, int limit) {
        StringBuilder query = new StringBuilder(
                "select " + DELIVERY_COLUMNS + " from webhook_deliveries where tenant_id = ? and subscription_id = ?");
        List<Object> args = new ArrayList<>(List.of(tenantId, subscriptionId));
        if (state != null) {
            query.append(" and state = ?");
            args.add(state);
        }
        if (beforeCreatedAt != null) {
            query.append(" and (created_at, id) < (?, ?)");
            args.add(beforeCreatedAt);
            args.add(beforeId);
        }
        query.append(" order by created_at desc, id desc limit ?");
        args.add(limit);
        return deliveries(query.toString(), args.toArray());
    }

    /**
     * Claims up to {@code limit} due deliveries of enabled subscriptions, taking turns: first across tenants, then
     * across a tenant's endpoints, so one tenant's backlog cannot hold back another tenant's first delivery. A
     * tenant or an endpoint with sends in flight (on any replica) waits its turn behind those with fewer, and no
     * endpoint gets more than {@code perEndpoint} sends in flight across all replicas. A claimed delivery's
     * {@code next_attempt_at} moves a lease away, so if this replica dies mid-send another one sends again once the
     * lease has passed.
     *
     * <p>Two statements in one transaction of their own: the first locks the subscriptions that have due deliveries
     * ({@code FOR NO KEY UPDATE SKIP LOCKED}: replicas claiming at once split the endpoints between them, and the
     * foreign-key checks of outbox inserts are not blocked); the second, with a snapshot taken after those locks,
     * sees every claim other replicas made for them, so the per-endpoint count is exact.
     */
    List<Claimed> claim(String claim, Duration lease, int limit, int perEndpoint) {
        if (limit <= 0 || perEndpoint <= 0) {
            return List.of();
        }
        return sql.claiming(tx -> {
            String[] subscriptions = tx.rows(LOCK_DUE_SUBSCRIPTIONS).stream()
                    .map(row -> string(row[0]))
                    .toArray(String[]::new);
            if (subscriptions.length == 0) {
                return List.of();
            }
            return tx
                    .rows(
                            CLAIM_TURNS,
                            Math.min(limit, perEndpoint),
                            subscriptions,
                            perEndpoint,
                            limit,
                            lease.toMillis(),
                            claim)
                    .stream()
                    .map(row -> new Claimed(
                            string(row[0]),
                            string(row[1]),
                            string(row[2]),
                            string(row[3]),
                            string(row[4]),
                            string(row[5]),
                            intValue(row[6]),
                            string(row[7]),
                            intValue(row[8])))
                    .toList();
        });
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
            + "   where w.id = any(cast(? as varchar[])) and w.enabled and due.rank <= ? - coalesce(b.n, 0)),"
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

    /**
     * Records one attempt's outcome if this replica still holds the claim. {@code retryIn} null means no further
     * attempt: the delivery ends {@code succeeded} or {@code failed}.
     */
    boolean recordAttempt(String id, String claim, boolean succeeded, Integer status, String error, Duration retryIn) {
        String state = succeeded ? "succeeded" : retryIn == null ? "failed" : "pending";
        return sql.update(
                        "update webhook_deliveries set state = ?, attempts = attempts + 1, last_status = ?,"
                                + " last_error = ?,"
                                + " next_attempt_at = case when ? then now() + ? * interval '1 millisecond' else null end,"
                                + " claim = null, last_attempt_at = now(), updated_at = now()"
                                + " where id = ? and claim = ?",
                        state,
                        NativeSql.typed(status, Integer.class),
                        NativeSql.typed(error, String.class),
                        retryIn != null && !succeeded,
                        retryIn == null ? 0L : retryIn.toMillis(),
                        id,
                        claim)
                == 1;
    }

    /** Deletes finished deliveries last touched before the cut-off; how many. */
    int purgeFinished(Duration olderThan) {
        return sql.update(
                "delete from webhook_deliveries where state <> 'pending'"
                        + " and updated_at < now() - ? * interval '1 second'",
                olderThan.toSeconds());
    }

    private List<Delivery> deliveries(String query, Object... args) {
        return sql.rows(query, args).stream()
                .map(row -> new Delivery(
                        string(row[0]),
                        string(row[1]),
                        string(row[2]),
                        string(row[3]),
                        string(row[4]),
                        string(row[5]),
                        intValue(row[6]),
                        instant(row[7]),
                        integer(row[8]),
                        string(row[9]),
                        string(row[10]),
                        instant(row[11]),
                        instant(row[12]),
                        instant(row[13])))
                .toList();
    }
}
