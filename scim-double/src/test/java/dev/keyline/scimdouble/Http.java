package dev.keyline.scimdouble;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A JDK HTTP client for the upstream tests. */
final class Http {
    private final HttpClient client;
    private final String token;

    Http(ScimUpstream upstream) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), upstream.token());
    }

    Http(HttpClient client, String token) {
        this.client = client;
        this.token = token;
    }

    HttpResponse<String> get(String url) {
        return send(request(url).GET().build());
    }

    HttpResponse<String> get(String url, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request.GET().build());
    }

    HttpResponse<String> send(String method, String url) {
        return send(request(url)
                .method(method, HttpRequest.BodyPublishers.ofString("{\"active\":false}"))
                .build());
    }

    HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + token);
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> json(HttpResponse<String> response) {
        return JsonParser.object(response.body());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> resources(HttpResponse<String> response) {
        return (List<Map<String, Object>>) json(response).get("Resources");
    }
}
