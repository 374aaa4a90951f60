package dev.keyline.platform.reqlog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The per-account request log (docs/operations.md, "Request log"). */
@ConfigMapping(prefix = "keyline.request-log")
public interface RequestLogConfig {
    /** Off, nothing is queued or written; the read answers what is already stored. */
    @WithDefault("true")
    boolean enabled();

    /** How long entries are kept. */
    @WithDefault("7d")
    Duration retention();

    /** The most entries kept per account (and per tenant for link attempts, which have no account): newest win. */
    @WithDefault("10000")
    int maxPerAccount();

    /** Entries waiting to be written; beyond it new ones are dropped and counted, never waited for. */
    @WithDefault("10000")
    int queueCapacity();

    /** How often the queue is written to the database. */
    @WithDefault("1s")
    Duration flushInterval();

    /** How often the retention and the cap are enforced; 0 turns the purge off. */
    @WithDefault("10m")
    Duration purgeInterval();
}
