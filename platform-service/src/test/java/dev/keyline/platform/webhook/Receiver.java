package dev.keyline.platform.webhook;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A webhook endpoint on loopback: answers with scripted statuses (then 200) and records every request. */
final class Receiver implements AutoCloseable {

    record Received(String path, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile int otherwise = 200;

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            received.add(new Received(exchange.getRequestURI().toString(), headers, body));
            Integer scripted = script.poll();
            int status = scripted == null ? otherwise : scripted;
            byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    /** Answers the next requests with these statuses, in order. */
    Receiver thenAnswer(int... statuses) {
        for (int status : statuses) {
            script.add(status);
        }
        return this;
    }

    /** Answers every request not scripted with this status. */
    Receiver otherwise(int status) {
        this.otherwise = status;
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/keyline?token=t0p";
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Waits until at least {@code count} requests match, and returns all that match. */
    List<Received> await(int count, Predicate<Received> filter) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<Received> matching = received.stream().filter(filter).toList();
            if (matching.size() >= count) {
                return matching;
            }
            sleep(25);
        }
        throw new AssertionError("expected " + count + " requests, got "
                + received.stream().filter(filter).count() + " of " + received.size());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
