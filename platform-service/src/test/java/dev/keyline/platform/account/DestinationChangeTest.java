package dev.keyline.platform.account;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.goodToken;
import static dev.keyline.platform.support.TestApi.link;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.sun.net.httpserver.HttpServer;
import dev.keyline.platform.problem.Problem;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimUpstream;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Audit finding 1: a tenant key must not be able to point an account at another host and have Keyline send the
 * stored secret there. A change of destination needs the secrets again, through the API and the connect UI alike.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class DestinationChangeTest {

    @Inject
    InMemoryCredentialStore store;

    /** Another host on loopback that answers every request with 200 and keeps the Authorization it was sent. */
    private HttpServer collector;

    private final List<String> collected = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startCollector() throws IOException {
        collector = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        collector.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            collected.add(exchange.getRequestURI().getPath() + " " + authorization);
            byte[] body = "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig\"]}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/scim+json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        collector.start();
    }

    @AfterEach
    void stopCollector() {
        collector.stop(0);
    }

    private String collectorUrl() {
        return "http://127.0.0.1:" + collector.getAddress().getPort() + "/scim/v2";
    }

    @Test
    void aNewUrlWithoutTheTokenIsRefusedAndNothingReachesTheNewHost() {
        CreatedTenant tenant = newTenant();
        String token = goodToken();
        String id = link(tenant, "org-1", token).statusCode(201).extract().path("id");

        as(tenant.apiKey())
                .body(Map.of("credentials", Map.of("scim_url", collectorUrl())))
                .patch("/accounts/{id}", id)
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("secrets_required"))
                .body("field", equalTo("credentials.token"))
                .body("errors.field", equalTo(List.of("credentials.token")));

        assertThat(collected).isEmpty();
        assertThat(store.get(tenant.id(), id).orElseThrow())
                .containsEntry("scim_url", FakeScimUpstream.get().url())
                .containsEntry("token", token);
    }

    @Test
    void aNewUrlWithTheTokenMovesTheAccount() {
        CreatedTenant tenant = newTenant();
        String id = link(tenant, "org-1", goodToken()).statusCode(201).extract().path("id");

        as(tenant.apiKey())
                .body(Map.of("credentials", Map.of("scim_url", collectorUrl(), "token", "token-for-the-new-host")))
                .patch("/accounts/{id}", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("active"));

        assertThat(collected)
                .isNotEmpty()
                .allSatisfy(seen -> assertThat(seen).endsWith("Bearer token-for-the-new-host"));
        assertThat(store.get(tenant.id(), id).orElseThrow())
                .containsEntry("scim_url", collectorUrl())
                .containsEntry("token", "token-for-the-new-host");
    }

    @Test
    void theSameUrlSpelledAsTheConnectorWouldNormalizeItNeedsNoToken() {
        CreatedTenant tenant = newTenant();
        String token = goodToken();
        String id = link(tenant, "org-1", token).statusCode(201).extract().path("id");

        as(tenant.apiKey())
                .body(Map.of(
                        "credentials", Map.of("scim_url", FakeScimUpstream.get().url() + "/")))
                .patch("/accounts/{id}", id)
                .then()
                .statusCode(200);
        assertThat(store.get(tenant.id(), id).orElseThrow()).containsEntry("token", token);
    }

    @Test
    void aRelinkThroughAConnectSessionWithOnlyANewUrlIsRefusedTheSameWay() {
        CreatedTenant tenant = newTenant();
        String token = goodToken();
        String id = link(tenant, "org-1", token).statusCode(201).extract().path("id");
        String sessionToken = as(tenant.apiKey())
                .body(Map.of("origin_owner_id", "org-1", "origin_owner_name", "Owner org-1", "account_id", id))
                .post("/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("token");

        as(sessionToken)
                .body(Map.of("credentials", Map.of("scim_url", collectorUrl())))
                .post("/connect/session/link")
                .then()
                .statusCode(400)
                .body("code", equalTo("secrets_required"))
                .body("errors.field", equalTo(List.of("credentials.token")));

        assertThat(collected).isEmpty();
        assertThat(store.get(tenant.id(), id).orElseThrow())
                .containsEntry("scim_url", FakeScimUpstream.get().url())
                .containsEntry("token", token);
        // The refusal leaves the session usable, so the person can paste the token and try again.
        String newToken = goodToken();
        as(sessionToken)
                .body(Map.of(
                        "credentials", Map.of("scim_url", FakeScimUpstream.get().url(), "token", newToken)))
                .post("/connect/session/link")
                .then()
                .statusCode(200)
                .body("account_id", equalTo(id));
    }
}
