package dev.keyline.platform.connectui;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A tenant's web page on its own origin ({@code http://127.0.0.1:<port>}; Keyline is on {@code localhost}),
 * embedding the connect UI with the one script tag the README shows. Every event it receives is kept in
 * {@code window.keylineEvents} and listed on the page, where the tests (and the screenshots) read them; the connect
 * page's raw messages are kept in {@code window.keylineMessages}.
 */
final class HostPage implements AutoCloseable {
    private final HttpServer server;

    private HostPage(HttpServer server) {
        this.server = server;
    }

    static HostPage start(String keylineBase) {
        return new HostPage(serve(html(keylineBase)));
    }

    /** A server on 127.0.0.1 answering every path with {@code html}: a tenant's page on an origin of its own. */
    static HttpServer serve(String html) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
            byte[] page = html.getBytes(StandardCharsets.UTF_8);
            server.createContext("/", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(200, page.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(page);
                }
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    private static String html(String keylineBase) {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Acme HR · Integrations</title>
                <style>
                  body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: #1d2433; background: #f3f4f6; }
                  header { background: #1f2a44; color: #fff; padding: 14px 24px; font-weight: 700; }
                  main { max-width: 760px; margin: 32px auto; padding: 0 20px; }
                  .card { background: #fff; border-radius: 10px; padding: 20px 24px; border: 1px solid #e5e7eb; }
                  button { font: inherit; padding: 9px 16px; border-radius: 8px; border: 0; background: #1f2a44;
                           color: #fff; cursor: pointer; }
                  ol { font: 12px/1.6 ui-monospace, monospace; color: #4b5563; }
                </style>
                <script src="%s/connect/embed.js"></script>
                </head>
                <body>
                <header>Acme HR</header>
                <main>
                  <h1>Integrations</h1>
                  <div class="card">
                    <h2>1Password</h2>
                    <p>Sync your people and groups from 1Password.</p>
                    <button id="connect" type="button">Connect 1Password</button>
                  </div>
                  <h3>Events from Keyline</h3>
                  <ol id="events"></ol>
                </main>
                <script>
                  window.keylineEvents = [];
                  // The page's own messages as sent, beside what the embed script makes of them.
                  window.keylineMessages = [];
                  window.addEventListener('message', function (e) {
                    if (e.data && e.data.source === 'keyline-connect') window.keylineMessages.push(e.data);
                  });
                  window.pendingConnect = null;
                  window.startConnect = function (url, token, mode) {
                    return Keyline.connect({ url: url, token: token, mode: mode, onEvent: function (e) {
                      window.keylineEvents.push(e);
                      var li = document.createElement('li');
                      li.textContent = JSON.stringify(e);
                      document.getElementById('events').appendChild(li);
                    }});
                  };
                  // A click is a user gesture, which a popup needs.
                  document.getElementById('connect').addEventListener('click', function () {
                    var p = window.pendingConnect;
                    if (p) window.startConnect(p.url, p.token, p.mode);
                  });
                </script>
                </body>
                </html>
                """.formatted(keylineBase);
    }
}
