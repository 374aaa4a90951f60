package dev.keyline.connector.keycloak;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Authorization;
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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The connector plugin {@code keycloak}: the users and groups of one Keycloak realm, read over the Admin REST API
 * ({@code /admin/realms/{realm}/...}). Keycloak is itself an OAuth 2.0 authorization server, so accounts are
 * authorized by the platform's OAuth kinds only: a confidential client's service account (client credentials) or
 * a person who consents (authorization code). Either way the token's holder needs the {@code realm-management}
 * client role {@code view-users}; the connector never sees a client secret or a refresh token.
 */
public final class KeycloakConnectorFactory implements ConnectorFactory {
    public static final String ID = "keycloak";
    public static final String BASE_URL = "base_url";
    public static final String REALM = "realm";
    static final String EXAMPLE_URL = "https://sso.example.com";
    static final String TOKEN_URL = "{base_url}/realms/{realm}/protocol/openid-connect/token";
    static final String AUTHORIZE_URL = "{base_url}/realms/{realm}/protocol/openid-connect/auth";

    private static final ConnectorDescriptor DESCRIPTOR = ConnectorDescriptor.builder(ID)
            .displayName("Keycloak")
            .logoSvgResource(KeycloakConnectorFactory.class, "logo.svg")
            .category("iam")
            .description("Reads the users and groups of a Keycloak realm over its Admin REST API. Read-only.")
            .setupHelp(
                    "Keyline reads users, groups and memberships of one realm and never changes anything. Whoever "
                            + "Keyline acts as needs the client role view-users of the realm's realm-management "
                            + "client.",
                    "Service account (client credentials): in the realm, create an OpenID Connect client with "
                            + "Client authentication on and Service accounts roles on; under Service accounts "
                            + "roles, assign the realm-management client role view-users. Enter the client id "
                            + "and its secret from the Credentials tab.",
                    "Sign in with Keycloak (authorization code): a person who has the realm-management role "
                            + "view-users signs in and consents. The tenant's OAuth app is a confidential client "
                            + "with Standard flow on and the valid redirect URI <Keyline connect URL>/oauth/callback.")
            .fields(
                    CredentialField.builder(BASE_URL)
                            .url()
                            .label("Keycloak URL")
                            .help("The server's base URL without /realms/..., for example " + EXAMPLE_URL
                                    + " (or https://sso.example.com/auth on servers that keep the old /auth "
                                    + "path). A pasted realm or admin console URL is trimmed to it.")
                            .example(EXAMPLE_URL)
                            .pattern("^https?://\\S+$")
                            .build(),
                    CredentialField.builder(REALM)
                            .routing()
                            .label("Realm")
                            .help("The name of the realm whose users Keyline reads, as in /realms/<name>/ "
                                    + "(not its display name).")
                            .example("acme")
                            .build())
            .doc("Keycloak Admin REST API", "https://www.keycloak.org/docs-api/latest/rest-api/index.html")
            .doc(
                    "Keycloak: service accounts",
                    "https://www.keycloak.org/docs/latest/server_admin/index.html#_service_accounts")
            .capabilities(Capability.CREDENTIAL_VALIDATION, Capability.USERS, Capability.GROUPS)
            .authKind(AuthKind.oauth2ClientCredentials(TOKEN_URL)
                    .fields(BASE_URL, REALM)
                    .build())
            .authKind(AuthKind.oauth2AuthorizationCode(AUTHORIZE_URL, TOKEN_URL)
                    .scopes("openid")
                    .fields(BASE_URL, REALM)
                    .build())
            .build();

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /**
     * Canonical values without network access. People paste whatever URL their browser shows: a realm URL
     * ({@code .../realms/acme/account}) or the admin console ({@code .../admin/master/console/#/acme/users}); both
     * are cut back to the server's base, and an empty realm is taken from them.
     */
    @Override
    public ConnectorConfig normalize(ConnectorConfig config) {
        requireNonNull(config, "config is null");
        Location location = locate(config.require(BASE_URL, "The Keycloak URL"));
        String realm = config.find(REALM).or(location::realm).orElse(null);
        if (realm == null) {
            throw ConnectorException.builder(ErrorCode.INVALID_CONFIG, "Enter the realm's name, for example acme.")
                    .messageCode("keycloak.realm_required")
                    .field(REALM)
                    .build();
        }
        return config.with(BASE_URL, location.base().toString()).with(REALM, realm);
    }

    @Override
    public Connector create(ConnectorConfig config, ConnectorContext context) {
        requireNonNull(config, "config is null");
        requireNonNull(context, "context is null");
        // A fields-kind account cannot exist for this descriptor; reaching here without one is a platform bug.
        Authorization authorization = config.authorization()
                .orElseThrow(() -> ConnectorException.builder(
                                ErrorCode.INVALID_CONFIG,
                                "This connector is authorized with OAuth: link the account with a client or by "
                                        + "signing in with Keycloak.")
                        .messageCode("keycloak.oauth_required")
                        .build());
        URI base = locate(config.require(BASE_URL, "The Keycloak URL")).base();
        String realm = config.require(REALM, "The realm");
        return new KeycloakConnector(new KeycloakApi(context.http(), base, realm, authorization, context.clock()));
    }

    /** Where the server is, and the realm the pasted URL named, if any. */
    record Location(URI base, Optional<String> realm) {}

    static Location locate(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw invalidUrl();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http"))
                || uri.getHost() == null
                || uri.getRawUserInfo() != null) {
            throw invalidUrl();
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        Optional<String> realm = Optional.empty();
        int realms = segmentIndex(path, "/realms/");
        int admin = segmentIndex(path, "/admin/");
        if (realms >= 0 && (admin < 0 || realms < admin)) {
            realm = firstSegment(path.substring(realms + "/realms/".length()));
            path = path.substring(0, realms);
        } else if (admin >= 0) {
            // The console keeps the realm being administered in the fragment: /admin/master/console/#/acme/users.
            String fragment = uri.getRawFragment() == null ? "" : uri.getRawFragment();
            realm = firstSegment(fragment.replaceFirst("^/+", ""));
            path = path.substring(0, admin);
        } else if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalidUrl();
        }
        path = path.replaceAll("/+$", "");
        String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
        return new Location(URI.create(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port + path), realm);
    }

    private static int segmentIndex(String path, String segment) {
        if (path.endsWith(segment.substring(0, segment.length() - 1))) {
            return path.length() - segment.length() + 1;
        }
        return path.indexOf(segment);
    }

    private static Optional<String> firstSegment(String rest) {
        int slash = rest.indexOf('/');
        String segment = slash < 0 ? rest : rest.substring(0, slash);
        segment = URLDecoder.decode(segment, StandardCharsets.UTF_8).strip();
        return segment.isEmpty() ? Optional.empty() : Optional.of(segment);
    }

    private static ConnectorException invalidUrl() {
        return ConnectorException.builder(
                        ErrorCode.INVALID_CONFIG,
                        "The Keycloak URL must be an https:// address without a user name, for example " + EXAMPLE_URL
                                + ".")
                .messageCode("keycloak.base_url_invalid")
                .param("example", EXAMPLE_URL)
                .field(BASE_URL)
                .build();
    }
}
