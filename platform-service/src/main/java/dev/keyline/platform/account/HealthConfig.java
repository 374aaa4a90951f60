package dev.keyline.platform.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Periodic credential checks of linked accounts (see docs/sync-and-health.md). */
@ConfigMapping(prefix = "keyline.health")
public interface HealthConfig {

    /** Whether this replica runs periodic checks; every replica may, the claim in PostgreSQL shares them out. */
    @WithDefault("true")
    boolean enabled();

    /** Time between two periodic checks of one account. */
    @WithDefault("24h")
    Duration checkInterval();

    /** How often this replica looks for accounts due a check. */
    @WithDefault("5m")
    Duration tick();

    /** Accounts one tick claims at most; the rest wait for the next tick. */
    @WithDefault("20")
    int batch();

    /**
     * Checks in a row that must find the provider temporarily unavailable (time-out, refused connection, 5xx,
     * throttling) before an active account goes to {@code error}. Credential and configuration errors flip it
     * at once.
     */
    @WithDefault("3")
    int unavailableThreshold();
}
