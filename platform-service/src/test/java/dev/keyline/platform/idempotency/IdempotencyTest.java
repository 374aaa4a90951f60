package dev.keyline.platform.idempotency;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.credentials;
import static dev.keyline.platform.support.TestApi.goodToken;
import static dev.keyline.platform.support.TestApi.linkedAccount;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.operator;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.credential.CredentialStore.Namespace;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import dev.keyline.platform.support.FakeScimUpstream;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class IdempotencyTest {
    private static final String HEADER = "Idempotency-Key";

    @Inject
    DataSource dataSource;

    @Inject
    IdempotencyStore store;

    @Inject
    InMemoryCredentialStore credentials;

    private static Map<String, Object> webhook(String path) {
        return Map.of("url", "http://127.0.0.1:9/" + path, "events", List.of("*"));
    }

    private static Response createWebhook(CreatedTenant tenant, String key, Map<String, Object> body) {
        return as(tenant.apiKey()).header(HEADER, key).body(body).post("/v1/webhooks");
    }

    @Test
    void theFirstAnswerIsReplayedIdenticallyAndNothingIsCreatedTwice() {
        CreatedTenant tenant = newTenant();
        String key = UUID.randomUUID().toString();
        Response first = createWebhook(tenant, key, webhook("a"));
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();

        Response again = createWebhook(tenant, key, webhook("a"));
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.asString()).isEqualTo(first.asString());
        assertThat(again.jsonPath().getString("secret"))
                .isEqualTo(first.jsonPath().getString("secret"));
        assertThat(again.contentType()).isEqualTo(first.contentType());
        assertThat(as(tenant.apiKey()).get("/v1/webhooks").jsonPath().getList("data"))
                .hasSize(1);
    }

    @Test
    void aQueuedSyncIsReplayedWithItsLocation() {
        CreatedTenant tenant = newTenant();
        String account = linkedAccount(tenant, "owner-sync");
        String key = UUID.randomUUID().toString();
        Response first = as(tenant.apiKey()).header(HEADER, key).post("/v1/accounts/" + account + "/syncs");
        assertThat(first.statusCode()).isIn(200, 202);
        assertThat(first.header("Location")).isNotBlank();
        Response again = as(tenant.apiKey()).header(HEADER, key).post("/v1/accounts/" + account + "/syncs");
        assertThat(again.statusCode()).isEqualTo(first.statusCode());
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(again.asString()).isEqualTo(first.asString());
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    }

    @Test
    void theSameKeyWithAnotherRequestIsRefused() {
        CreatedTenant tenant = newTenant();
        String key = UUID.randomUUID().toString();
        assertThat(createWebhook(tenant, key, webhook("a")).statusCode()).isEqualTo(201);
        Response other = createWebhook(tenant, key, webhook("b"));
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.contentType()).startsWith("application/problem+json");
        assertThat(other.jsonPath().getString("code")).isEqualTo("idempotency_key_reused");
        assertThat(other.jsonPath().getString("field")).isEqualTo(HEADER);
        // Another operation with the same key is another request, too.
        Response session = as(tenant.apiKey())
                .header(HEADER, key)
                .body(Map.of("origin_owner_id", "o", "origin_owner_name", "n"))
                .post("/v1/connect/sessions");
        assertThat(session.statusCode()).isEqualTo(422);
    }

    @Test
    void anotherCallerWithTheSameKeyRunsNormally() {
        CreatedTenant a = newTenant();
        CreatedTenant b = newTenant();
        String key = UUID.randomUUID().toString();
        Response first = createWebhook(a, key, webhook("a"));
        Response other = createWebhook(b, key, webhook("a"));
        assertThat(other.statusCode()).isEqualTo(201);
        assertThat(other.header("Idempotent-Replayed")).isNull();
        assertThat(other.jsonPath().getString("id"))
                .isNotEqualTo(first.jsonPath().getString("id"));
        assertThat(other.jsonPath().getString("secret"))
                .isNotEqualTo(first.jsonPath().getString("secret"));
        // And A's key still replays A's answer, B's B's.
        Response replayed = createWebhook(a, key, webhook("a"));
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.asString()).isEqualTo(first.asString());
        Response replayedToB = createWebhook(b, key, webhook("a"));
        assertThat(replayedToB.asString()).isEqualTo(other.asString());
    }

    @Test
    void malformedKeysAreInvalidParameters() {
        CreatedTenant tenant = newTenant();
        for (String key : List.of("", "k".repeat(256), "tab\there")) {
            Response response = createWebhook(tenant, key, webhook("a"));
            assertThat(response.statusCode()).as("key %s", key).isEqualTo(400);
            assertThat(response.jsonPath().getString("code")).isEqualTo("invalid_parameter");
            assertThat(response.jsonPath().getString("field")).isEqualTo(HEADER);
        }
        assertThat(as(tenant.apiKey()).get("/v1/webhooks").jsonPath().getList("data"))
                .isEmpty();
        assertThat(createWebhook(tenant, "k".repeat(255), webhook("a")).statusCode())
                .isEqualTo(201);
    }

    @Test
    void aClientErrorIsKeptAndAServerErrorIsNot() {
        CreatedTenant tenant = newTenant();
        String key = UUID.randomUUID().toString();
        Map<String, Object> bad = Map.of("url", "ftp://hooks.example.com/", "events", List.of("*"));
        Response refused = createWebhook(tenant, key, bad);
        assertThat(refused.statusCode()).isBetween(400, 499);
        Response again = createWebhook(tenant, key, bad);
        assertThat(again.statusCode()).isEqualTo(refused.statusCode());
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.jsonPath().getString("code"))
                .isEqualTo(refused.jsonPath().getString("code"));

        // The upstream drops the connection: the link answers 5xx, the key is given back and a retry runs again.
        String token = goodToken();
        FakeScimUpstream.get().drop(token);
        String linkKey = UUID.randomUUID().toString();
        Map<String, Object> link = Map.of(
                "origin_owner_id",
                "owner-5xx",
                "origin_owner_name",
                "Owner",
                "provider",
                FakeScimConnectorFactory.ID,
                "credentials",
                credentials(token));
        Response failed = as(tenant.apiKey()).header(HEADER, linkKey).body(link).post("/v1/accounts");
        assertThat(failed.statusCode()).isGreaterThanOrEqualTo(500);
        FakeScimUpstream.get().heal(token);
        Response retried =
                as(tenant.apiKey()).header(HEADER, linkKey).body(link).post("/v1/accounts");
        assertThat(retried.statusCode()).isEqualTo(201);
        assertThat(retried.header("Idempotent-Replayed")).isNull();
    }

    @Test
    void aSecondRequestWhileTheFirstRunsIsAConflict() throws Exception {
        CreatedTenant tenant = newTenant();
        String token = goodToken();
        FakeScimUpstream.Gate gate = FakeScimUpstream.Gate.closed();
        FakeScimUpstream.get().hold(token, gate);
        String key = UUID.randomUUID().toString();
        Map<String, Object> link = Map.of(
                "origin_owner_id",
                "owner-gate",
                "origin_owner_name",
                "Owner",
                "provider",
                FakeScimConnectorFactory.ID,
                "credentials",
                credentials(token));
        CompletableFuture<Response> first = CompletableFuture.supplyAsync(
                () -> as(tenant.apiKey()).header(HEADER, key).body(link).post("/v1/accounts"));
        try {
            assertThat(gate.arrived().await(30, TimeUnit.SECONDS)).isTrue();
            Response second = as(tenant.apiKey()).header(HEADER, key).body(link).post("/v1/accounts");
            assertThat(second.statusCode()).isEqualTo(409);
            assertThat(second.jsonPath().getString("code")).isEqualTo("idempotency_key_in_use");
            assertThat(second.header("Retry-After")).isEqualTo("1");
        } finally {
            gate.open().countDown();
        }
        Response answered = first.get(30, TimeUnit.SECONDS);
        assertThat(answered.statusCode()).isEqualTo(201);
        Response replayed = as(tenant.apiKey()).header(HEADER, key).body(link).post("/v1/accounts");
        assertThat(replayed.statusCode()).isEqualTo(201);
        assertThat(replayed.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replayed.asString()).isEqualTo(answered.asString());
    }

    @Test
    void noSecretOfAKeptAnswerIsStoredInClear() {
        CreatedTenant tenant = newTenant();
        Response webhook = createWebhook(tenant, UUID.randomUUID().toString(), webhook("s"));
        Response session = as(tenant.apiKey())
                .header(HEADER, UUID.randomUUID().toString())
                .body(Map.of("origin_owner_id", "o", "origin_owner_name", "n"))
                .post("/v1/connect/sessions");
        Response apiKey = operator()
                .header(HEADER, UUID.randomUUID().toString())
                .body(Map.of("name", "kept"))
                .post("/v1/tenants/" + tenant.id() + "/api-keys");
        List<String> secrets = List.of(
                webhook.jsonPath().getString("secret"),
                session.jsonPath().getString("token"),
                apiKey.jsonPath().getString("key"));
        assertThat(secrets).doesNotContainNull();

        // PostgreSQL holds who sent which key for which request, as digests: nothing of the answers.
        List<Map<String, String>> keys = Sql.rows(
                dataSource,
                "select * from idempotency_key where caller = ? or owner = ?",
                "tenant:" + tenant.id(),
                IdempotencyStore.OPERATORS);
        assertThat(keys).hasSizeGreaterThanOrEqualTo(3);
        String stored = String.valueOf(keys);
        for (String secret : secrets) {
            assertThat(stored).doesNotContain(secret);
        }
        // The answers are in the credential store (the test's double here; AES-GCM or Vault in service).
        List<String> kept = keys.stream()
                .map(row -> credentials.get(Namespace.IDEMPOTENCY, row.get("owner"), row.get("id")))
                .flatMap(Optional::stream)
                .map(values -> new String(Base64.getDecoder().decode(values.get("body")), StandardCharsets.UTF_8))
                .toList();
        for (String secret : secrets) {
            assertThat(kept).anySatisfy(body -> assertThat(body).contains(secret));
        }
    }

    @Test
    void expiredKeysArePurgedWithTheirAnswersAndMayBeUsedAnew() {
        CreatedTenant tenant = newTenant();
        String key = UUID.randomUUID().toString();
        Response first = createWebhook(tenant, key, webhook("p"));
        String id = Sql.rows(dataSource, "select id from idempotency_key where caller = ?", "tenant:" + tenant.id())
                .get(0)
                .get("id");
        assertThat(credentials.get(Namespace.IDEMPOTENCY, tenant.id(), id)).isPresent();
        assertThat(store.purge(Instant.now())).as("nothing expired yet").isZero();

        assertThat(store.purge(Instant.now().plus(Duration.ofHours(24)).plusSeconds(60)))
                .isGreaterThanOrEqualTo(1);
        assertThat(Sql.rows(dataSource, "select id from idempotency_key where id = ?", id))
                .isEmpty();
        assertThat(credentials.get(Namespace.IDEMPOTENCY, tenant.id(), id)).isEmpty();

        Response anew = createWebhook(tenant, key, webhook("p"));
        assertThat(anew.statusCode()).isEqualTo(201);
        assertThat(anew.header("Idempotent-Replayed")).isNull();
        assertThat(anew.jsonPath().getString("id"))
                .isNotEqualTo(first.jsonPath().getString("id"));
    }

    @Test
    void theDocumentDescribesTheHeaderOnEachMarkedOperation() {
        io.restassured.path.json.JsonPath document =
                io.restassured.RestAssured.given().get("/q/openapi?format=json").jsonPath();
        Map<String, Map<String, Object>> paths = document.getMap("paths");
        List<String> documented = new java.util.ArrayList<>();
        paths.values()
                .forEach(item -> item.values().forEach(value -> {
                    if (value instanceof Map<?, ?> operation
                            && operation.get("operationId") instanceof String id
                            && IdempotencyDocs.OPERATIONS.contains(id)) {
                        documented.add(id);
                        assertThat(String.valueOf(operation.get("parameters")))
                                .contains("name=Idempotency-Key")
                                .contains("in=header");
                        assertThat(String.valueOf(((Map<?, ?>) operation.get("responses")).keySet()))
                                .contains("409")
                                .contains("422");
                    }
                }));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(IdempotencyDocs.OPERATIONS);
    }
}
