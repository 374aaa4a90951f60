package dev.keyline.platform.base;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Random bearer secrets (API keys, connect-session tokens) and their storage hashes.
 *
 * <p>The secrets carry 256 random bits, so a single fast SHA-256 is the right storage hash: a slow password
 * hash only helps against guessing low-entropy input, and would cost a key-derivation on every request.
 */
public final class Tokens {
    /** Prefix of tenant API keys. */
    public static final String API_KEY_PREFIX = "kl_live_";

    /** Prefix of connect-session tokens; never accepted as an API key. */
    public static final String SESSION_TOKEN_PREFIX = "kl_cs_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    /** A new secret: the prefix and 32 random bytes, base64url. */
    public static String generate(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return requireNonNull(prefix, "prefix is null")
                + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes. */
    public static String sha256(String secret) {
        requireNonNull(secret, "secret is null");
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** A new opaque id for a row. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The token of an {@code Authorization: Bearer} header value, or null when it is not one. */
    public static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = value.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    /** Whether the token is shaped like a JWT (three dot-separated parts); API keys never contain dots. */
    public static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }
}
