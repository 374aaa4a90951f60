package dev.keyline.connector.template;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorDescriptor.DocLink;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.connector.spi.ErrorCode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * The connector plugin {@code template}, a starting point: it reads a SCIM 2.0 directory with connector-scim
 * and passes the conformance kit as it stands. Make it yours by changing the descriptor (what the connect form
 * shows), the URL rules in {@link #normalize} and the diagnoses in {@link TemplateConnector#validate()}.
 */
public final class TemplateConnectorFactory implements ConnectorFactory {
    public static final String ID = "template";
    public static final String SCIM_URL = "scim_url";
    public static final String BEARER_TOKEN = "bearer_token";
    static final String EXAMPLE_URL = "https://directory.example.com/scim/v2";

    // The descriptor drives the connect UI and GET /connectors: every field needs a label, help and an example,
    // and the kit checks that (descriptorIsComplete).
    private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
            ID,
            "Template directory",
            "iam",
            "Reads the users and groups of a directory over SCIM 2.0. Read-only.",
            List.of(
                    "Keyline reads users and groups and never changes anything. You need the directory's SCIM base "
                            + "URL and a bearer token that may read users and groups.",
                    "Find both in the directory's admin console, under its provisioning or SCIM settings."),
            List.of(
                    // A routing field (every URL field is): changing it needs the bearer token again. A host,
                    // domain, tenant or region that decides where requests go is CredentialField.routingText.
                    CredentialField.url(
                            SCIM_URL,
                            "SCIM base URL",
                            "The address below which /Users and /Groups live, for example " + EXAMPLE_URL + ".",
                            EXAMPLE_URL,
                            "^https?://[^\\s/?#@]+(/[^\\s?#]*)?$"),
                    CredentialField.secret(
                            BEARER_TOKEN,
                            "Bearer token",
                            "A token that may read users and groups, from the directory's admin console.",
                            "example-token-0123456789")),
            List.of(new DocLink(
                    "RFC 7644: SCIM protocol", URI.create("https://datatracker.ietf.org/doc/html/rfc7644"))),
            // Exactly the capability interfaces TemplateConnector implements; the kit checks both ways.
            EnumSet.of(Capability.CREDENTIAL_VALIDATION, Capability.USERS, Capability.GROUPS));

    @Override
    public String id() {
        return ID;
    }

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
        String text = config.require(SCIM_URL, "The SCIM base URL");
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

    private static String token(ConnectorConfig config) {
        // People paste the whole header value.
        String token = config.require(BEARER_TOKEN, "The bearer token")
                .replaceFirst("(?i)^bearer\\s+", "")
                .strip();
        if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
            throw ConnectorException.forField(
                    ErrorCode.INVALID_CONFIG, BEARER_TOKEN, "Paste the bearer token in one piece, without spaces.");
        }
        return token;
    }

    private static ConnectorException invalidUrl() {
        return ConnectorException.forField(
                ErrorCode.INVALID_CONFIG,
                SCIM_URL,
                "The SCIM base URL must be an https:// address without user name or query, for example " + EXAMPLE_URL
                        + ".");
    }
}
