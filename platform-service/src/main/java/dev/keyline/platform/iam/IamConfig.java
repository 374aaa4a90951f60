package dev.keyline.platform.iam;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the unified IAM API and of how it guards live calls to providers. */
@ConfigMapping(prefix = "keyline.iam")
public interface IamConfig {

    @WithDefault("25")
    int defaultPageSize();

    @WithDefault("1000")
    int maxPageSize();

    /**
     * Key (at least 32 characters) that signs paging cursors, so a client cannot forge one. Replicas must
     * share it. Without it a random key is made at start, and cursors do not survive a restart.
     */
    Optional<String> cursorKey();

    /**
     * How long an account's last successful sync, once read, is trusted by the reads (which choose between the
     * store and the provider by it). A sync ending on this replica is seen at once, on another within this time.
     */
    @WithDefault("5s")
    Duration lastSyncCacheTtl();

    Upstream upstream();

    /** Protection applied per linked account, so one slow or failing provider cannot take the service down. */
    interface Upstream {
        /**
         * Longest a single live call (including the connector's own paging) may take: the older name of
         * {@code keyline.connectors.calls.read-deadline}, which follows it unless set itself.
         */
        @WithDefault("30s")
        Duration timeout();

        /** Retries after a retryable failure (429, 5xx, connection failure); a time-out is never retried. */
        @WithDefault("2")
        int maxRetries();

        /** First retry delay; doubled on each further retry. */
        @WithDefault("200ms")
        Duration retryDelay();

        /** A provider's `Retry-After` longer than this is not waited out; the client gets 503 at once. */
        @WithDefault("5s")
        Duration maxRetryAfter();

        /** Live calls that may run at once against one account. */
        @WithDefault("8")
        int bulkheadLimit();

        /** Calls in the rolling window before the circuit breaker judges the failure ratio. */
        @WithDefault("10")
        int circuitBreakerVolume();

        @WithDefault("0.5")
        double circuitBreakerFailureRatio();

        /** How long an open circuit rejects calls before letting a trial call through. */
        @WithDefault("30s")
        Duration circuitBreakerDelay();
    }
}
