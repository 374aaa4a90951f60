package dev.keyline.platform.connector;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.http.JdkHttpTransport;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorLogger;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Builds the {@link ConnectorContext} handed to connectors: one shared HTTP transport configured from
 * {@code keyline.connectors.http.*}, and a logger that redacts the account's own secret values.
 */
@ApplicationScoped
public class ConnectorContexts {

    @Inject
    ConnectorsConfig config;

    private HttpTransport transport;

    @PostConstruct
    void init() {
        ConnectorsConfig.Http http = config.http();
        transport = JdkHttpTransport.builder()
                .connectTimeout(http.connectTimeout())
                .requestTimeout(http.requestTimeout())
                .maxResponseBytes(http.maxResponseBytes())
                .maxRedirects(http.maxRedirects())
                .build();
    }

    /** A context for one connector instance working on the given configuration. */
    public ConnectorContext contextFor(String provider, ConnectorConfig connectorConfig) {
        requireNonNull(provider, "provider is null");
        requireNonNull(connectorConfig, "connectorConfig is null");
        return new ConnectorContext(
                transport,
                Clock.systemUTC(),
                ConnectorLogger.system("dev.keyline.connector." + provider, connectorConfig.secretValues()));
    }
}
