package dev.keyline.platform.webhook;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.startSync;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.webhook.Receiver.Received;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook API's share of the contract: Location headers that resolve, paging by cursor, parameter problems, and
 * the document's 3.1 {@code webhooks} section held against the event catalogue and against payloads really sent.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class WebhookContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void theLocationsOfANewSubscriptionAndOfQueuedDeliveriesResolve() {
        CreatedTenant tenant = newTenant();
        ExtractableResponse<Response> created = as(tenant.apiKey())
                .body(Map.of("url", "http://127.0.0.1:9/located", "events", List.of("*")))
                .post("/v1/webhooks")
                .then()
                .statusCode(201)
                .extract();
        String id = created.path("id");
        String location = created.header("Location");
        assertThat(URI.create(location).getPath()).isEqualTo("/v1/webhooks/" + id);
        as(tenant.apiKey()).get(location).then().statusCode(200).body("id", equalTo(id));

        ExtractableResponse<Response> test = as(tenant.apiKey())
                .post("/v1/webhooks/{id}/test", id)
                .then()
                .statusCode(202)
                .extract();
        String delivery = test.path("id");
        assertThat(URI.create(test.header("Location")).getPath())
                .isEqualTo("/v1/webhooks/" + id + "/deliveries/" + delivery);
        as(tenant.apiKey()).get(test.header("Location")).then().statusCode(200).body("id", equalTo(delivery));

        ExtractableResponse<Response> again = as(tenant.apiKey())
                .post("/v1/webhooks/{id}/deliveries/{d}/redeliver", id, delivery)
                .then()
                .statusCode(202)
                .extract();
        as(tenant.apiKey())
                .get(again.header("Location"))
                .then()
                .statusCode(200)
                .body("id", equalTo(again.path("id")))
                .body("redelivery_of", equalTo(delivery));

        // Another tenant's subscription is not found, and a deletion answers 204 with nothing in the body.
        as(newTenant().apiKey()).get(location).then().statusCode(404);
        as(tenant.apiKey()).delete(location).then().statusCode(204).body(emptyString());
        as(tenant.apiKey()).get(location).then().statusCode(404);
    }

    @Test
    void deliveriesArePagedNewestFirstByCursorAndBadParametersNameThemselves() {
        CreatedTenant tenant = newTenant();
        String id = as(tenant.apiKey())
                .body(Map.of("url", "http://127.0.0.1:9/paged", "events", List.of("*")))
                .post("/v1/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        List<String> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(as(tenant.apiKey())
                    .post("/v1/webhooks/{id}/test", id)
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id"));
        }
        var first = as(tenant.apiKey())
                .get("/v1/webhooks/{id}/deliveries?page_size=2", id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(first.getList("data.id", String.class)).containsExactly(queued.get(2), queued.get(1));
        as(tenant.apiKey())
                .queryParam("page_size", 2)
                .queryParam("cursor", first.getString("next"))
                .get("/v1/webhooks/{id}/deliveries", id)
                .then()
                .statusCode(200)
                .body("data.id", equalTo(List.of(queued.get(0))))
                .body("$", hasKey("next"))
                .body("next", nullValue());

        for (String bad : List.of("state=sent", "page_size=0", "page_size=201", "page_size=two")) {
            as(tenant.apiKey())
                    .get("/v1/webhooks/" + id + "/deliveries?" + bad)
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("invalid_parameter"))
                    .body("field", equalTo(bad.substring(0, bad.indexOf('='))));
        }
        as(tenant.apiKey())
                .get("/v1/webhooks/{id}/deliveries?cursor=!!!", id)
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_cursor"));
    }

    @Test
    void everyEventTypeIsDocumentedAsAStandardWebhooksPost() {
        JsonNode document = document();
        Set<String> expected = new TreeSet<>(EventTypes.CATALOGUE);
        expected.add(EventTypes.TEST);
        Set<String> documented = new TreeSet<>();
        document.path("webhooks").fieldNames().forEachRemaining(documented::add);
        assertThat(documented).isEqualTo(expected);

        for (String type : expected) {
            JsonNode post = document.path("webhooks").path(type).path("post");
            Set<String> headers = new TreeSet<>();
            post.path("parameters").forEach(p -> {
                assertThat(p.path("in").asText()).isEqualTo("header");
                assertThat(p.path("required").asBoolean()).as(type + " " + p).isTrue();
                headers.add(p.path("name").asText());
            });
            assertThat(headers).as(type).containsExactly("webhook-id", "webhook-signature", "webhook-timestamp");
            assertThat(post.path("responses").has("2XX")).as(type).isTrue();
            JsonNode envelope = resolve(
                    document,
                    post.path("requestBody")
                            .path("content")
                            .path("application/json")
                            .path("schema"));
            assertThat(JSON.convertValue(envelope.path("required"), List.class))
                    .as(type)
                    .contains("id", "type", "timestamp", "tenant_id", "data");
            assertThat(envelope.path("properties").path("type").path("enum").toString())
                    .isEqualTo("[\"" + type + "\"]");
        }
        // The delivery log's event_type lists the same names.
        Set<String> logged = new TreeSet<>();
        resolve(document, JSON.createObjectNode().put("$ref", "#/components/schemas/DeliveryView"))
                .path("properties")
                .path("event_type")
                .path("enum")
                .forEach(n -> logged.add(n.asText()));
        assertThat(logged).isEqualTo(expected);
    }

    @Test
    void eventsReallySentMatchTheirDocumentedSchemas() throws Exception {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(2)
                .groups(1)
                .membershipsPerUser(1)
                .urlForms(UrlForm.BRIDGE)
                .token("webhook-contract-token-0123456789")
                .start();
        closing.add(upstream::close);
        Receiver receiver = new Receiver();
        closing.add(receiver);
        CreatedTenant tenant = newTenant();
        String id = as(tenant.apiKey())
                .body(Map.of("url", receiver.url(), "events", List.of("*")))
                .post("/v1/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");

        String account = linkOnePassword(tenant, "org-contract-" + upstream.port(), upstream);
        awaitSync(tenant, account, startSync(tenant, account));
        as(tenant.apiKey()).post("/v1/webhooks/{id}/test", id).then().statusCode(202);
        Set<String> wanted =
                Set.of("account.linked", "iam.user.created", "iam.group.created", "sync.completed", "webhook.test");
        receiver.await(1, r -> type(r).equals("webhook.test"));
        receiver.await(1, r -> type(r).equals("sync.completed"));

        JsonNode document = document();
        Set<String> seen = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        for (Received r : receiver.received()) {
            String type = type(r);
            seen.add(type);
            JsonNode schema = resolve(
                    document,
                    document.path("webhooks")
                            .path(type)
                            .path("post")
                            .path("requestBody")
                            .path("content")
                            .path("application/json")
                            .path("schema"));
            check(document, schema, JSON.readTree(r.body()), type, failures);
        }
        assertThat(seen).containsAll(wanted);
        assertThat(failures)
                .as("payloads that differ from the webhooks section")
                .isEmpty();
    }

    private static String type(Received r) {
        try {
            return JSON.readTree(r.body()).path("type").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode document() {
        try {
            return JSON.readTree(given().get("/q/openapi?format=json")
                    .then()
                    .statusCode(200)
                    .extract()
                    .asString());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        JsonNode current = schema;
        while (current.has("$ref")) {
            String ref = current.path("$ref").asText();
            assertThat(ref).startsWith("#/components/schemas/");
            current = document.path("components").path("schemas").path(ref.substring(ref.lastIndexOf('/') + 1));
            assertThat(current.isMissingNode()).as(ref).isFalse();
        }
        return current;
    }

    /** Types, enums, required properties and no undocumented ones, through nested objects and arrays. */
    private static void check(JsonNode document, JsonNode schema, JsonNode value, String at, List<String> failures) {
        schema = resolve(document, schema);
        List<String> types = new ArrayList<>();
        if (schema.path("type").isArray()) {
            schema.path("type").forEach(t -> types.add(t.asText()));
        } else if (schema.has("type")) {
            types.add(schema.path("type").asText());
        }
        String actual = value.isNull()
                ? "null"
                : value.isObject()
                        ? "object"
                        : value.isArray()
                                ? "array"
                                : value.isBoolean() ? "boolean" : value.isIntegralNumber() ? "integer" : "string";
        if (!types.isEmpty() && !types.contains(actual)) {
            failures.add(at + ": " + actual + ", documented " + types);
            return;
        }
        if (schema.has("enum") && !value.isNull()) {
            boolean listed = false;
            for (JsonNode e : schema.path("enum")) {
                listed |= e.equals(value);
            }
            if (!listed) {
                failures.add(at + ": " + value + " is not one of " + schema.path("enum"));
            }
        }
        if (value.isObject()) {
            schema.path("required").forEach(r -> {
                if (!value.has(r.asText())) {
                    failures.add(at + ": required " + r.asText() + " is missing");
                }
            });
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode property = schema.path("properties").path(field.getKey());
                if (property.isMissingNode()) {
                    failures.add(at + ": " + field.getKey() + " is not documented");
                } else {
                    check(document, property, field.getValue(), at + "." + field.getKey(), failures);
                }
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (JsonNode item : value) {
                check(document, schema.path("items"), item, at + "[]", failures);
            }
        }
    }
}
