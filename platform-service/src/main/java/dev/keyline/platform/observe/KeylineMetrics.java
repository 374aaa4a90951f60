package dev.keyline.platform.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Keyline's own meters, besides the HTTP server's that Quarkus keeps. Meters are made once per label set and kept
 * here, so a hot path (every upstream request) looks one up in a map instead of building it in the registry.
 *
 * <p>Label values are connector ids, SPI call names, outcomes and codes from closed sets: never tenant ids,
 * account ids or anything a customer wrote (docs/operations.md lists every label and its cardinality).
 */
@ApplicationScoped
public class KeylineMetrics {
    /** Buckets of the latency histograms, in seconds: a provider call is tens of milliseconds to tens of seconds. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(25),
        Duration.ofMillis(50),
        Duration.ofMillis(100),
        Duration.ofMillis(250),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofMillis(2500),
        Duration.ofSeconds(5),
        Duration.ofSeconds(10),
        Duration.ofSeconds(30)
    };

    private static final Duration[] SYNC_BUCKETS = {
        Duration.ofSeconds(1),
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        Duration.ofHours(1)
    };

    private final MeterRegistry registry;
    private final ConcurrentMap<List<String>, Timer> timers = new ConcurrentHashMap<>();
    private final ConcurrentMap<List<String>, Counter> counters = new ConcurrentHashMap<>();

    public KeylineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Every series an alert watches exists from start-up, at zero, for each installed connector: a counter that
     * appears only with its first event makes {@code rate()} miss that event, and an alert on it never fire.
     */
    public void initialize(Collection<String> providers) {
        for (String provider : providers) {
            counter("keyline.token.refreshes", "Access token renewals", "provider", provider, "outcome", "failed");
            counter("keyline.token.refreshes", "Access token renewals", "provider", provider, "outcome", "succeeded");
            counter("keyline.sync.guard.stops", "Syncs the deletion guard stopped", "provider", provider);
            counter("keyline.sync.records", "Records (users, groups, roles) a sync read", "provider", provider);
            counter(
                    "keyline.upstream.retries",
                    "Connector calls retried",
                    "provider",
                    provider,
                    "reason",
                    "rate_limited");
            waitTimer(provider);
        }
        for (String caller : List.of("tenant", "operator", "anonymous")) {
            counter("keyline.ratelimit.rejections", "API calls refused by the rate limiter", "caller", caller);
        }
    }

    /** One request a connector (or the platform for it) sent upstream, by the class of its answer. */
    public void upstreamRequest(UpstreamScope.Current scope, String statusClass, long nanos) {
        timers.computeIfAbsent(
                        List.of("upstream", scope.provider(), scope.operation(), statusClass),
                        key -> Timer.builder("keyline.upstream.requests")
                                .description("Requests connectors sent to their providers")
                                .tag("provider", scope.provider())
                                .tag("operation", scope.operation())
                                .tag("status_class", statusClass)
                                .serviceLevelObjectives(LATENCY_BUCKETS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A connector call tried again after a retryable failure ({@code reason}: the connector error code). */
    public void upstreamRetry(String provider, String reason) {
        counter("keyline.upstream.retries", "Connector calls retried", "provider", provider, "reason", reason)
                .increment();
    }

    /** Time spent waiting out a provider's {@code Retry-After} before trying again. */
    public void rateLimitWait(String provider, Duration wait) {
        waitTimer(provider).record(wait);
    }

    private Timer waitTimer(String provider) {
        return timers.computeIfAbsent(
                List.of("wait", provider),
                key -> Timer.builder("keyline.upstream.rate.limit.wait")
                        .description("Waits for a provider's Retry-After before a retry")
                        .tag("provider", provider)
                        .register(registry));
    }

    /** A sync run ended: {@code outcome} succeeded, failed or guard_stopped. */
    public void syncRun(String provider, String mode, String outcome, long nanos, long records) {
        timers.computeIfAbsent(
                        List.of("sync", provider, mode, outcome),
                        key -> Timer.builder("keyline.sync.runs")
                                .description("Sync runs by how they ended")
                                .tag("provider", provider)
                                .tag("mode", mode)
                                .tag("outcome", outcome)
                                .serviceLevelObjectives(SYNC_BUCKETS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        if (records > 0) {
            counter("keyline.sync.records", "Records (users, groups, roles) a sync read", "provider", provider)
                    .increment(records);
        }
        if ("guard_stopped".equals(outcome)) {
            counter("keyline.sync.guard.stops", "Syncs the deletion guard stopped", "provider", provider)
                    .increment();
        }
    }

    /** An OAuth token renewal: succeeded or failed. */
    public void tokenRefresh(String provider, boolean succeeded) {
        counter(
                        "keyline.token.refreshes",
                        "Access token renewals",
                        "provider",
                        provider,
                        "outcome",
                        succeeded ? "succeeded" : "failed")
                .increment();
    }

    /** One webhook delivery attempt: succeeded, failed (will retry or gave up), gone, or error (not sent). */
    public void webhookDelivery(String outcome, long nanos) {
        timers.computeIfAbsent(
                        List.of("webhook", outcome),
                        key -> Timer.builder("keyline.webhook.deliveries")
                                .description("Webhook delivery attempts")
                                .tag("outcome", outcome)
                                .serviceLevelObjectives(LATENCY_BUCKETS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One call to the credential store. */
    public void credentialStore(String operation, boolean succeeded, long nanos) {
        String outcome = succeeded ? "ok" : "error";
        timers.computeIfAbsent(
                        List.of("credentials", operation, outcome),
                        key -> Timer.builder("keyline.credential.store")
                                .description("Credential store calls")
                                .tag("operation", operation)
                                .tag("outcome", outcome)
                                .serviceLevelObjectives(LATENCY_BUCKETS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A call refused by Keyline's own API rate limiter; {@code caller}: tenant, operator or anonymous. */
    public void rateLimitRejected(String caller) {
        counter("keyline.ratelimit.rejections", "API calls refused by the rate limiter", "caller", caller)
                .increment();
    }

    /** The class an upstream answer is counted under: 429 apart from the other 4xx, as it says to slow down. */
    public static String statusClass(int status) {
        if (status == 429) {
            return "429";
        }
        if (status < 100 || status > 599) {
            return "error";
        }
        return (status / 100) + "xx";
    }

    private Counter counter(String name, String description, String... tags) {
        return counters.computeIfAbsent(
                List.of(name, String.join("\u0000", tags)),
                key -> Counter.builder(name).description(description).tags(tags).register(registry));
    }
}
