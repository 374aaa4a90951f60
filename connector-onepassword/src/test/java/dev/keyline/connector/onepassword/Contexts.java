package dev.keyline.connector.onepassword;

import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorLogger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

final class Contexts {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T12:00:00Z"), ZoneOffset.UTC);

    private Contexts() {}

    static ConnectorContext of(HttpTransport transport) {
        return new ConnectorContext(transport, CLOCK, ConnectorLogger.discarding());
    }
}
