package dev.keyline.platform.egress;

import static dev.keyline.platform.egress.EgressTestSupport.ok;
import static dev.keyline.platform.egress.EgressTestSupport.redirect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.egress.EgressPolicy.Rules;
import dev.keyline.platform.egress.EgressTestSupport.ScriptedResolver;
import dev.keyline.platform.egress.EgressTestSupport.SpyExchange;
import dev.keyline.scimdouble.Fault;
import dev.keyline.scimdouble.ScimUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transport end to end: on loopback servers (the TCK's SCIM upstream and a scripted one) for what the
 * wire does, and on a spy exchange for decisions that must be made before the wire.
 */
class EgressTransportTest {

    private static final Rules LOOPBACK = Rules.DEFAULT.withAllowHttp(true).withAllowCidrs("127.0.0.0/8");

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private static EgressTransport transport(Rules rules, HostResolver resolver) {
        return transport(rules, resolver, EgressTransport.Limits.DEFAULT);
    }

    private static EgressTransport transport(Rules rules, HostResolver resolver, EgressTransport.Limits limits) {
        return new EgressTransport(vertx, new EgressPolicy(rules), resolver, limits, Optional.empty());
    }

    private static ConnectorException failure(EgressTransport transport, HttpRequest request) {
        ConnectorException failure = catchThrowableOfType(() -> transport.send(request), ConnectorException.class);
        assertThat(failure).as("expected a ConnectorException").isNotNull();
        return failure;
    }

    // ---- happy path and allow-lists ----

    @Test
    void getReachesTheLoopbackUpstreamWhenLoopbackIsAllowListed() {
        try (ScimUpstream upstream = ScimUpstream.builder().start();
                EgressTransport transport = transport(LOOPBACK, HostResolver.SYSTEM)) {
            HttpResponse response = transport.send(HttpRequest.get(URI.create(upstream.hostedBaseUrl() + "/Users"))
                    .header("Authorization", "Bearer " + upstream.token()));

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.mediaType()).isEqualTo("application/scim+json");
            assertThat(response.bodyText()).contains("ListResponse");
            assertThat(upstream.requests().all())
                    .singleElement()
                    .satisfies(seen -> assertThat(seen.authorized()).isTrue());
        }
    }

    @Test
    void loopbackIsDeniedWithoutAnAllowanceAndTheUpstreamSeesNothing() {
        try (ScimUpstream upstream = ScimUpstream.builder().start();
                EgressTransport transport = transport(Rules.DEFAULT.withAllowHttp(true), HostResolver.SYSTEM)) {
            ConnectorException failure = failure(transport, HttpRequest.get(upstream.uri("/scim/v2/Users")));

            assertThat(failure.code()).isEqualTo(ErrorCode.EGRESS_DENIED);
            assertThat(failure.getMessage()).contains("127.0.0.1").contains("private, local or reserved");
            assertThat(upstream.requests().all()).isEmpty();
        }
    }

    @Test
    void plainHttpIsDeniedByDefault() {
        SpyExchange spy = new SpyExchange(EgressTestSupport::ok);
        ScriptedResolver resolver = new ScriptedResolver().answer("scim.example.com", "93.184.216.34");
        try (var transport =
                new EgressTransport(EgressPolicy.defaults(), resolver, spy, EgressTransport.Limits.DEFAULT)) {
            ConnectorException failure =
                    failure(transport, HttpRequest.get(URI.create("http://scim.example.com/scim/v2/Users")));

            assertThat(failure.code()).isEqualTo(ErrorCode.EGRESS_DENIED);
            assertThat(failure.getMessage()).contains("scim.example.com").contains("only https");
            assertThat(resolver.lookups()).isZero();
            assertThat(spy.hops()).isEmpty();
            // The same host over https is fine.
            assertThat(transport
                            .send(HttpRequest.get(URI.create("https://scim.example.com/")))
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void anAllowListedHostMayResolveToAPrivateAddress() throws IOException {
        try (LoopbackServer server = new LoopbackServer().route("/ping", LoopbackServer.text(200, "pong"))) {
            ScriptedResolver resolver = new ScriptedResolver()
                    .answer("scim-bridge.corp.example", "127.0.0.1")
                    .answer("other.corp.example", "127.0.0.1")
                    .answer("scim-bridge.elsewhere.example", "127.0.0.1");
            Rules rules = Rules.DEFAULT.withAllowHttp(true).withAllowHosts("scim-bridge.corp.example");
            try (EgressTransport transport = transport(rules, resolver)) {
                HttpResponse response =
                        transport.send(HttpRequest.get(URI.create(server.url("scim-bridge.corp.example", "/ping"))));
                assertThat(response.bodyText()).isEqualTo("pong");
                assertThat(server.seen())
                        .singleElement()
                        .satisfies(
                                seen -> assertThat(seen.host()).isEqualTo("scim-bridge.corp.example:" + server.port()));

                ConnectorException other =
                        failure(transport, HttpRequest.get(URI.create(server.url("other.corp.example", "/ping"))));
                assertThat(other.code()).isEqualTo(ErrorCode.EGRESS_DENIED);
            }
            try (EgressTransport transport = transport(rules.withAllowHosts("*.corp.example"), resolver)) {
                assertThat(transport
                                .send(HttpRequest.get(URI.create(server.url("other.corp.example", "/ping"))))
                                .status())
                        .isEqualTo(200);
                assertThat(failure(
                                        transport,
                                        HttpRequest.get(
                                                URI.create(server.url("scim-bridge.elsewhere.example", "/ping"))))
                                .code())
                        .isEqualTo(ErrorCode.EGRESS_DENIED);
            }
            assertThat(server.seen()).hasSize(2);
        }
    }

    @Test
    void denyCidrsWinOverAnAllowListedHost() throws IOException {
        try (LoopbackServer server = new LoopbackServer().route("/ping", LoopbackServer.text(200, "pong"))) {
            ScriptedResolver resolver = new ScriptedResolver().answer("scim-bridge.corp.example", "127.0.0.1");
            Rules rules = Rules.DEFAULT
                    .withAllowHttp(true)
                    .withAllowHosts("scim-bridge.corp.example")
                    .withDenyCidrs("127.0.0.0/8");
            try (EgressTransport transport = transport(rules, resolver)) {
                ConnectorException failure = failure(
                        transport, HttpRequest.get(URI.create(server.url("scim-bridge.corp.example", "/ping"))));
                assertThat(failure.code()).isEqualTo(ErrorCode.EGRESS_DENIED);
            }
            assertThat(server.seen()).isEmpty();
        }
    }

    // ---- pinning ----

    @Test
    void theNameIsResolvedOnceAndTheFirstAnswerIsWhereTheConnectionGoes() {
        ScriptedResolver resolver = new ScriptedResolver()
                .answer("rebind.example.com", "93.184.216.34")
                .answer("rebind.example.com", "10.0.0.1");
        SpyExchange spy = new SpyExchange(EgressTestSupport::ok);
        try (var transport =
                new EgressTransport(EgressPolicy.defaults(), resolver, spy, EgressTransport.Limits.DEFAULT)) {
            transport.send(HttpRequest.get(URI.create("https://rebind.example.com/scim/v2/Users")));
        }

        assertThat(resolver.lookups("rebind.example.com")).isEqualTo(1);
        assertThat(spy.hops()).singleElement().satisfies(hop -> {
            assertThat(hop.address().getHostAddress()).isEqualTo("93.184.216.34");
            assertThat(hop.destination().host()).isEqualTo("rebind.example.com");
        });
    }

    @Test
    void theWireConnectsToThePinnedAddressAndKeepsTheNameInTheHostHeader() throws IOException {
        // A name no real DNS knows: if anything below the transport resolved it again, the request would fail.
        ScriptedResolver resolver = new ScriptedResolver()
                .answer("pinned.keyline-egress-test.example", "127.0.0.1")
                .answer("pinned.keyline-egress-test.example", "10.0.0.1");
        try (LoopbackServer server = new LoopbackServer().route("/Users", LoopbackServer.text(200, "users"));
                EgressTransport transport = transport(LOOPBACK, resolver)) {
            HttpResponse response = transport.send(
                    HttpRequest.get(URI.create(server.url("pinned.keyline-egress-test.example", "/Users"))));

            assertThat(response.bodyText()).isEqualTo("users");
            assertThat(resolver.lookups("pinned.keyline-egress-test.example")).isEqualTo(1);
            assertThat(server.seen())
                    .singleElement()
                    .satisfies(seen ->
                            assertThat(seen.host()).isEqualTo("pinned.keyline-egress-test.example:" + server.port()));
        }
    }

    @Test
    void anyRefusedAddressAmongTheAnswersDeniesTheName() {
        ScriptedResolver resolver = new ScriptedResolver().answer("mixed.example.com", "93.184.216.34", "10.0.0.1");
        SpyExchange spy = new SpyExchange(EgressTestSupport::ok);
        try (var transport =
                new EgressTransport(EgressPolicy.defaults(), resolver, spy, EgressTransport.Limits.DEFAULT)) {
            ConnectorException failure = failure(transport, HttpRequest.get(URI.create("https://mixed.example.com/")));
            assertThat(failure.code()).isEqualTo(ErrorCode.EGRESS_DENIED);
            assertThat(failure.getMessage()).contains("mixed.example.com").doesNotContain("10.0.0.1");
        }
        assertThat(spy.hops()).isEmpty();
    }

    // ---- redirects ----

    @Test
    void aRedirectToAPrivateAddressIsDeniedAfterTheFirstHopOnly() throws IOException {
        try (LoopbackServer server = new LoopbackServer()
                        .route("/metadata", LoopbackServer.redirect(302, "http://169.254.169.254/latest/meta-data/"))
                        .route("/internal", LoopbackServer.redirect(307, "http://internal.example.com/admin"))
                        .route("/odd", LoopbackServer.redirect(302, "http://0x7f.1:1/"));
                EgressTransport transport =
                        transport(LOOPBACK, new ScriptedResolver().answer("internal.example.com", "10.1.2.3"))) {
            for (String path : List.of("/metadata", "/internal", "/odd")) {
                ConnectorException failure =
                        failure(transport, HttpRequest.get(URI.create(server.url("127.0.0.1", path))));
                assertThat(failure.code()).as(path).isEqualTo(ErrorCode.EGRESS_DENIED);
                assertThat(failure.getMessage())
                        .as(path)
                        .doesNotContain("meta-data")
                        .doesNotContain("admin");
            }
            assertThat(server.seen())
                    .extracting(LoopbackServer.Seen::path)
                    .containsExactly("/metadata", "/internal", "/odd");
        }
    }

    @Test
    void aRedirectChainWithinThePolicyIsFollowedWithEachHopResolvedOnce() throws IOException {
        ScriptedResolver resolver = new ScriptedResolver().answer("second.example.com", "127.0.0.1");
        try (LoopbackServer server = new LoopbackServer();
                EgressTransport transport = transport(LOOPBACK, resolver)) {
            server.route("/a", LoopbackServer.redirect(302, "/b"))
                    .route("/b", LoopbackServer.redirect(301, server.url("second.example.com", "/c")))
                    .route("/c", LoopbackServer.redirect(308, "d"))
                    .route("/d", LoopbackServer.text(200, "done"));

            HttpResponse response = transport.send(HttpRequest.get(URI.create(server.url("127.0.0.1", "/a")))
                    .header("Authorization", "Bearer chain-token"));

            assertThat(response.bodyText()).isEqualTo("done");
            assertThat(response.uri()).isEqualTo(URI.create(server.url("second.example.com", "/d")));
            assertThat(resolver.lookups("second.example.com")).isEqualTo(2);
            assertThat(server.seen()).extracting(LoopbackServer.Seen::path).containsExactly("/a", "/b", "/c", "/d");
            // Credentials stay with their origin: kept on the same-origin hop, dropped once the origin changes.
            assertThat(server.seen())
                    .extracting(LoopbackServer.Seen::authorization)
                    .containsExactly("Bearer chain-token", "Bearer chain-token", null, null);
        }
    }

    @Test
    void tooManyRedirectsIsAnUpstreamError() throws IOException {
        try (LoopbackServer server = new LoopbackServer().route("/loop", LoopbackServer.redirect(302, "/loop"));
                EgressTransport transport =
                        transport(LOOPBACK, HostResolver.SYSTEM, EgressTransport.Limits.DEFAULT.withMaxRedirects(3))) {
            ConnectorException failure =
                    failure(transport, HttpRequest.get(URI.create(server.url("127.0.0.1", "/loop?token=abc"))));

            assertThat(failure.code()).isEqualTo(ErrorCode.UPSTREAM_ERROR);
            assertThat(failure.getMessage()).contains("Too many redirects").doesNotContain("token=abc");
            assertThat(server.seen()).hasSize(4);
        }
    }

    @Test
    void anHttpsRequestIsNotRedirectedToPlainHttp() {
        ScriptedResolver resolver = new ScriptedResolver().answer("scim.example.com", "93.184.216.34");
        SpyExchange spy = new SpyExchange(hop ->
                hop.destination().https() ? redirect(hop, 302, "http://scim.example.com/scim/v2/Users") : ok(hop));
        try (var transport = new EgressTransport(
                new EgressPolicy(Rules.DEFAULT.withAllowHttp(true)), resolver, spy, EgressTransport.Limits.DEFAULT)) {
            ConnectorException failure =
                    failure(transport, HttpRequest.get(URI.create("https://scim.example.com/scim/v2/Users")));

            assertThat(failure.code()).isEqualTo(ErrorCode.EGRESS_DENIED);
            assertThat(failure.getMessage()).contains("plain http");
        }
        assertThat(spy.hops()).hasSize(1);
    }

    @Test
    void aRedirectToAMalformedLocationIsDenied() {
        ScriptedResolver resolver = new ScriptedResolver().answer("scim.example.com", "93.184.216.34");
        SpyExchange spy = new SpyExchange(hop -> redirect(hop, 302, "https://evil.example.net\\@scim.example.com/"));
        try (var transport =
                new EgressTransport(EgressPolicy.defaults(), resolver, spy, EgressTransport.Limits.DEFAULT)) {
            assertThat(failure(transport, HttpRequest.get(URI.create("https://scim.example.com/")))
                            .code())
                    .isEqualTo(ErrorCode.EGRESS_DENIED);
        }
        assertThat(spy.hops()).hasSize(1);
    }

    // ---- caps and time ----

    @Test
    void anAnswerPastTheCapIsCutOff() {
        try (ScimUpstream upstream = ScimUpstream.builder().start();
                EgressTransport transport = transport(
                        LOOPBACK,
                        HostResolver.SYSTEM,
                        EgressTransport.Limits.DEFAULT.withMaxResponseBytes(64 * 1024))) {
            upstream.inject(Fault.hugeBody(8L * 1024 * 1024));
            long started = System.nanoTime();
            ConnectorException failure = failure(
                    transport,
                    HttpRequest.get(URI.create(upstream.hostedBaseUrl() + "/Users?token=huge"))
                            .header("Authorization", "Bearer " + upstream.token()));

            assertThat(failure.code()).isEqualTo(ErrorCode.RESPONSE_TOO_LARGE);
            assertThat(failure.getMessage())
                    .contains("127.0.0.1")
                    .contains("65536")
                    .doesNotContain("token=huge");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void aStreamWithoutLengthIsAbortedAtTheCapAndADeclaredLengthPastItIsRefusedAtOnce() throws IOException {
        try (LoopbackServer server = new LoopbackServer()
                        .route("/endless", LoopbackServer.endlessChunks())
                        .route("/declared", LoopbackServer.declaresLength(1L << 40));
                EgressTransport transport = transport(
                        LOOPBACK, HostResolver.SYSTEM, EgressTransport.Limits.DEFAULT.withMaxResponseBytes(100_000))) {
            for (String path : List.of("/endless", "/declared")) {
                long started = System.nanoTime();
                ConnectorException failure = failure(
                        transport,
                        HttpRequest.get(URI.create(server.url("127.0.0.1", path)))
                                .timeout(Duration.ofSeconds(15)));
                assertThat(failure.code()).as(path).isEqualTo(ErrorCode.RESPONSE_TOO_LARGE);
                assertThat(Duration.ofNanos(System.nanoTime() - started))
                        .as(path)
                        .isLessThan(Duration.ofSeconds(4));
            }
        }
    }

    @Test
    void aStalledUpstreamTimesOutAtTheDeadline() {
        try (ScimUpstream upstream = ScimUpstream.builder().start();
                EgressTransport transport = transport(
                        LOOPBACK,
                        HostResolver.SYSTEM,
                        EgressTransport.Limits.DEFAULT.withRequestTimeout(Duration.ofMillis(700)))) {
            upstream.inject(Fault.stall(Duration.ofSeconds(10)));
            long started = System.nanoTime();
            ConnectorException failure = failure(
                    transport,
                    HttpRequest.get(URI.create(upstream.hostedBaseUrl() + "/Users"))
                            .header("Authorization", "Bearer " + upstream.token()));
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(failure.code()).isEqualTo(ErrorCode.TIMEOUT);
            assertThat(failure.getMessage()).isEqualTo("127.0.0.1 did not answer in time.");
            assertThat(took).isBetween(Duration.ofMillis(600), Duration.ofSeconds(5));
        }
    }

    @Test
    void aRequestsOwnTimeoutOverridesTheDefault() throws IOException {
        try (LoopbackServer server = new LoopbackServer().route("/slow", LoopbackServer.stall(5_000));
                EgressTransport transport = transport(LOOPBACK, HostResolver.SYSTEM)) {
            long started = System.nanoTime();
            ConnectorException failure = failure(
                    transport,
                    HttpRequest.get(URI.create(server.url("127.0.0.1", "/slow")))
                            .timeout(Duration.ofMillis(300)));

            assertThat(failure.code()).isEqualTo(ErrorCode.TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    // ---- failures mapped like JdkHttpTransport ----

    @Test
    void anUntrustedCertificateIsATlsError() {
        try (ScimUpstream upstream = ScimUpstream.builder().https().start();
                EgressTransport transport = transport(LOOPBACK, HostResolver.SYSTEM)) {
            ConnectorException failure = failure(
                    transport,
                    HttpRequest.get(URI.create(upstream.hostedBaseUrl() + "/Users"))
                            .header("Authorization", "Bearer " + upstream.token()));

            assertThat(failure.code()).isEqualTo(ErrorCode.TLS_ERROR);
            assertThat(failure.getMessage())
                    .isEqualTo("A secure connection to 127.0.0.1 could not be established"
                            + " (its certificate is not trusted or does not match).");
            assertThat(upstream.requests().all()).isEmpty();
        }
    }

    @Test
    void certificateVerificationUsesTheNameNotThePinnedAddress() throws Exception {
        try (ScimUpstream upstream = ScimUpstream.builder().https().start()) {
            TrustOptions trust = TrustOptions.wrap(trusting(upstream));
            // The certificate names localhost and 127.0.0.1; both names below are pinned to 127.0.0.1.
            ScriptedResolver resolver = new ScriptedResolver()
                    .answer("localhost", "127.0.0.1")
                    .answer("scim.keyline-egress-test.example", "127.0.0.1");
            Rules rules = LOOPBACK.withAllowHosts("localhost");
            try (EgressTransport transport = new EgressTransport(
                    vertx, new EgressPolicy(rules), resolver, EgressTransport.Limits.DEFAULT, Optional.of(trust))) {
                String path = ":" + upstream.port() + "/scim/v2/Users";
                HttpResponse response = transport.send(HttpRequest.get(URI.create("https://localhost" + path))
                        .header("Authorization", "Bearer " + upstream.token()));
                assertThat(response.status()).isEqualTo(200);

                ConnectorException mismatch = failure(
                        transport,
                        HttpRequest.get(URI.create("https://scim.keyline-egress-test.example" + path))
                                .header("Authorization", "Bearer " + upstream.token()));
                assertThat(mismatch.code()).isEqualTo(ErrorCode.TLS_ERROR);
            }
            assertThat(upstream.requests().all()).hasSize(1);
        }
    }

    @Test
    void aClosedPortIsAConnectionFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            closedPort = socket.getLocalPort();
        }
        try (EgressTransport transport = transport(LOOPBACK, HostResolver.SYSTEM)) {
            ConnectorException failure =
                    failure(transport, HttpRequest.get(URI.create("http://127.0.0.1:" + closedPort + "/")));
            assertThat(failure.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
            assertThat(failure.getMessage()).isEqualTo("127.0.0.1 refused the connection.");
        }
    }

    @Test
    void aNameThatDoesNotResolveIsHostNotFound() {
        ScriptedResolver resolver = new ScriptedResolver().answer("empty.example.com");
        SpyExchange spy = new SpyExchange(EgressTestSupport::ok);
        try (var transport =
                new EgressTransport(EgressPolicy.defaults(), resolver, spy, EgressTransport.Limits.DEFAULT)) {
            for (String host : List.of("missing.example.com", "empty.example.com")) {
                ConnectorException failure =
                        failure(transport, HttpRequest.get(URI.create("https://" + host + "/?token=x")));
                assertThat(failure.code()).isEqualTo(ErrorCode.HOST_NOT_FOUND);
                assertThat(failure.getMessage())
                        .isEqualTo("The host " + host + " could not be found. Check the address for typos.");
            }
        }
        assertThat(spy.hops()).isEmpty();
    }

    @Test
    void vertxAndNettyFailuresMapToTheSameCodesAsTheJdkTransport() {
        Destination destination = EgressPolicy.defaults().destination(URI.create("https://scim.example.com/"));
        assertThat(VertxExchange.translate(new javax.net.ssl.SSLHandshakeException("bad"), destination)
                        .code())
                .isEqualTo(ErrorCode.TLS_ERROR);
        assertThat(VertxExchange.translate(
                                new io.vertx.core.VertxException(new javax.net.ssl.SSLException("wrapped")),
                                destination)
                        .code())
                .isEqualTo(ErrorCode.TLS_ERROR);
        assertThat(VertxExchange.translate(new io.netty.channel.ConnectTimeoutException("slow"), destination)
                        .getMessage())
                .isEqualTo("Connecting to scim.example.com timed out.");
        assertThat(VertxExchange.translate(new io.vertx.core.impl.NoStackTraceTimeoutException("idle"), destination)
                        .code())
                .isEqualTo(ErrorCode.TIMEOUT);
        assertThat(VertxExchange.translate(new java.net.ConnectException("refused"), destination)
                        .code())
                .isEqualTo(ErrorCode.CONNECTION_FAILED);
        assertThat(VertxExchange.translate(new java.net.UnknownHostException("x"), destination)
                        .code())
                .isEqualTo(ErrorCode.HOST_NOT_FOUND);
        assertThat(VertxExchange.translate(new io.vertx.core.http.HttpClosedException("closed"), destination)
                        .code())
                .isEqualTo(ErrorCode.CONNECTION_FAILED);
    }

    // ---- misuse ----

    @Test
    void aConnectorCannotOverrideTheHostHeader() {
        SpyExchange spy = new SpyExchange(EgressTestSupport::ok);
        try (var transport = new EgressTransport(
                EgressPolicy.defaults(), new ScriptedResolver(), spy, EgressTransport.Limits.DEFAULT)) {
            assertThatThrownBy(() -> transport.send(HttpRequest.get(URI.create("https://93.184.216.34/"))
                            .header("Host", "internal")))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(spy.hops()).isEmpty();
    }

    @Test
    void callingFromAnEventLoopIsRefusedInsteadOfDeadlocking() throws Exception {
        try (LoopbackServer server = new LoopbackServer().route("/ping", LoopbackServer.text(200, "pong"));
                EgressTransport transport = transport(LOOPBACK, HostResolver.SYSTEM)) {
            CompletableFuture<Throwable> outcome = new CompletableFuture<>();
            vertx.runOnContext(ignored -> {
                try {
                    transport.send(HttpRequest.get(URI.create(server.url("127.0.0.1", "/ping"))));
                    outcome.complete(null);
                } catch (RuntimeException e) {
                    outcome.complete(e);
                }
            });
            assertThat(outcome.get()).isInstanceOf(IllegalStateException.class);
            assertThat(server.seen()).isEmpty();
        }
    }

    /** A trust manager for exactly the upstream's self-signed certificate, as the server presents it. */
    private static TrustManagerFactory trusting(ScimUpstream upstream) throws Exception {
        Certificate certificate;
        try (SSLSocket socket = (SSLSocket)
                upstream.trustingSslContext().getSocketFactory().createSocket("127.0.0.1", upstream.port())) {
            socket.startHandshake();
            certificate = socket.getSession().getPeerCertificates()[0];
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("upstream", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }
}
