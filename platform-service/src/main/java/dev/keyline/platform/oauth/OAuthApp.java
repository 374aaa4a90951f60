package dev.keyline.platform.oauth;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * An OAuth app registered at a provider, used for the authorization code kind: a tenant's own ({@code /auth-configs})
 * or the operator's default for a connector. {@link #toString()} never shows the secret.
 *
 * @param ref how an account remembers which app it consented with: {@code tenant:<auth config id>} or {@code
 *     operator}; stored under {@link OAuthValues#APP} so a refresh uses the same app
 * @param scopes scopes to request instead of the connector's, or empty for the connector's
 */
public record OAuthApp(String ref, String clientId, String clientSecret, List<String> scopes) {
    public static final String OPERATOR = "operator";

    public OAuthApp {
        requireNonNull(ref, "ref is null");
        requireNonNull(clientId, "clientId is null");
        requireNonNull(clientSecret, "clientSecret is null");
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    public static String tenantRef(String authConfigId) {
        return "tenant:" + authConfigId;
    }

    @Override
    public String toString() {
        return "OAuthApp[" + ref + ", " + clientId + "]";
    }
}
