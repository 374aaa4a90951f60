package dev.keyline.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.keyline.sdk.api.ConnectorsApi;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class KeylineTest {
    @Test
    void clientSendsTheKeyAsBearerTokenToTheBaseUrl() throws Exception {
        AtomicReference<String> authorization = new AtomicReference<>();
        AtomicReference<String> path = new AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            authorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
            path.set(exchange.getRequestURI().getPath());
            byte[] body =
                    "{\"title\":\"Not found\",\"status\":404,\"code\":\"not_found\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
            exchange.sendResponseHeaders(404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            var client =
                    Keyline.client("http://127.0.0.1:" + server.getAddress().getPort() + "/", "kl_test_key");

            assertThatThrownBy(() -> Keyline.call(() -> new ConnectorsApi(client).getConnector("nope")))
                    .isInstanceOfSatisfying(KeylineProblemException.class, p -> {
                        assertThat(p.status()).isEqualTo(404);
                        assertThat(p.code()).contains("not_found");
                    });
            assertThat(authorization.get()).isEqualTo("Bearer kl_test_key");
            assertThat(path.get()).isEqualTo("/v1/connectors/nope");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aBlankKeyIsRefused() {
        assertThatThrownBy(() -> Keyline.client("http://127.0.0.1:1", " "))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
