package dev.keyline.deploy.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A tenant's page on its own origin embedding Keyline's connect UI with {@code embed.js} (overlay mode unless a test
 * asks for the popup). Every
 * event it hears is kept in {@code window.keylineEvents}.
 */
final class ConnectHostPage implements AutoCloseable {
    private final HttpServer server;

    ConnectHostPage(String keylineUrl) {
        byte[] page = """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Acme Reviews</title>
                <script src="%s/connect/embed.js"></script></head>
                <body><h1>Integrations</h1>
                <script>
                  window.keylineEvents = [];
                  window.startConnect = function (url, token, mode) {
                    return Keyline.connect({ url: url, token: token, mode: mode || 'overlay',
                      onEvent: function (e) { window.keylineEvents.push(e); } });
                  };
                </script></body></html>
                """.formatted(keylineUrl).getBytes(StandardCharsets.UTF_8);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        server.start();
    }

    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String url() {
        return origin() + "/settings/integrations";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
