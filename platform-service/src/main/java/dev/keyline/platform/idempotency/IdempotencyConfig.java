package dev.keyline.platform.idempotency;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long answers to requests sent with an {@code Idempotency-Key} are kept for replay. */
@ConfigMapping(prefix = "keyline.idempotency")
public interface IdempotencyConfig {

    /** How long after the first request the same key replays its answer; afterwards the key may be used anew. */
    @WithDefault("24h")
    Duration ttl();

    /**
     * How long a request may hold its key before another request with the key may take it over: only reached when a
     * replica stopped in the middle of the request, as a completed request releases or completes its key.
     */
    @WithDefault("5m")
    Duration lockTimeout();

    /** How often expired keys and their kept answers are deleted; 0 turns the purge off. */
    @WithDefault("10m")
    Duration purgeInterval();
}
