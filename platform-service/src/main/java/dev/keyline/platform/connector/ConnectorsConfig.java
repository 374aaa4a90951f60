package dev.keyline.platform.connector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

@ConfigMapping(prefix = "keyline.connectors")
public interface ConnectorsConfig {

    /** Directory of connector plugin jars, each loaded in its own class loader. A missing directory is fine. */
    @WithDefault("./plugins")
    Path pluginsDir();

    /** The HTTP transport every connector reaches its provider through. */
    Http http();

    interface Http {
        @WithDefault("5s")
        Duration connectTimeout();

        @WithDefault("20s")
        Duration requestTimeout();

        /** Larger upstream answers fail with {@code response_too_large} instead of exhausting memory. */
        @WithDefault("16777216")
        long maxResponseBytes();

        @WithDefault("5")
        int maxRedirects();
    }
}
