package dev.keyline.platform.support;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.Validation;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A test-only connector ({@code fake-scim}) that validates a SCIM URL and bearer token against an upstream. */
public class FakeScimConnectorFactory implements ConnectorFactory {
    public static final String ID = "fake-scim";

    /** The message code of a rejected token, so tests can follow it into the problem a client gets. */
    public static final String TOKEN_REJECTED = "fake.token_rejected";

    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            ID,
            "Fake SCIM",
            "iam",
            "A SCIM 2.0 service for tests.",
            List.of("Paste the SCIM URL and a bearer token."),
            List.of(
                    CredentialField.url(
                            "scim_url",
                            "SCIM URL",
                            "The base URL of the SCIM API.",
                            "https://scim.example.com/scim/v2",
                            "^https?://.+"),
                    CredentialField.secret("token", "Bearer token", "A token allowed to read the directory.", null)),
            List.of(new ConnectorDescriptor.DocLink("SCIM 2.0", URI.create("https://www.rfc-editor.org/rfc/rfc7644"))),
            Set.of(Capability.CREDENTIAL_VALIDATION));

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorConfig normalize(ConnectorConfig config) {
        String url = config.require("scim_url", "SCIM URL");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw ConnectorException.forField(
                    ErrorCode.INVALID_CONFIG, "scim_url", "The SCIM URL must start with https://.");
        }
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        return config.with("scim_url", url).with("token", config.require("token", "Bearer token"));
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        return new FakeScimConnector(config, context);
    }

    static final class FakeScimConnector implements Connector, CredentialValidator {
        private final ConnectorConfig config;
        private final ConnectorContext context;

        FakeScimConnector(ConnectorConfig config, ConnectorContext context) {
            this.config = config;
            this.context = context;
        }

        @Override
        public Validation validate() {
            URI uri = URI.create(config.require("scim_url", "SCIM URL") + "/ServiceProviderConfig");
            context.logger().debug("validating against " + uri);
            HttpResponse response = context.http()
                    .send(HttpRequest.get(uri)
                            .header("Authorization", "Bearer " + config.require("token", "Bearer token")));
            if (response.status() == 401 || response.status() == 403) {
                throw ConnectorException.builder(
                                ErrorCode.INVALID_CREDENTIALS,
                                "The bearer token was rejected. Create a new token and paste it again.")
                        .field("token")
                        .messageCode(TOKEN_REJECTED)
                        .param("status", response.status())
                        .build();
            }
            if (!response.successful()) {
                throw new ConnectorException(
                        ErrorCode.UPSTREAM_ERROR, "The SCIM service answered " + response.status() + ".");
            }
            return new Validation("Connected to the fake SCIM service.", Map.of("deployment", "hosted"));
        }

        @Override
        public void close() {}
    }
}
