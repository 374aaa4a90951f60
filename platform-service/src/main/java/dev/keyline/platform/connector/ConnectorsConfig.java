package dev.keyline.platform.connector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

@ConfigMapping(prefix = "keyline.connectors")
public interface ConnectorsConfig {

    /** Directory of connector plugin jars, each loaded in its own class loader. A missing directory is fine. */
    @WithDefault("./plugins")
    Path pluginsDir();
}
