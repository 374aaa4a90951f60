package dev.keyline.platform.authconfig;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;

/**
 * A test-only connector ({@code fake-authcode}) connected with the authorization code kind only, at an authorize
 * and token URL templated by a non-secret {@code domain} field: a provider a tenant registers its own OAuth app for.
 */
public class AuthCodeConnectorFactory implements ConnectorFactory {
    public static final String ID = "fake-authcode";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(ID)
            .displayName("Fake authorization code")
            .description("A provider connected with OAuth2 authorization code, for tests.")
            .fields(CredentialField.url(
                    "domain", "Domain", "Where the provider runs.", "https://idp.example.com", "^https?://.+"))
            .authKind(AuthKind.oauth2AuthorizationCode("{domain}/authorize", "{domain}/token")
                    .scopes("users.read")
                    .fields("domain")
                    .build())
            .build();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        return () -> {};
    }
}
