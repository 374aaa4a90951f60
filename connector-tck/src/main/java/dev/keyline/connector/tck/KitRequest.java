package dev.keyline.connector.tck;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request an {@link UpstreamDouble} received.
 *
 * @param method the HTTP method, upper-case
 * @param path the raw path
 * @param query the raw query string, or null when there was none
 * @param headers header values by lower-case name; a double that does not keep a header's values (to keep
 *     tokens out of its own logs) maps the name to an empty list, and must then count those values among its
 *     {@link UpstreamDouble#secrets()}
 */
public record KitRequest(String method, String path, String query, Map<String, List<String>> headers) {

    public KitRequest {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        Map<String, List<String>> lowerCase = new TreeMap<>();
        requireNonNull(headers, "headers is null")
                .forEach((name, values) -> lowerCase
                        .computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                        .addAll(values));
        lowerCase.replaceAll((name, values) -> List.copyOf(values));
        headers = Collections.unmodifiableMap(lowerCase);
    }

    /** Whether the method may change state upstream (anything but GET, HEAD and OPTIONS). */
    public boolean write() {
        return !method.equals("GET") && !method.equals("HEAD") && !method.equals("OPTIONS");
    }

    /** The values of a header, any case of its name; empty when absent or not kept. */
    public List<String> header(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    /** The first value of a query parameter, decoded. */
    public Optional<String> queryParameter(String name) {
        if (query == null || query.isEmpty()) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (decode(eq < 0 ? pair : pair.substring(0, eq)).equals(name)) {
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

    /** Method, path and query only: header values may be credentials. */
    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?" + query);
    }
}
