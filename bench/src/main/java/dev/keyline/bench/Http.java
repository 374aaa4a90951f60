package dev.keyline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** A plain JDK HTTP/1.1 client: the bench's calls to the service and its bare baselines against the upstream. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client;

    Http() {
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    record Answer(int status, byte[] body, String contentType, long nanos) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + new String(body), e);
            }
        }

        Answer expect(int expected) {
            if (status != expected) {
                throw new IllegalStateException(
                        "expected " + expected + " but got " + status + ": " + new String(body));
            }
            return this;
        }
    }

    Answer get(String url, Map<String, String> headers) {
        return send(request(url, headers).GET().build());
    }

    Answer post(String url, Map<String, String> headers, Object body) {
        try {
            String text = body == null ? "" : JSON.writeValueAsString(body);
            return send(request(url, headers)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(text))
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer patch(String url, Map<String, String> headers, Object body) {
        try {
            return send(request(url, headers)
                    .header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                    .build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer delete(String url, Map<String, String> headers) {
        return send(request(url, headers).DELETE().build());
    }

    /** Fetches every URL, {@code concurrency} at a time, keeping nothing; the wall time in nanoseconds. */
    long fetchAll(List<String> urls, Map<String, String> headers, int concurrency) {
        long start = System.nanoTime();
        if (concurrency <= 1) {
            for (String url : urls) {
                get(url, headers);
            }
            return System.nanoTime() - start;
        }
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> workers = new java.util.ArrayList<>();
            for (int i = 0; i < concurrency; i++) {
                workers.add(pool.submit(() -> {
                    for (int j = next.getAndIncrement(); j < urls.size(); j = next.getAndIncrement()) {
                        get(urls.get(j), headers);
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("bare fetch failed", e);
        } finally {
            pool.shutdownNow();
        }
        return System.nanoTime() - start;
    }

    private static HttpRequest.Builder request(String url, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120));
        headers.forEach(builder::header);
        return builder;
    }

    private Answer send(HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long nanos = System.nanoTime() - start;
            return new Answer(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("content-type").orElse("application/octet-stream"),
                    nanos);
        } catch (IOException e) {
            throw new UncheckedIOException("request failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
