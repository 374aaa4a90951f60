package dev.keyline.connector.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.scimdouble.Fault;
import dev.keyline.scimdouble.ScimUpstream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdkHttpTransportTest {
    private HttpServer server;
    private final List<String> destinations = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", exchange -> {
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/scim+json; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/hop", exchange -> {
            exchange.getResponseHeaders().add("Location", "/ok");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/loop", exchange -> {
            exchange.getResponseHeaders().add("Location", "/loop");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.createContext("/big", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(new byte[4096]);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void redirectsAreFollowedAndEveryHopIsChecked() {
        HttpResponse response = transport().build().send(HttpRequest.get(uri("/hop")));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.uri().getPath()).isEqualTo("/ok");
        assertThat(response.mediaType()).isEqualTo("application/scim+json");
        assertThat(destinations).containsExactly("/hop", "/ok");
    }

    @Test
    void aDeniedRedirectTargetIsNeverContacted() {
        JdkHttpTransport transport = JdkHttpTransport.builder()
                .destinationCheck(uri -> {
                    if (uri.getPath().equals("/ok")) {
                        throw new ConnectorException(ErrorCode.EGRESS_DENIED, "denied");
                    }
                })
                .build();
        assertCode(() -> transport.send(HttpRequest.get(uri("/hop"))), ErrorCode.EGRESS_DENIED);
    }

    @Test
    void redirectLoopsStop() {
        assertCode(() -> transport().build().send(HttpRequest.get(uri("/loop"))), ErrorCode.UPSTREAM_ERROR);
    }

    @Test
    void failureMessagesLeaveOutUserInfoAndQuery() {
        URI withSecrets = URI.create(
                "http://alice:pa55word@127.0.0.1:" + server.getAddress().getPort() + "/loop?token=qwerty123");
        assertThatThrownBy(() -> transport().build().send(HttpRequest.get(withSecrets)))
                .isInstanceOf(ConnectorException.class)
                .message()
                .doesNotContain("pa55word")
                .doesNotContain("alice")
                .doesNotContain("qwerty123")
                .contains("127.0.0.1");
    }

    @Test
    void oversizedBodiesAreRefused() {
        assertCode(
                () -> transport().maxResponseBytes(1024).build().send(HttpRequest.get(uri("/big"))),
                ErrorCode.RESPONSE_TOO_LARGE);
    }

    @Test
    void unknownHostsAreReportedAsSuch() {
        assertCode(
                () -> transport().build().send(HttpRequest.get(URI.create("http://no-such-host.invalid/x"))),
                ErrorCode.HOST_NOT_FOUND);
    }

    @Test
    void refusedConnectionsAreReportedAsSuch() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertCode(
                () -> transport().build().send(HttpRequest.get(URI.create("http://127.0.0.1:" + closedPort + "/"))),
                ErrorCode.CONNECTION_FAILED);
    }

    @Test
    void slowAnswersTimeOut() {
        assertCode(
                () -> transport().requestTimeout(Duration.ofMillis(200)).build().send(HttpRequest.get(uri("/slow"))),
                ErrorCode.TIMEOUT);
    }

    @Test
    void requestsNeverPrintTheirHeaders() {
        HttpRequest request = HttpRequest.get(uri("/ok")).header("Authorization", "Bearer top-secret");
        assertThat(request.toString()).doesNotContain("top-secret");
    }

    private JdkHttpTransport.Builder transport() {
        return JdkHttpTransport.builder().destinationCheck(uri -> destinations.add(uri.getPath()));
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static void assertCode(Runnable call, ErrorCode code) {
        assertThatThrownBy(call::run)
                .isInstanceOfSatisfying(
                        ConnectorException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

    @Test
    void anUntrustedCertificateIsATlsError() {
        try (ScimUpstream upstream = ScimUpstream.builder().https().start()) {
            JdkHttpTransport transport = JdkHttpTransport.builder().build();
            assertThatThrownBy(() -> transport.send(HttpRequest.get(URI.create(upstream.hostedBaseUrl() + "/Users"))))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TLS_ERROR));
        }
    }

    @Test
    void aResetConnectionIsAConnectionFailure() {
        try (ScimUpstream upstream = ScimUpstream.builder().start()) {
            upstream.inject(Fault.connectionReset());
            JdkHttpTransport transport = JdkHttpTransport.builder().build();
            assertThatThrownBy(() -> transport.send(HttpRequest.get(URI.create(upstream.hostedBaseUrl() + "/Users"))))
                    .isInstanceOfSatisfying(
                            ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED));
        }
    }

    @Test
    void aHugeBodyExceedsTheCap() {
        try (ScimUpstream upstream = ScimUpstream.builder().start()) {
            upstream.inject(Fault.hugeBody(50L * 1024 * 1024));
            JdkHttpTransport transport =
                    JdkHttpTransport.builder().maxResponseBytes(1024 * 1024).build();
            assertThatThrownBy(() -> transport.send(HttpRequest.get(URI.create(upstream.hostedBaseUrl() + "/Users"))
                            .header("Authorization", "Bearer " + upstream.token())))
                    .isInstanceOfSatisfying(
                            ConnectorException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.RESPONSE_TOO_LARGE));
        }
    }
}
