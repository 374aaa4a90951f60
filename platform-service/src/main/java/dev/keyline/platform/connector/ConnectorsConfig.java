package dev.keyline.platform.connector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

@ConfigMapping(prefix = "keyline.connectors")
public interface ConnectorsConfig {

    /**
     * Directory of connector plugin jars, each verified and loaded in its own class loader. A missing directory is a
     * start-up warning, except the default, which a fresh installation without plugins lacks.
     */
    @WithDefault("./plugins")
    Path pluginsDir();
}
