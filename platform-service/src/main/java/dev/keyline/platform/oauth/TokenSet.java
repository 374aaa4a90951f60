package dev.keyline.platform.oauth;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * What a token endpoint answered (RFC 6749 §5.1). {@link #toString()} never shows a token.
 *
 * @param expiresAt when the access token expires, or null when the provider did not say
 * @param refreshToken a refresh token, or null (client credentials and JWT bearer grants have none)
 * @param scope the granted scopes as the provider spelled them, or null
 */
public record TokenSet(String accessToken, String tokenType, Instant expiresAt, String refreshToken, String scope) {
    public TokenSet {
        requireNonNull(accessToken, "accessToken is null");
        tokenType = tokenType == null || tokenType.isBlank() ? "Bearer" : tokenType;
    }

    /** The {@code Authorization} header value. RFC 6750 names the scheme {@code Bearer} whatever case the server used. */
    public String header() {
        return ("bearer".equalsIgnoreCase(tokenType) ? "Bearer" : tokenType) + " " + accessToken;
    }

    @Override
    public String toString() {
        return "TokenSet[" + tokenType + ", expires " + expiresAt + (refreshToken == null ? "" : ", refreshable") + "]";
    }
}
