package dev.keyline.connector.genericscim;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.scim.BearerTokens;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;
import java.net.URI;

/**
 * The generic SCIM 2.0 connector plugin ({@code scim}): reads users and groups from any SCIM 2.0 service
 * provider, such as an application that Okta, Microsoft Entra ID or Keycloak provisions into. It is shipped
 * as a plugin jar, not on the platform's class path.
 */
public final class GenericScimConnectorFactory implements ConnectorFactory {
    public static final String ID = "scim";
    public static final String SCIM_URL = "scim_url";
    public static final String BEARER_TOKEN = "bearer_token";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(ID)
            .displayName("SCIM 2.0 (any provider)")
            .logoSvgResource(GenericScimConnectorFactory.class, "logo.svg")
            .description("Reads the users and groups of any application that speaks SCIM 2.0 with a bearer token. "
                    + "Read-only.")
            .setupHelp(
                    "Keyline reads users and groups over SCIM 2.0 and never changes anything. You need the "
                            + "application's SCIM base URL (the address below which /Users and /Groups live) and "
                            + "a bearer token allowed to read them.",
                    "If an identity provider already provisions the application, reuse its values: in Okta, the "
                            + "app's Provisioning > Integration page (SCIM connector base URL and API token); in "
                            + "Microsoft Entra ID, the enterprise application's Provisioning > Admin credentials "
                            + "(Tenant URL and Secret token); in Keycloak, the SCIM endpoint and token configured "
                            + "for the realm's SCIM client.",
                    "The base URL usually ends in /scim/v2 or /scim. Do not paste the application's sign-in page.")
            .fields(
                    // A URL field is a routing field: changing it needs the bearer token again.
                    CredentialField.builder(SCIM_URL)
                            .url()
                            .label("SCIM base URL")
                            .help("The application's SCIM 2.0 base URL, for example " + ScimUrl.EXAMPLE
                                    + ". Okta calls it the SCIM connector base URL, Entra ID the Tenant URL.")
                            .example(ScimUrl.EXAMPLE)
                            .pattern("^https?://[^\\s/?#@]+(/[^\\s?#]*)?$")
                            .build(),
                    CredentialField.builder(BEARER_TOKEN)
                            .secret()
                            .label("Bearer token")
                            .help("A token the application accepts as 'Authorization: Bearer <token>' for reading "
                                    + "users and groups. Okta calls it the API token, Entra ID the Secret token.")
                            .example("scim-token-0123456789abcdef")
                            .build())
            .doc("RFC 7644: SCIM protocol", "https://datatracker.ietf.org/doc/html/rfc7644")
            .doc("Okta: SCIM provisioning", "https://developer.okta.com/docs/concepts/scim/")
            .doc(
                    "Microsoft Entra ID: provisioning with SCIM",
                    "https://learn.microsoft.com/en-us/entra/identity/app-provisioning/"
                            + "use-scim-to-provision-users-and-groups")
            // Exactly the capability interfaces GenericScimConnector implements: the one place they are declared.
            .capabilities(
                    Capability.CREDENTIAL_VALIDATION, Capability.USERS, Capability.GROUPS, Capability.HEALTH_PROBE)
            .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** A cleaned-up base URL and a token without blanks or a pasted {@code Bearer } prefix. */
    @Override
    public ConnectorConfig normalize(ConnectorConfig config) {
        requireNonNull(config, "config is null");
        URI base = ScimUrl.parse(config.find(SCIM_URL).orElse(null));
        return config.with(SCIM_URL, base.toString()).with(BEARER_TOKEN, token(config));
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        return new GenericScimConnector(ScimUrl.parse(config.find(SCIM_URL).orElse(null)), token(config), context);
    }

    private static String token(ConnectorConfig config) {
        return BearerTokens.clean(
                config.find(BEARER_TOKEN).orElse(null),
                BEARER_TOKEN,
                "genericscim",
                "Enter the application's SCIM bearer token.",
                "The token contains spaces or line breaks. Copy it again, in one piece.");
    }
}
