package dev.keyline.platform.oauth;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.AuthKind.ClientAuthentication;
import dev.keyline.connector.spi.AuthKind.SubjectRule;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/**
 * Obtains and renews the tokens of an account's auth kind from its stored entries: the first token of a kind a
 * person filled in (client credentials, JWT bearer), and every renewal (a refresh token for the authorization code
 * kind, a new grant for the others). Stores nothing: whoever calls decides when and where the result is kept.
 */
@ApplicationScoped
public class KindGrants {

    @Inject
    TokenClient tokens;

    @Inject
    OAuthApps apps;

    /** The kind's first token from what a person filled in ({@link AuthForms#toStored} form). */
    public TokenSet obtain(String tenantId, ConnectorDescriptor descriptor, AuthKind kind, Map<String, String> stored) {
        requireNonNull(kind, "kind is null");
        return switch (kind.type()) {
            case OAUTH2_CLIENT_CREDENTIALS ->
                tokens.clientCredentials(
                        tenantId,
                        tokenUrl(kind, stored),
                        typedClient(kind, stored),
                        scope(kind, List.of(), stored),
                        params(kind, stored));
            case JWT_BEARER -> jwtBearer(tenantId, kind, stored);
            case OAUTH2_AUTHORIZATION_CODE ->
                throw new IllegalStateException(
                        "the authorization code kind gets its first token from a consent, not from typed values");
            case FIELDS -> throw new IllegalStateException("the fields kind has no token");
        };
    }

    /** A new access token for a linked account, from its stored entries. */
    public TokenSet renew(String tenantId, ConnectorDescriptor descriptor, Map<String, String> stored) {
        AuthKind kind = kindOf(descriptor, stored);
        if (kind.type() != AuthKind.Type.OAUTH2_AUTHORIZATION_CODE) {
            return obtain(tenantId, descriptor, kind, stored);
        }
        String refreshToken = stored.get(OAuthValues.REFRESH_TOKEN);
        if (refreshToken == null) {
            throw ConnectorException.builder(
                            ErrorCode.INVALID_CREDENTIALS,
                            "The provider gave no refresh token, so the authorization cannot be renewed; it has to be"
                                    + " granted again.")
                    .messageCode("auth.invalid_grant")
                    .param("error", "invalid_grant")
                    .build();
        }
        OAuthApp app = apps.byRef(tenantId, descriptor.id(), stored.getOrDefault(OAuthValues.APP, OAuthApp.OPERATOR))
                .orElseThrow(() -> ConnectorException.builder(
                                ErrorCode.INVALID_CREDENTIALS,
                                "The OAuth app this account was authorized with no longer exists; authorize it again"
                                        + " with a current app.")
                        .messageCode("auth.app_missing")
                        .build());
        return tokens.refresh(
                tenantId, tokenUrl(kind, stored), appClient(kind, app), refreshToken, params(kind, stored));
    }

    /** The descriptor's kind the stored entries were linked with. */
    public static AuthKind kindOf(ConnectorDescriptor descriptor, Map<String, String> stored) {
        AuthKind.Type type = OAuthValues.kind(stored);
        return descriptor
                .authKind(type)
                .orElseThrow(() -> ConnectorException.builder(
                                ErrorCode.INVALID_CONFIG,
                                "The connector '" + descriptor.id() + "' no longer offers " + type.wireName()
                                        + "; link the account again.")
                        .messageCode("auth.kind_withdrawn")
                        .param("auth_kind", type.wireName())
                        .build());
    }

    /** The kind's token endpoint, filled with the account's field values. */
    public static String tokenUrl(AuthKind kind, Map<String, String> stored) {
        return AuthKind.expand(kind.tokenUrl().orElseThrow(), stored);
    }

    /** The kind's extra token parameters, filled with the account's field values. */
    public static Map<String, String> params(AuthKind kind, Map<String, String> stored) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        kind.tokenParams().forEach((k, v) -> out.put(k, AuthKind.expand(v, stored)));
        return out;
    }

    /** The scopes to request: the app's own when it has some, else the kind's; joined by the kind's separator. */
    public static String scope(AuthKind kind, List<String> appScopes, Map<String, String> values) {
        List<String> scopes = appScopes.isEmpty()
                ? kind.scopes().stream()
                        .map(s -> s.indexOf('{') < 0 ? s : AuthKind.expand(s, values))
                        .toList()
                : appScopes;
        return String.join(kind.scopeSeparator(), scopes);
    }

    /** The tenant's or operator's app as the OAuth client of an authorization code kind. */
    public static OAuthClient appClient(AuthKind kind, OAuthApp app) {
        ClientAuthentication method = kind.clientAuthentication() == ClientAuthentication.PRIVATE_KEY_JWT
                ? ClientAuthentication.CLIENT_SECRET_BASIC
                : kind.clientAuthentication();
        return OAuthClient.withSecret(app.clientId(), app.clientSecret(), method);
    }

    private static OAuthClient typedClient(AuthKind kind, Map<String, String> stored) {
        String clientId = require(stored, OAuthValues.CLIENT_ID, AuthForms.CLIENT_ID, "The client ID is required.");
        if (kind.clientAuthentication() == ClientAuthentication.PRIVATE_KEY_JWT) {
            String key =
                    require(stored, OAuthValues.PRIVATE_KEY, AuthForms.PRIVATE_KEY, "The private key is required.");
            // Parsed now so a malformed key is a field error at link, not a failure at the first renewal.
            ServiceAccountKey.parse(key, AuthForms.PRIVATE_KEY);
            return new OAuthClient(clientId, null, key, stored.get(OAuthValues.KEY_ID), kind.clientAuthentication());
        }
        String secret =
                require(stored, OAuthValues.CLIENT_SECRET, AuthForms.CLIENT_SECRET, "The client secret is required.");
        return OAuthClient.withSecret(clientId, secret, kind.clientAuthentication());
    }

    private TokenSet jwtBearer(String tenantId, AuthKind kind, Map<String, String> stored) {
        ServiceAccountKey key = ServiceAccountKey.parse(
                require(
                        stored,
                        OAuthValues.PRIVATE_KEY,
                        AuthForms.SERVICE_ACCOUNT_KEY,
                        "The service account key is required."),
                AuthForms.SERVICE_ACCOUNT_KEY);
        String issuer = stored.get(OAuthValues.CLIENT_ID);
        if (issuer == null || issuer.isBlank()) {
            issuer = key.issuer();
        }
        if (issuer == null || issuer.isBlank()) {
            throw ConnectorException.forField(
                    ErrorCode.INVALID_CONFIG,
                    AuthForms.CLIENT_ID,
                    "The issuer is required with a PEM key: the service account's id or e-mail address.");
        }
        String subject = stored.get(OAuthValues.SUBJECT);
        if (kind.subject() == SubjectRule.REQUIRED && (subject == null || subject.isBlank())) {
            throw ConnectorException.forField(
                    ErrorCode.INVALID_CONFIG, AuthForms.SUBJECT, "The user to act as is required.");
        }
        return tokens.jwtBearer(
                tenantId,
                tokenUrl(kind, stored),
                key,
                issuer,
                subject,
                scope(kind, List.of(), stored),
                params(kind, stored));
    }

    private static String require(Map<String, String> stored, String key, String field, String message) {
        String value = stored.get(key);
        if (value == null || value.isBlank()) {
            throw ConnectorException.forField(ErrorCode.INVALID_CONFIG, field, message);
        }
        return value.strip();
    }
}
