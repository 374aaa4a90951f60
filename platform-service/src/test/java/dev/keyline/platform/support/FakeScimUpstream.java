package dev.keyline.platform.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tiny SCIM-ish upstream on an ephemeral port: {@code GET /scim/v2/ServiceProviderConfig} answers 200 for
 * accepted bearer tokens and 401 otherwise. Tests decide which tokens it accepts, so they can make a link
 * fail, succeed, or start failing later. Stand-in until the scriptable upstream of connector-tck is available.
 */
public final class FakeScimUpstream {
    private static FakeScimUpstream instance;

    private final HttpServer server;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();

    private FakeScimUpstream() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/scim/v2/ServiceProviderConfig", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean ok = auth != null && auth.startsWith("Bearer ") && accepted.contains(auth.substring(7));
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

    public void reject(String token) {
        accepted.remove(token);
    }
}
