package dev.keyline.platform.monitoring;

import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.observe.KeylineMetrics;
import dev.keyline.platform.observe.ObserveConfig;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Gauges read from PostgreSQL when Prometheus scrapes, at most once per {@code keyline.observe.gauge-ttl} (30 s)
 * however many scrapers ask: linked accounts by provider and status, and the webhook backlog. A failing query keeps
 * the last values (and is logged at debug): metrics must not fail because the database is slow.
 */
@ApplicationScoped
public class DatabaseGauges {
    private static final Logger LOG = Logger.getLogger(DatabaseGauges.class);
    private static final List<String> STATUSES = List.of("active", "error");

    private record AccountKey(String provider, String status) {}

    private record Snapshot(Map<AccountKey, Long> accounts, long backlog, double oldestSeconds, long takenNanos) {}

    private final MeterRegistry registry;
    private final AgroalDataSource dataSource;
    private final ConnectorRegistry connectors;
    private final Duration ttl;
    private final Set<AccountKey> registered = ConcurrentHashMap.newKeySet();
    private volatile Snapshot snapshot;

    DatabaseGauges(
            MeterRegistry registry, AgroalDataSource dataSource, ConnectorRegistry connectors, ObserveConfig config) {
        this.registry = registry;
        this.dataSource = dataSource;
        this.connectors = connectors;
        this.ttl = config.gaugeTtl();
    }

    void register(@Observes StartupEvent event, KeylineMetrics metrics) {
        metrics.initialize(connectors.ids());
        // Every installed connector shows, at zero, before it has accounts: a rise from zero is what alerts watch.
        for (String provider : connectors.ids()) {
            for (String status : STATUSES) {
                account(new AccountKey(provider, status));
            }
        }
        Gauge.builder("keyline.webhook.backlog", this, g -> g.current().backlog())
                .description("Webhook deliveries waiting to be sent")
                .register(registry);
        Gauge.builder(
                        "keyline.webhook.backlog.oldest.seconds",
                        this,
                        g -> g.current().oldestSeconds())
                .description("Age of the oldest webhook delivery waiting to be sent")
                .register(registry);
    }

    private void account(AccountKey key) {
        if (registered.add(key)) {
            Gauge.builder("keyline.accounts", this, g -> g.current().accounts().getOrDefault(key, 0L))
                    .description("Linked accounts by provider and status")
                    .tag("provider", key.provider())
                    .tag("status", key.status())
                    .register(registry);
        }
    }

    private Snapshot current() {
        Snapshot taken = snapshot;
        if (taken != null && System.nanoTime() - taken.takenNanos() < ttl.toNanos()) {
            return taken;
        }
        synchronized (this) {
            taken = snapshot;
            if (taken == null || System.nanoTime() - taken.takenNanos() >= ttl.toNanos()) {
                taken = read(taken);
                snapshot = taken;
            }
        }
        return taken;
    }

    private Snapshot read(Snapshot previous) {
        try (Connection connection = dataSource.getConnection()) {
            Map<AccountKey, Long> accounts = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                            "select provider, status, count(*) from linked_accounts where status <> 'unlinked'"
                                    + " group by provider, status");
                    ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    accounts.put(new AccountKey(rows.getString(1), rows.getString(2)), rows.getLong(3));
                }
            }
            long backlog;
            double oldest;
            try (PreparedStatement statement = connection.prepareStatement(
                            "select count(*), coalesce(extract(epoch from (now() - min(created_at))), 0)"
                                    + " from webhook_deliveries where state = 'pending'");
                    ResultSet rows = statement.executeQuery()) {
                rows.next();
                backlog = rows.getLong(1);
                oldest = rows.getDouble(2);
            }
            // A provider seen for the first time (a connector since removed, say) gets its gauges now.
            accounts.keySet().forEach(this::account);
            return new Snapshot(Map.copyOf(accounts), backlog, oldest, System.nanoTime());
        } catch (SQLException | RuntimeException e) {
            LOG.debugf(
                    "Metrics: could not read account and webhook counts (%s)",
                    e.getClass().getSimpleName());
            Snapshot kept = previous == null ? new Snapshot(Map.of(), 0, 0, 0) : previous;
            return new Snapshot(kept.accounts(), kept.backlog(), kept.oldestSeconds(), System.nanoTime());
        }
    }
}
