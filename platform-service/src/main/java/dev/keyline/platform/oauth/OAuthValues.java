package dev.keyline.platform.oauth;

import dev.keyline.connector.spi.AuthKind;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The platform's own entries in an account's stored credentials, beside the connector's field values: the kind the
 * account was linked with and what its flow yielded (tokens, the client, the key). Their keys contain a dot, which a
 * connector's field key ({@code [a-z][a-z0-9_]*}) never does, so they can never collide with or reach a connector:
 * {@link #connectorValues} strips them before any {@code ConnectorConfig} is made.
 */
public final class OAuthValues {
    public static final String PREFIX = "auth.";
    public static final String KIND = "auth.kind";
    public static final String ACCESS_TOKEN = "auth.access_token";
    public static final String TOKEN_TYPE = "auth.token_type";
    /** Epoch seconds; absent when the provider did not say. */
    public static final String EXPIRES_AT = "auth.expires_at";

    public static final String REFRESH_TOKEN = "auth.refresh_token";
    public static final String SCOPE = "auth.scope";
    /** Which OAuth app an authorization-code account was consented with: {@code tenant:<auth config id>} or {@code operator}. */
    public static final String APP = "auth.app";

    public static final String CLIENT_ID = "auth.client_id";
    public static final String CLIENT_SECRET = "auth.client_secret";
    /** A PEM private key (PKCS#8) or a Google service-account JSON key. */
    public static final String PRIVATE_KEY = "auth.private_key";

    public static final String KEY_ID = "auth.key_id";
    public static final String SUBJECT = "auth.subject";
    /** Counts token renewals, so a replica can tell whether another already renewed. */
    public static final String GENERATION = "auth.generation";

    private OAuthValues() {}

    /** Whether the key is one of the platform's. */
    public static boolean isPlatformKey(String key) {
        return key.startsWith(PREFIX);
    }

    /** The connector's field values only. */
    public static Map<String, String> connectorValues(Map<String, String> stored) {
        Map<String, String> out = new TreeMap<>();
        stored.forEach((k, v) -> {
            if (!isPlatformKey(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The platform's entries only. */
    public static Map<String, String> platformValues(Map<String, String> stored) {
        Map<String, String> out = new TreeMap<>();
        stored.forEach((k, v) -> {
            if (isPlatformKey(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The kind the stored values were linked with; {@code fields} for accounts linked before kinds existed. */
    public static AuthKind.Type kind(Map<String, String> stored) {
        String wire = stored.get(KIND);
        return wire == null
                ? AuthKind.Type.FIELDS
                : AuthKind.Type.fromWire(wire).orElse(AuthKind.Type.FIELDS);
    }

    /** The stored token set, or empty when there is none. */
    public static Optional<TokenSet> tokens(Map<String, String> stored) {
        String access = stored.get(ACCESS_TOKEN);
        if (access == null) {
            return Optional.empty();
        }
        String expires = stored.get(EXPIRES_AT);
        return Optional.of(new TokenSet(
                access,
                stored.getOrDefault(TOKEN_TYPE, "Bearer"),
                expires == null ? null : Instant.ofEpochSecond(Long.parseLong(expires)),
                stored.get(REFRESH_TOKEN),
                stored.get(SCOPE)));
    }

    /** {@code stored} with the token set written over the previous one (a refresh token the answer left out is kept). */
    public static Map<String, String> withTokens(Map<String, String> stored, TokenSet tokens) {
        Map<String, String> out = new TreeMap<>(stored);
        out.put(ACCESS_TOKEN, tokens.accessToken());
        out.put(TOKEN_TYPE, tokens.tokenType());
        if (tokens.expiresAt() != null) {
            out.put(EXPIRES_AT, Long.toString(tokens.expiresAt().getEpochSecond()));
        } else {
            out.remove(EXPIRES_AT);
        }
        if (tokens.refreshToken() != null) {
            // RFC 6749 §6: a server may issue a new refresh token (rotation); without one, the old one stays valid.
            out.put(REFRESH_TOKEN, tokens.refreshToken());
        }
        if (tokens.scope() != null) {
            out.put(SCOPE, tokens.scope());
        }
        long generation = Long.parseLong(out.getOrDefault(GENERATION, "0"));
        out.put(GENERATION, Long.toString(generation + 1));
        return out;
    }
}
