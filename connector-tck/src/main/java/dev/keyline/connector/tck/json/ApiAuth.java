package dev.keyline.connector.tck.json;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.function.Function;

/**
 * How a {@link JsonApiDouble} authenticates requests: a bearer token, an API key in a header of the API's
 * choosing, or HTTP Basic. Immutable; {@link #toString()} never shows the secret.
 */
public sealed interface ApiAuth {

    /** {@code Authorization: Bearer <token>} (RFC 6750). */
    static ApiAuth bearer(String token) {
        return new Bearer(token);
    }

    /** The key as the whole value of this header, for example {@code X-API-Key} or {@code Authorization: SSWS}. */
    static ApiAuth apiKey(String header, String key) {
        return new ApiKey(header, "", key);
    }

    /** The key after a scheme word, as Okta's {@code Authorization: SSWS <key>}. */
    static ApiAuth apiKey(String header, String scheme, String key) {
        return new ApiKey(header, scheme, key);
    }

    /** {@code Authorization: Basic base64(user:password)} (RFC 7617). */
    static ApiAuth basic(String user, String password) {
        return new Basic(user, password);
    }

    /** Whether the request's headers (looked up by name, case-insensitively) carry exactly this credential. */
    boolean accepts(Function<String, String> header);

    /** The {@code WWW-Authenticate} value of a 401, or null when the scheme defines none. */
    String challenge();

    /** The header a client sends the credential in. */
    String headerName();

    /** The secret part, so tests can check it never reaches a log line or a message. */
    String secret();

    private static boolean same(String expected, String actual) {
        return actual != null
                && MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    record Bearer(String token) implements ApiAuth {
        public Bearer {
            requireNonNull(token, "token is null");
        }

        @Override
        public boolean accepts(Function<String, String> header) {
            return same("Bearer " + token, header.apply("Authorization"));
        }

        @Override
        public String challenge() {
            return "Bearer";
        }

        @Override
        public String headerName() {
            return "Authorization";
        }

        @Override
        public String secret() {
            return token;
        }

        @Override
        public String toString() {
            return "Bearer[***]";
        }
    }

    record ApiKey(String header, String scheme, String key) implements ApiAuth {
        public ApiKey {
            requireNonNull(header, "header is null");
            requireNonNull(scheme, "scheme is null");
            requireNonNull(key, "key is null");
        }

        @Override
        public boolean accepts(Function<String, String> lookup) {
            return same(scheme.isEmpty() ? key : scheme + " " + key, lookup.apply(header));
        }

        @Override
        public String challenge() {
            return scheme.isEmpty() ? null : scheme;
        }

        @Override
        public String headerName() {
            return header;
        }

        @Override
        public String secret() {
            return key;
        }

        @Override
        public String toString() {
            return "ApiKey[" + header.toLowerCase(Locale.ROOT) + ", ***]";
        }
    }

    record Basic(String user, String password) implements ApiAuth {
        public Basic {
            requireNonNull(user, "user is null");
            requireNonNull(password, "password is null");
        }

        @Override
        public boolean accepts(Function<String, String> header) {
            String encoded =
                    Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            return same("Basic " + encoded, header.apply("Authorization"));
        }

        @Override
        public String challenge() {
            return "Basic realm=\"api\", charset=\"UTF-8\"";
        }

        @Override
        public String headerName() {
            return "Authorization";
        }

        @Override
        public String secret() {
            return password;
        }

        @Override
        public String toString() {
            return "Basic[" + user + ", ***]";
        }
    }
}
