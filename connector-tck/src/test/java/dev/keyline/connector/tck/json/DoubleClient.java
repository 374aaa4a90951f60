package dev.keyline.connector.tck.json;

import dev.keyline.scimdouble.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A plain JDK client for the double's tests: sends a request with the double's credential, parses JSON. */
final class DoubleClient {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private DoubleClient() {}

    static HttpResponse<String> get(JsonApiDouble api, String url) {
        return send(api.auth(), HttpRequest.newBuilder(URI.create(url)).GET());
    }

    static HttpResponse<String> get(ApiAuth auth, String url) {
        return send(auth, HttpRequest.newBuilder(URI.create(url)).GET());
    }

    static HttpResponse<String> send(ApiAuth auth, HttpRequest.Builder request) {
        if (auth instanceof ApiAuth.Bearer bearer) {
            request.header("Authorization", "Bearer " + bearer.token());
        } else if (auth instanceof ApiAuth.ApiKey key) {
            request.header(key.header(), key.scheme().isEmpty() ? key.key() : key.scheme() + " " + key.key());
        } else if (auth instanceof ApiAuth.Basic basic) {
            String pair = basic.user() + ":" + basic.password();
            request.header(
                    "Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(pair.getBytes()));
        }
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Object json(HttpResponse<String> response) {
        return JsonParser.parse(response.body());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(HttpResponse<String> response) {
        return (Map<String, Object>) json(response);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }
}
