package dev.keyline.connector.http;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An outgoing request. Connectors in Keyline are read-only, so there is no body.
 *
 * @param headers single-valued request headers
 * @param timeout overrides the transport's default time-out for this request, when present
 */
public record HttpRequest(String method, URI uri, Map<String, String> headers, Optional<Duration> timeout) {
    public HttpRequest {
        requireNonNull(method, "method is null");
        requireNonNull(uri, "uri is null");
        headers = Map.copyOf(headers);
        requireNonNull(timeout, "timeout is null");
    }

    public static HttpRequest get(URI uri) {
        return new HttpRequest("GET", uri, Map.of(), Optional.empty());
    }

    public HttpRequest header(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new HttpRequest(method, uri, copy, timeout);
    }

    public HttpRequest timeout(Duration timeout) {
        return new HttpRequest(method, uri, headers, Optional.of(timeout));
    }

    /** Never prints header values: they may hold the bearer token. */
    @Override
    public String toString() {
        return method + " " + uri;
    }
}
