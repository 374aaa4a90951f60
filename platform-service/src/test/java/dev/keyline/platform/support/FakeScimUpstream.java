package dev.keyline.platform.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A tiny SCIM-ish upstream on an ephemeral port: {@code GET /scim/v2/ServiceProviderConfig} answers 200 for
 * accepted bearer tokens and 401 otherwise. Tests decide which tokens it accepts, so they can make a link
 * fail, succeed, or start failing later. Stand-in until the scriptable upstream of connector-tck is available.
 */
public final class FakeScimUpstream {
    private static FakeScimUpstream instance;

    private final HttpServer server;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final Set<String> dropping = ConcurrentHashMap.newKeySet();
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();

    /** Holds answers for a token until opened; {@link #arrived} counts down when a request is being held. */
    public record Gate(CountDownLatch arrived, CountDownLatch open) {
        public static Gate closed() {
            return new Gate(new CountDownLatch(1), new CountDownLatch(1));
        }
    }

    private FakeScimUpstream() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/scim/v2/ServiceProviderConfig", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
            Gate gate = gates.get(token);
            if (gate != null) {
                gate.arrived().countDown();
                try {
                    gate.open().await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (dropping.contains(token)) {
                // No answer at all: the connection closes, which the platform reports as the provider unavailable.
                exchange.close();
                return;
            }
            boolean ok = accepted.contains(token);
            byte[] body = (ok
                            ? "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig\"]}"
                            : "{\"status\":\"401\",\"detail\":\"unauthorized\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/scim+json");
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        // Several handler threads, so a request held at a gate does not hold up the others.
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "fake-scim-upstream");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    public static synchronized FakeScimUpstream get() {
        if (instance == null) {
            instance = new FakeScimUpstream();
        }
        return instance;
    }

    /** The SCIM base URL, without a trailing slash. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/scim/v2";
    }

    public void accept(String token) {
        accepted.add(token);
    }

    /** Closes the connection of requests with this token without answering, until {@link #heal}. */
    public void drop(String token) {
        dropping.add(token);
    }

    public void heal(String token) {
        dropping.remove(token);
    }

    /** Holds requests with this token at the gate. */
    public void hold(String token, Gate gate) {
        gates.put(token, gate);
    }

    public void reject(String token) {
        accepted.remove(token);
    }
}
