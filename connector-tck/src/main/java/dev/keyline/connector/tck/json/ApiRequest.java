package dev.keyline.connector.tck.json;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * One request as a {@link JsonApiDouble} received it. Header values are deliberately not kept, so the log can
 * never hold a credential.
 *
 * @param sequence 1 for the first request the double received, and so on
 * @param path the raw path, with the double's base path
 * @param query the raw query string, or null when there was none
 * @param headerNames the request's header names, lower-case
 * @param collection the collection the request addressed (for example {@code /users}), or null for none
 * @param listing whether it listed the collection (rather than reading one item)
 * @param authorized whether it carried the double's current credential
 */
public record ApiRequest(
        long sequence,
        Instant time,
        String method,
        String path,
        String query,
        Set<String> headerNames,
        String collection,
        boolean listing,
        boolean authorized) {

    public ApiRequest {
        requireNonNull(time, "time is null");
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        headerNames = Set.copyOf(headerNames);
    }

    /** Whether the method may change state upstream (anything but GET, HEAD and OPTIONS). */
    public boolean write() {
        return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
    }

    /** The first value of a query parameter, decoded. */
    public Optional<String> queryParameter(String name) {
        return queryParameter(query, name);
    }

    static Optional<String> queryParameter(String query, String name) {
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                return Optional.of(eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return Optional.empty();
    }

    static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + method + " " + path + (query == null ? "" : "?" + query);
    }
}
