package dev.keyline.connector.okta;

import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.tck.JdkHttpTransport;
import dev.keyline.connector.tck.ReroutingTransport;
import dev.keyline.connector.tck.okta.OktaDouble;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** A connector for {@code https://acme.okta.com}, routed to an {@link OktaDouble}. */
final class OktaFixture {
    static final String DOMAIN = "acme.okta.com";
    private static final OktaConnectorFactory FACTORY = new OktaConnectorFactory();

    private OktaFixture() {}

    static HttpTransport transport(OktaDouble okta) {
        return new ReroutingTransport(
                JdkHttpTransport.builder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .requestTimeout(Duration.ofSeconds(15))
                        .build(),
                URI.create("https://" + DOMAIN),
                URI.create(okta.orgUrl()));
    }

    /** With the double's API token; {@code extra} adds or overrides fields. */
    static Connector withToken(OktaDouble okta, String token, Map<String, String> extra) {
        Map<String, String> values =
                new HashMap<>(Map.of(OktaConnectorFactory.OKTA_DOMAIN, DOMAIN, OktaConnectorFactory.API_TOKEN, token));
        values.putAll(extra);
        return create(okta, new ConnectorConfig(values, Set.of(OktaConnectorFactory.API_TOKEN)), Clock.systemUTC());
    }

    static Connector withToken(OktaDouble okta) {
        return withToken(okta, okta.apiToken(), Map.of());
    }

    /** With a platform-run OAuth authorization (the service app kind). */
    static Connector withOauth(OktaDouble okta, Authorization authorization) {
        ConnectorConfig config = new ConnectorConfig(Map.of(OktaConnectorFactory.OKTA_DOMAIN, DOMAIN), Set.of())
                .withAuthorization(authorization);
        return create(okta, config, Clock.systemUTC());
    }

    static Connector create(OktaDouble okta, ConnectorConfig config, Clock clock) {
        ConnectorConfig normalized = FACTORY.normalize(config);
        return FACTORY.create(normalized, new ConnectorContext(transport(okta), clock, ConnectorLogger.discarding()));
    }

    static UserDirectory users(Connector connector) {
        return connector.require(Capability.USERS, UserDirectory.class);
    }
}
