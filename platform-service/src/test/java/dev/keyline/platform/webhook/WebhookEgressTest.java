package dev.keyline.platform.webhook;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Webhook URLs never get the connectors' egress allowances, and the delivery log says no more than "not delivered
 * (egress_denied)" about a destination the policy refuses. The test profile allows 127.0.0.0/8 to every tenant's
 * connectors and only 127.0.0.1 (where receivers listen) to webhooks; 127.0.0.2 plays the private network.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class WebhookEgressTest {
    private static final String PRIVATE = "127.0.0.2";

    @Inject
    DataSource dataSource;

    @Inject
    InMemoryCredentialStore credentials;

    @Test
    void aUrlOnANetworkAllowedToConnectorsIsStillRefused() {
        CreatedTenant tenant = newTenant();
        for (String url : List.of("http://" + PRIVATE + ":9/hook", "http://[::1]:9/hook")) {
            as(tenant.apiKey())
                    .body(Map.of("url", url, "events", List.of("*")))
                    .post("/webhooks")
                    .then()
                    .statusCode(422)
                    .body("code", equalTo("egress_denied"))
                    .body("field", equalTo("url"));
        }
        // Not even when an operator allowed the network to this tenant's connectors.
        operator()
                .body(Map.of("allow_cidrs", List.of(PRIVATE + "/32", "::1/128")))
                .put("/tenants/" + tenant.id() + "/egress")
                .then()
                .statusCode(200);
        as(tenant.apiKey())
                .body(Map.of("url", "http://" + PRIVATE + ":9/hook", "events", List.of("*")))
                .post("/webhooks")
                .then()
                .statusCode(422)
                .body("code", equalTo("egress_denied"));
    }

    @Test
    void theDeliveryLogIsTheSameForEveryRefusedPrivateDestination() throws Exception {
        CreatedTenant tenant = newTenant();
        HttpServer answers404 = HttpServer.create(new InetSocketAddress(InetAddress.getByName(PRIVATE), 0), 0);
        answers404.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        answers404.start();
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(PRIVATE))) {
            closedPort = probe.getLocalPort();
        }
        try (ServerSocket hangsUp = new ServerSocket(0, 50, InetAddress.getByName(PRIVATE))) {
            Thread accepter = new Thread(() -> {
                while (!hangsUp.isClosed()) {
                    try (Socket ignored = hangsUp.accept()) {
                        // Closed at once.
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            accepter.setDaemon(true);
            accepter.start();
            List<String> urls = List.of(
                    "http://" + PRIVATE + ":" + answers404.getAddress().getPort() + "/hook",
                    "http://" + PRIVATE + ":" + closedPort + "/hook",
                    "http://" + PRIVATE + ":" + hangsUp.getLocalPort() + "/hook",
                    "http://10.255.255.1:81/hook");
            List<List<Object>> records = new ArrayList<>();
            List<Object> uniform = Arrays.asList("failed", null, "not delivered (egress_denied)");
            for (String url : urls) {
                // As a subscription made before its network was refused to webhooks (or whose name now resolves
                // to a private address) would be: the API itself no longer accepts such a URL.
                String id = subscription(tenant, url);
                String deliveryId = as(tenant.apiKey())
                        .post("/webhooks/" + id + "/test")
                        .then()
                        .statusCode(202)
                        .extract()
                        .path("id");
                JsonPath delivery = awaitFinished(tenant, id, deliveryId);
                records.add(Arrays.asList(
                        delivery.getString("state"),
                        delivery.<Object>get("last_status"),
                        delivery.getString("last_error")));
            }
            assertThat(records)
                    .as("one answer whether the destination answers 404, refuses, hangs up or is silent")
                    .containsOnly(
                            new ArrayList<>(java.util.Arrays.asList("failed", null, "not delivered (egress_denied)")));
        } finally {
            answers404.stop(0);
        }
    }

    private String subscription(CreatedTenant tenant, String url) {
        String id = UUID.randomUUID().toString();
        Sql.update(
                dataSource,
                "insert into webhook_subscriptions (id, tenant_id, url, events, enabled, secret_version, created_at,"
                        + " updated_at) values (?, ?, ?, '{*}', true, 1, now(), now())",
                id,
                tenant.id(),
                url);
        // Where earlier versions kept it: read (and moved) by every version since.
        credentials.put(tenant.id(), "whk_" + id, Map.of("secret", WebhookSignature.newSecret()));
        return id;
    }

    private static JsonPath awaitFinished(CreatedTenant tenant, String id, String deliveryId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath delivery = as(tenant.apiKey())
                    .get("/webhooks/" + id + "/deliveries/" + deliveryId)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            if (!"pending".equals(delivery.getString("state"))) {
                return delivery;
            }
            Receiver.sleep(25);
        }
        throw new AssertionError("delivery " + deliveryId + " still pending");
    }
}
