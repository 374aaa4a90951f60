package dev.keyline.connector.scim;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.http.HttpTransport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A hand-written transport that answers from canned responses keyed by path and query, and records every
 * request it was sent. An unknown route answers 404, like a server would.
 */
final class FakeTransport implements HttpTransport {
    private final Map<String, Function<HttpRequest, HttpResponse>> routes = new LinkedHashMap<>();
    private final List<HttpRequest> requests = new ArrayList<>();

    /** Answers requests whose path (and query, when {@code route} has one) equal {@code route}. */
    FakeTransport on(String route, Function<HttpRequest, HttpResponse> handler) {
        routes.put(route, handler);
        return this;
    }

    FakeTransport on(String route, HttpResponse response) {
        return on(route, request -> withUri(response, request.uri()));
    }

    @Override
    public synchronized HttpResponse send(HttpRequest request) {
        requests.add(request);
        URI uri = request.uri();
        String withQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        Function<HttpRequest, HttpResponse> handler = routes.get(withQuery);
        if (handler == null) {
            handler = routes.get(uri.getRawPath());
        }
        if (handler == null) {
            return response(404, "application/scim+json", "{\"status\":\"404\",\"detail\":\"Not found\"}")
                    .apply(uri);
        }
        return handler.apply(request);
    }

    synchronized List<HttpRequest> requests() {
        return List.copyOf(requests);
    }

    static HttpResponse scim(int status, String body) {
        return new HttpResponse(
                status,
                URI.create("http://fake.test/"),
                Map.of("Content-Type", List.of("application/scim+json; charset=utf-8")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse of(int status, Map<String, List<String>> headers, String body) {
        return new HttpResponse(
                status, URI.create("http://fake.test/"), headers, body.getBytes(StandardCharsets.UTF_8));
    }

    static Function<URI, HttpResponse> response(int status, String contentType, String body) {
        return uri -> new HttpResponse(
                status, uri, Map.of("Content-Type", List.of(contentType)), body.getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse withUri(HttpResponse response, URI uri) {
        return new HttpResponse(response.status(), uri, response.headers(), response.body());
    }
}
