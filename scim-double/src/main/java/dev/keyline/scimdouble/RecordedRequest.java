package dev.keyline.scimdouble;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * One request as the upstream received it. Header values are deliberately not kept, so the log can never
 * hold a token.
 *
 * @param sequence 1 for the first request the upstream received, and so on
 * @param path the raw path
 * @param query the raw query string, or null when there was none
 * @param headerNames the request's header names, lower-case
 * @param authorized whether it carried the upstream's current bearer token
 */
public record RecordedRequest(
        long sequence,
        Instant time,
        String method,
        String path,
        String query,
        Set<String> headerNames,
        Endpoint endpoint,
        boolean authorized) {

    public RecordedRequest {
        requireNonNull(time, "time is null");
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        headerNames = Set.copyOf(headerNames);
        requireNonNull(endpoint, "endpoint is null");
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

    private static String decode(String text) {
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
