package dev.keyline.platform.egress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A plain HTTP server on 127.0.0.1 with scripted routes, recording what each request carried. */
final class LoopbackServer implements AutoCloseable {

    /** What one request carried; header values are kept because these are test tokens. */
    record Seen(String path, String host, String authorization) {}

    @FunctionalInterface
    interface Route {
        void answer(HttpExchange exchange) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "loopback-server");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Route> routes = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    LoopbackServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try {
                seen.add(new Seen(
                        exchange.getRequestURI().getRawPath(),
                        exchange.getRequestHeaders().getFirst("Host"),
                        exchange.getRequestHeaders().getFirst("Authorization")));
                Route route = routes.get(exchange.getRequestURI().getRawPath());
                if (route == null) {
                    text(404, "no route").answer(exchange);
                } else {
                    route.answer(exchange);
                }
            } catch (IOException e) {
                // The client went away (size cap, time-out): nothing to answer.
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    String url(String host, String path) {
        return "http://" + host + ":" + port() + path;
    }

    LoopbackServer route(String path, Route route) {
        routes.put(path, route);
        return this;
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    static Route text(int status, String body) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        };
    }

    static Route redirect(int status, String location) {
        return exchange -> {
            exchange.getResponseHeaders().set("Location", location);
            exchange.sendResponseHeaders(status, -1);
        };
    }

    /** Declares a length past any cap, then sends nothing. */
    static Route declaresLength(long length) {
        return exchange -> {
            exchange.sendResponseHeaders(200, length);
            pauseQuietly(5_000);
        };
    }

    /** Chunked, no length, and never ends on its own: only the client's cap can stop it. */
    static Route endlessChunks() {
        return exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[8192];
            OutputStream out = exchange.getResponseBody();
            for (int i = 0; i < 100_000; i++) {
                out.write(chunk);
                out.flush();
            }
        };
    }

    static Route stall(long millis) {
        return exchange -> {
            pauseQuietly(millis);
            text(200, "late").answer(exchange);
        };
    }

    private static void pauseQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
