package dev.keyline.connector.onepassword;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.scim.BearerTokens;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;

/**
 * The 1Password connector plugin ({@code onepassword}): reads users and groups over SCIM 2.0 from
 * 1Password's hosted provisioning or from a self-hosted SCIM bridge.
 */
public final class OnePasswordConnectorFactory implements ConnectorFactory {
    public static final String ID = "onepassword";
    public static final String SCIM_URL = "scim_url";
    public static final String BEARER_TOKEN = "bearer_token";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(ID)
            .displayName("1Password")
            .logoSvgResource(OnePasswordConnectorFactory.class, "logo.svg")
            .description("Reads the people and groups of a 1Password Business account over SCIM, from 1Password's "
                    + "hosted provisioning or from your own SCIM bridge. Read-only.")
            .setupHelp(
                    "Keyline reads users and groups from 1Password over SCIM and never changes anything in "
                            + "1Password. You need two things from the 1Password admin console: the SCIM URL "
                            + "and its bearer token.",
                    "Hosted provisioning: if your account uses 1Password's hosted provisioning, the SCIM URL is "
                            + OnePasswordUrl.HOSTED_URL + " (provisioning.1password.ca or .eu for accounts "
                            + "there). Generate the bearer token under Integrations, on your identity "
                            + "provider's automated provisioning integration.",
                    "Self-hosted SCIM bridge: if you run a 1Password SCIM bridge, the SCIM URL is the address "
                            + "the bridge is published at, for example " + OnePasswordUrl.EXAMPLE_BRIDGE
                            + " (with or without /scim at the end). The bearer token is the one shown when the "
                            + "bridge was set up; you can generate a new one on the bridge's integration page. "
                            + "A bridge connected to Google Workspace has its SCIM API turned off and cannot "
                            + "be read.",
                    "Your sign-in address (such as example.1password.com) is not a SCIM URL.")
            .fields(
                    // A URL field is a routing field: changing it needs the bearer token again.
                    CredentialField.builder(SCIM_URL)
                            .url()
                            .label("SCIM URL")
                            .help("For hosted provisioning: " + OnePasswordUrl.HOSTED_URL + ". For a self-hosted "
                                    + "SCIM bridge: the bridge's address, such as " + OnePasswordUrl.EXAMPLE_BRIDGE
                                    + ". Not your 1Password sign-in address.")
                            .example(OnePasswordUrl.EXAMPLE_BRIDGE)
                            .pattern("^https?://[^\\s/?#@]+(/[^\\s?#]*)?$")
                            .build(),
                    CredentialField.builder(BEARER_TOKEN)
                            .secret()
                            .label("Bearer token")
                            .help("The SCIM bearer token from the 1Password admin console (Integrations). It was "
                                    + "shown once when provisioning was set up; if it is lost, generate a new one.")
                            // Shape only: 1Password tokens are long signed strings like this.
                            .example("eyJhbGciOiJFUzI1NiIsImtpZCI6ImV4YW1wbGUifQ.eyJleGFtcGxlIjp0cnVlfQ.c2lnbmF0dXJl")
                            .build())
            .doc("1Password: Automate provisioning with SCIM", "https://support.1password.com/scim/")
            .doc("1Password SCIM bridge deployment guides", "https://github.com/1Password/scim-examples")
            // Exactly the capability interfaces OnePasswordConnector implements: the one place they are declared.
            .capabilities(
                    Capability.CREDENTIAL_VALIDATION, Capability.USERS, Capability.GROUPS, Capability.HEALTH_PROBE)
            .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * Canonical SCIM URL (see {@link OnePasswordUrl#parse}) and a token without surrounding blanks or a
     * pasted {@code Bearer } prefix.
     */
    @Override
    public ConnectorConfig normalize(ConnectorConfig config) {
        requireNonNull(config, "config is null");
        OnePasswordUrl url = OnePasswordUrl.parse(config.find(SCIM_URL).orElse(null));
        String token = token(config);
        return config.with(SCIM_URL, url.base().toString()).with(BEARER_TOKEN, token);
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        OnePasswordUrl url = OnePasswordUrl.parse(config.find(SCIM_URL).orElse(null));
        return new OnePasswordConnector(url, token(config), context);
    }

    private static String token(ConnectorConfig config) {
        return BearerTokens.clean(
                config.find(BEARER_TOKEN).orElse(null),
                BEARER_TOKEN,
                "onepassword",
                "Enter the SCIM token from the 1Password admin console.",
                "The token contains spaces or line breaks. Copy it again from 1Password, in one piece.");
    }
}
