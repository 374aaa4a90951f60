package dev.keyline.platform.oauth;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.AuthKind.ClientAuthentication;

/**
 * The OAuth client the platform acts as at a token endpoint: a tenant's or the operator's app (authorization code),
 * or the client a person typed (client credentials). {@link #toString()} shows the id only.
 *
 * @param clientSecret the secret, or null when the client authenticates with a private key
 * @param privateKey a PEM private key for {@link ClientAuthentication#PRIVATE_KEY_JWT}, else null
 * @param keyId the {@code kid} to put in a client assertion's header, or null
 */
public record OAuthClient(
        String clientId, String clientSecret, String privateKey, String keyId, ClientAuthentication authentication) {
    public OAuthClient {
        requireNonNull(clientId, "clientId is null");
        requireNonNull(authentication, "authentication is null");
        if (authentication == ClientAuthentication.PRIVATE_KEY_JWT ? privateKey == null : clientSecret == null) {
            throw new IllegalArgumentException("the client has no " + (privateKey == null ? "private key" : "secret"));
        }
    }

    public static OAuthClient withSecret(String clientId, String clientSecret, ClientAuthentication authentication) {
        return new OAuthClient(clientId, clientSecret, null, null, authentication);
    }

    @Override
    public String toString() {
        return "OAuthClient[" + clientId + ", " + authentication.wireName() + "]";
    }
}
