package dev.keyline.platform.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Settings of webhook delivery (see docs/webhooks.md). */
@ConfigMapping(prefix = "keyline.webhooks")
public interface WebhookConfig {

    /** Runs the delivery worker on this replica. Every replica may run one; claims keep them apart. */
    @WithDefault("true")
    boolean workerEnabled();

    /**
     * Wait before each retry: the first entry after the first failed attempt, and so on. A delivery that fails
     * once more after the last entry is {@code failed}. Each wait is spread by {@link #jitter()}.
     */
    @WithDefault("5s,30s,2m,10m,1h,6h")
    List<Duration> retrySchedule();

    /** Each wait is multiplied by a random factor in [1 - jitter, 1 + jitter], so retries of a burst spread out. */
    @WithDefault("0.2")
    double jitter();

    /** For one attempt: connecting, sending and reading the answer. */
    @WithDefault("10s")
    Duration timeout();

    @WithDefault("5s")
    Duration connectTimeout();

    /**
     * Sends in flight at once on this replica. Sends wait on the network, not the CPU, so this is well above the
     * core count; {@link #perEndpoint()} keeps one slow endpoint from taking them all.
     */
    @WithDefault("16")
    int threads();

    /**
     * Sends in flight at once to one subscription's endpoint, across all replicas: a slow or hanging endpoint holds
     * at most this many, and the rest stay free for other endpoints and tenants.
     */
    @WithDefault("4")
    int perEndpoint();

    /** How often the worker looks for due deliveries when it found none the last time. */
    @WithDefault("1s")
    Duration pollInterval();

    /** How often events queued by the sync are written to the outbox in one batch. */
    @WithDefault("200ms")
    Duration flushInterval();

    /**
     * How long a replica may use its cached view of a tenant's subscriptions. A change made on this replica is
     * seen at once; one made on another replica within this time.
     */
    @WithDefault("5s")
    Duration subscriptionCacheTtl();

    /** Finished deliveries (succeeded or failed) older than this are deleted from the log. */
    @WithDefault("30d")
    Duration retention();

    /**
     * Blocks webhook URLs may reach although they are private, local or reserved: for development and tests only,
     * as they apply to every tenant. Connector allowances ({@code keyline.egress.allow-*}, a tenant's egress
     * settings) never apply to webhooks; {@code keyline.egress.allow-http} and {@code deny-cidrs} do.
     */
    Optional<List<String>> allowCidrs();

    /** Host names or {@code *.suffix} patterns webhook URLs may reach at any address; see {@link #allowCidrs()}. */
    Optional<List<String>> allowHosts();

    /** A 410 Gone answer disables the subscription (its remaining deliveries wait until it is enabled again). */
    @WithDefault("true")
    boolean disableOnGone();
}
