package dev.keyline.platform.connector;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.platform.egress.EgressTransport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;

/**
 * Builds the {@link ConnectorContext} handed to connectors: the one shared {@link EgressTransport}, so every
 * request a connector makes (validation, live reads, sync) passes the egress policy, and a logger that redacts
 * the account's own secret values.
 */
@ApplicationScoped
public class ConnectorContexts {

    @Inject
    EgressTransport transport;

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
