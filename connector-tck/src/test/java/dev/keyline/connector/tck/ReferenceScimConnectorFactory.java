package dev.keyline.connector.tck;

import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.CredentialField;
import java.net.URI;
import java.util.EnumSet;
import java.util.List;

/**
 * A small, correct SCIM connector that exists only to prove the kit: it must pass every conformance test,
 * and broken variants of it must not.
 */
public class ReferenceScimConnectorFactory implements dev.keyline.connector.spi.ConnectorFactory {
    static final String ID = "tck-reference-scim";

    private final String id;
    private final ReferenceScimConnector.Flaw flaw;

    public ReferenceScimConnectorFactory() {
        this(ID, ReferenceScimConnector.Flaw.NONE);
    }

    protected ReferenceScimConnectorFactory(String id, ReferenceScimConnector.Flaw flaw) {
        this.id = id;
        this.flaw = flaw;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return new ConnectorDescriptor(
                id,
                "Reference SCIM",
                "iam",
                "A minimal read-only SCIM 2.0 connector used to test the conformance kit.",
                List.of("Enter the SCIM base URL and a bearer token of the SCIM service."),
                List.of(
                        CredentialField.url(
                                "scim_url",
                                "SCIM URL",
                                "The base URL of the SCIM service, without /Users.",
                                "https://scim.example.com/scim/v2",
                                "https?://.+"),
                        CredentialField.secret(
                                "bearer_token", "Bearer token", "A token allowed to read users.", "tok_example")),
                List.of(new ConnectorDescriptor.DocLink(
                        "RFC 7644", URI.create("https://www.rfc-editor.org/rfc/rfc7644"))),
                EnumSet.of(Capability.CREDENTIAL_VALIDATION, Capability.USERS, Capability.GROUPS));
    }

    @Override
    public ConnectorConfig normalize(ConnectorConfig config) {
        return config.find("scim_url")
                .map(url -> url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
                .map(url -> config.with("scim_url", url))
                .orElse(config);
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        String url = config.require("scim_url", "SCIM URL");
        String token = config.require("bearer_token", "Bearer token");
        if (flaw == ReferenceScimConnector.Flaw.UNDECLARED_HEALTH_PROBE) {
            return new ReferenceScimConnector.WithProbe(url, token, context);
        }
        return new ReferenceScimConnector(url, token, context, flaw);
    }
}
