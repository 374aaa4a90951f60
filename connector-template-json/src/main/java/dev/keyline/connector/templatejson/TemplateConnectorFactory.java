package dev.keyline.connector.templatejson;

import static java.util.Objects.requireNonNull;

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
 * The connector plugin {@code template-json}, a starting point for a plain JSON API (not SCIM): an HR-style
 * API with {@code /users}, {@code /groups} and {@code /groups/{id}/members}, a bearer API token and Slack-style
 * cursor paging. It passes the conformance kit as it stands. Make it yours by changing the descriptor (what
 * the connect form shows), the URL rules in {@link #normalize}, the requests in {@link TemplateApi} and the
 * mapping in {@link TemplateMapping}.
 *
 * <p>JSON library: Jackson ({@code jackson-databind}), shaded and relocated into the plugin jar so it can never
 * clash with the platform's copy, as connector-scim's users do. It gives a tree model ({@code JsonNode}) that
 * suits mapping a provider's loosely specified payloads and keeping them as {@code raw}. The alternative is a
 * smaller parser (for example {@code org.json} or a hand-written one, as the test doubles use): a smaller jar,
 * but no streaming and more mapping code.
 */
public final class TemplateConnectorFactory implements ConnectorFactory {
    public static final String ID = "template-json";
    public static final String BASE_URL = "base_url";
    public static final String API_TOKEN = "api_token";
    static final String EXAMPLE_URL = "https://hr.example.com/api/v1";

    // The descriptor drives the connect UI and GET /connectors; the kit checks every field has a label, help and
    // an example (descriptorIsComplete). Capabilities are declared here once: exactly the interfaces
    // TemplateConnector implements, which the kit checks both ways.
    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(ID)
            .displayName("Template directory")
            .logoSvgResource(TemplateConnectorFactory.class, "logo.svg")
            .description("Reads the users and groups of an HR system over its JSON API. Read-only.")
            .setupHelp(
                    "Keyline reads users and groups and never changes anything. You need the API's base URL and an "
                            + "API token that may read users and groups.",
                    "Create the token in the HR system's admin settings, under API or integrations.")
            .fields(
                    // A routing field: changing it asks for the token again, so a stored token never follows a
                    // changed destination.
                    CredentialField.builder(BASE_URL)
                            .url()
                            .label("API base URL")
                            .help("The address below which /users and /groups live, for example " + EXAMPLE_URL + ".")
                            .example(EXAMPLE_URL)
                            .pattern("^https?://[^\\s/?#@]+(/[^\\s?#]*)?$")
                            .build(),
                    CredentialField.builder(API_TOKEN)
                            .secret()
                            .label("API token")
                            .help("A token that may read users and groups, from the HR system's admin settings.")
                            .example("example-token-0123456789")
                            .build())
            .doc("RFC 6750: bearer tokens", "https://datatracker.ietf.org/doc/html/rfc6750")
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
        return config.with(BASE_URL, baseUrl(config).toString()).with(API_TOKEN, token(config));
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        return new TemplateConnector(new TemplateApi(context.http(), baseUrl(config), token(config), context.clock()));
    }

    static URI baseUrl(ConnectorConfig config) {
        String text = config.require(BASE_URL, "The API base URL");
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw invalidUrl();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http"))
                || uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw invalidUrl();
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("/+$", "");
        String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
        return URI.create(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port + path);
    }

    static String token(ConnectorConfig config) {
        // People paste the whole header value.
        String token = config.require(API_TOKEN, "The API token")
                .strip()
                .replaceFirst("(?i)^bearer\\s+", "")
                .strip();
        if (token.isEmpty() || token.chars().anyMatch(Character::isWhitespace)) {
            throw ConnectorException.builder(
                            ErrorCode.INVALID_CONFIG, "Paste the API token in one piece, without spaces.")
                    .messageCode("template.token_malformed")
                    .field(API_TOKEN)
                    .build();
        }
        return token;
    }

    private static ConnectorException invalidUrl() {
        return ConnectorException.builder(
                        ErrorCode.INVALID_CONFIG,
                        "The API base URL must be an https:// address without user name, query or fragment, for "
                                + "example " + EXAMPLE_URL + ".")
                .messageCode("template.base_url_invalid")
                .param("example", EXAMPLE_URL)
                .field(BASE_URL)
                .build();
    }
}
