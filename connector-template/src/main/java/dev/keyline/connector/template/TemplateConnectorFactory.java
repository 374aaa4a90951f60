package dev.keyline.connector.template;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.scim.BearerTokens;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.connector.spi.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The connector plugin {@code template}, a starting point: it reads a SCIM 2.0 directory with connector-scim
 * and passes the conformance kit as it stands. Make it yours by changing the descriptor (what the connect form
 * shows), the URL rules in {@link #normalize} and, if your provider has more to say than a generic SCIM server,
 * the diagnoses {@link TemplateConnector} hands to {@code ScimValidation}.
 */
public final class TemplateConnectorFactory implements ConnectorFactory {
    public static final String ID = "template";
    public static final String SCIM_URL = "scim_url";
    public static final String BEARER_TOKEN = "bearer_token";
    static final String EXAMPLE_URL = "https://directory.example.com/scim/v2";
    // Every failure carries a stable message code beside its sentence, namespaced by the connector (lower-case
    // dotted words: no dashes), so a connect UI can show it in another language.
    static final String MESSAGE_CODES = "template";

    // The descriptor drives the connect UI and GET /connectors: every field needs a label, help and an example,
    // and the kit checks that (descriptorIsComplete).
    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(ID)
            .displayName("Template directory")
            .logoSvgResource(TemplateConnectorFactory.class, "logo.svg")
            .description("Reads the users and groups of a directory over SCIM 2.0. Read-only.")
            .setupHelp(
                    "Keyline reads users and groups and never changes anything. You need the directory's SCIM base "
                            + "URL and a bearer token that may read users and groups.",
                    "Find both in the directory's admin console, under its provisioning or SCIM settings.")
            .fields(
                    // A URL field is a routing field: changing it needs the bearer token again. A host, domain,
                    // tenant or region that decides where requests go is a text field marked .routing().
                    CredentialField.builder(SCIM_URL)
                            .url()
                            .label("SCIM base URL")
                            .help("The address below which /Users and /Groups live, for example " + EXAMPLE_URL + ".")
                            .example(EXAMPLE_URL)
                            .pattern("^https?://[^\\s/?#@]+(/[^\\s?#]*)?$")
                            .build(),
                    CredentialField.builder(BEARER_TOKEN)
                            .secret()
                            .label("Bearer token")
                            .help("A token that may read users and groups, from the directory's admin console.")
                            .example("example-token-0123456789")
                            .build())
            .doc("RFC 7644: SCIM protocol", "https://datatracker.ietf.org/doc/html/rfc7644")
            // Exactly the capability interfaces TemplateConnector implements: the one place they are declared, and
            // the kit checks both ways.
            .capabilities(Capability.CREDENTIAL_VALIDATION, Capability.USERS, Capability.GROUPS)
            .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** Canonical values, without network access: the platform stores what this returns. */
    @Override
    public ConnectorConfig normalize(ConnectorConfig config) {
        requireNonNull(config, "config is null");
        return config.with(SCIM_URL, baseUrl(config).toString()).with(BEARER_TOKEN, token(config));
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        return new TemplateConnector(baseUrl(config), token(config), context);
    }

    private static URI baseUrl(ConnectorConfig config) {
        String text = config.find(SCIM_URL)
                .orElseThrow(
                        () -> invalidUrl("url_missing", "Enter the SCIM base URL, for example " + EXAMPLE_URL + "."));
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalidUrl();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http"))
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null) {
            throw invalidUrl();
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
        return URI.create(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port + path);
    }

    /** Without a pasted {@code Bearer } prefix: people copy the whole header value. */
    private static String token(ConnectorConfig config) {
        return BearerTokens.clean(
                config.find(BEARER_TOKEN).orElse(null),
                BEARER_TOKEN,
                MESSAGE_CODES,
                "Enter the bearer token from the directory's admin console.",
                "Paste the bearer token in one piece, without spaces.");
    }

    private static ConnectorException invalidUrl() {
        return invalidUrl(
                "url_invalid",
                "The SCIM base URL must be an https:// address without user name or query, for example " + EXAMPLE_URL
                        + ".");
    }

    private static ConnectorException invalidUrl(String kind, String message) {
        return ConnectorException.builder(ErrorCode.INVALID_CONFIG, message)
                .messageCode(MESSAGE_CODES + "." + kind)
                .param("example", EXAMPLE_URL)
                .field(SCIM_URL)
                .build();
    }
}
