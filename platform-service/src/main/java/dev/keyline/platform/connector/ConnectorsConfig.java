package dev.keyline.platform.connector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

@ConfigMapping(prefix = "keyline.connectors")
public interface ConnectorsConfig {

    /**
     * Directory of connector plugin jars, each verified and loaded in its own class loader. A missing directory is a
     * start-up warning, except the default, which a fresh installation without plugins lacks.
     */
    @WithDefault("./plugins")
    Path pluginsDir();

    Calls calls();

    /** How calls into connector code are run: on each connector's own threads, under a deadline. */
    interface Calls {
        /**
         * Longest a validation, health probe, {@code normalize} or {@code create} may take before it is abandoned
         * and answered {@code timeout}.
         */
        @WithDefault("30s")
        Duration deadline();

        /**
         * Longest one read (a live read, one sync page) may take. Follows {@code keyline.iam.upstream.timeout}, the
         * older name of the live-read time-out, unless set.
         */
        @WithDefault("${keyline.iam.upstream.timeout:30s}")
        Duration readDeadline();

        /**
         * Calls into one connector that may run at once, over all accounts and tenants. Past it, a call is answered
         * {@code connector_busy} at once rather than queued behind calls that may be stuck.
         */
        @WithDefault("16")
        int bulkhead();
    }
}
