package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.http.HttpTransport;
import java.time.Clock;

/**
 * What the platform hands a connector. Connectors make every network call through {@link #http()}, which
 * enforces the platform's egress policy, time-outs and size caps; they must not open sockets of their own.
 *
 * @param logger a logger that redacts the account's secrets
 */
public record ConnectorContext(HttpTransport http, Clock clock, ConnectorLogger logger) {
    public ConnectorContext {
        requireNonNull(http, "http is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(logger, "logger is null");
    }
}
