package dev.keyline.connector.onepassword;

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
 * A hand-written transport answering canned responses by path, recording every request. Unknown paths
 * answer 404 with a SCIM error, like a bridge.
 */
final class FakeTransport implements HttpTransport {
    private final Map<String, Function<HttpRequest, HttpResponse>> routes = new LinkedHashMap<>();
    private final List<HttpRequest> requests = new ArrayList<>();

    FakeTransport on(String path, Function<HttpRequest, HttpResponse> handler) {
        routes.put(path, handler);
        return this;
    }

    FakeTransport on(String path, int status, String contentType, String body) {
        return on(path, request -> response(request.uri(), status, contentType, body));
    }

    FakeTransport scim(String path, String body) {
        return on(path, 200, "application/scim+json", body);
    }

    FakeTransport fail(String path, RuntimeException failure) {
        return on(path, request -> {
            throw failure;
        });
    }

    @Override
    public synchronized HttpResponse send(HttpRequest request) {
        requests.add(request);
        Function<HttpRequest, HttpResponse> handler = routes.get(request.uri().getRawPath());
        if (handler == null) {
            return response(
                    request.uri(), 404, "application/scim+json", "{\"status\":\"404\",\"detail\":\"not found\"}");
        }
        return handler.apply(request);
    }

    synchronized List<HttpRequest> requests() {
        return List.copyOf(requests);
    }

    synchronized List<String> paths() {
        return requests.stream().map(r -> r.uri().getRawPath()).toList();
    }

    static HttpResponse response(URI uri, int status, String contentType, String body) {
        return new HttpResponse(
                status, uri, Map.of("Content-Type", List.of(contentType)), body.getBytes(StandardCharsets.UTF_8));
    }
}
