package dev.keyline.platform.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the OpenAPI document says of the /iam and per-account sync operations, which a generated client is built
 * from: typed and bounded parameters, the account header on every /iam call, an optional start body, required and
 * nullable response properties, enums, and the snapshot's two formats and headers. The answers themselves are
 * checked against the document by {@code hardening.OpenApiContractTest}.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class SyncDocumentTest {
    private static final List<String> IAM =
            List.of("/v1/iam/users", "/v1/iam/users/{id}", "/v1/iam/groups", "/v1/iam/groups/{id}");
    private static final String ACCOUNT = "/v1/accounts/{id}";

    private JsonNode document;

    @BeforeEach
    void fetch() throws Exception {
        String json = given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        document = new ObjectMapper().readTree(json);
    }

    @Test
    void everyIamOperationRequiresTheAccountHeader() {
        for (String path : IAM) {
            JsonNode header = parameter(path, "get", "x-account-id");
            assertThat(header.path("in").asText()).as(path).isEqualTo("header");
            assertThat(header.path("required").asBoolean()).as(path).isTrue();
        }
    }

    @Test
    void listParametersAreTypedAndBounded() {
        Map<String, String> maxima = Map.of(
                "/v1/iam/users",
                "1000",
                "/v1/iam/groups",
                "1000",
                ACCOUNT + "/syncs",
                "100",
                ACCOUNT + "/changes",
                "1000");
        maxima.forEach((path, max) -> {
            JsonNode size = parameter(path, "get", "page_size").path("schema");
            assertThat(types(size)).as(path).containsExactly("integer");
            assertThat(size.path("minimum").asText()).as(path).isEqualTo("1");
            assertThat(size.path("maximum").asText()).as(path).isEqualTo(max);
            assertThat(size.has("default")).as(path).isTrue();
            assertThat(parameter(path, "get", "cursor")
                            .path("schema")
                            .path("type")
                            .asText())
                    .as(path)
                    .isEqualTo("string");
            String page = schemaName(operation(path, "get").path("responses").path("200"), "application/json");
            JsonNode schema = schema(page);
            assertThat(strings(schema.path("required"))).as(page).contains("data", "next");
            assertThat(types(schema.path("properties").path("next")))
                    .as(page)
                    .containsExactlyInAnyOrder("string", "null");
        });
        for (String path : List.of("/v1/iam/users", "/v1/iam/groups")) {
            String page = schemaName(operation(path, "get").path("responses").path("200"), "application/json");
            assertThat(strings(schema(page).path("required"))).as(page).contains("meta");
        }
        for (String path : IAM) {
            assertThat(enumeration(parameter(path, "get", "mode").path("schema")))
                    .containsExactly("live", "synced");
            assertThat(types(parameter(path, "get", "raw").path("schema"))).containsExactly("boolean");
        }
        assertThat(enumeration(parameter("/v1/iam/users", "get", "status").path("schema")))
                .containsExactly("enabled", "disabled", "pending", "unmapped_value");
        assertThat(parameter("/v1/iam/users", "get", "updated_after")
                        .path("schema")
                        .path("format")
                        .asText())
                .isEqualTo("date-time");
        assertThat(types(parameter(ACCOUNT + "/changes", "get", "since").path("schema")))
                .containsExactly("integer");
    }

    @Test
    void aSyncIsStartedWithAnOptionalJsonBodyAndAnswersWithItsLocation() {
        JsonNode start = operation(ACCOUNT + "/syncs", "post");
        JsonNode body = start.path("requestBody");
        assertThat(body.path("required").asBoolean(false)).isFalse();
        assertThat(body.path("content").fieldNames()).toIterable().containsExactly("application/json");
        JsonNode request = schema(schemaName(start.path("requestBody"), "application/json"));
        assertThat(types(request.path("properties").path("confirm_deletions"))).contains("boolean");
        for (String status : List.of("200", "202")) {
            JsonNode answer = start.path("responses").path(status);
            assertThat(answer.path("headers").has("Location")).as(status).isTrue();
            assertThat(schemaName(answer, "application/json")).as(status).isEqualTo("SyncRunView");
        }
        assertThat(start.path("responses").has("409")).isTrue();
        assertThat(operation(ACCOUNT + "/syncs/{run_id}", "get")
                        .path("operationId")
                        .asText())
                .isEqualTo("getSync");
    }

    @Test
    void theSnapshotIsDocumentedInBothFormatsWithItsHeaders() {
        JsonNode snapshot = operation(ACCOUNT + "/snapshot", "get");
        JsonNode ok = snapshot.path("responses").path("200");
        assertThat(ok.path("content").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrder("application/json", "text/csv");
        assertThat(schemaName(ok, "application/json")).isEqualTo("SnapshotView");
        assertThat(ok.path("headers").fieldNames())
                .toIterable()
                .contains(SnapshotResource.SYNCED_AT_HEADER, "Content-Disposition");
        assertThat(enumeration(parameter(ACCOUNT + "/snapshot", "get", "format").path("schema")))
                .containsExactly("json", "csv");
        assertThat(snapshot.path("responses").has("409")).isTrue();
    }

    @Test
    void responsePropertiesSayWhichAreRequiredNullableAndEnumerated() {
        JsonNode run = schema("SyncRunView");
        assertThat(strings(run.path("required"))).contains("id", "state", "trigger", "started_at", "error");
        assertThat(types(run.path("properties").path("started_at"))).containsExactlyInAnyOrder("string", "null");
        // Instants are plain date-time strings, not a reference mixed with a type that some generators misread.
        for (String instant : List.of("created_at", "started_at")) {
            assertThat(run.path("properties").path(instant).path("format").asText())
                    .isEqualTo("date-time");
            assertThat(run.path("properties").path(instant).has("anyOf")).isFalse();
        }
        assertThat(enumeration(run.path("properties").path("state")))
                .containsExactly("queued", "running", "succeeded", "failed");
        assertThat(enumeration(run.path("properties").path("trigger")))
                .containsExactly("initial", "manual", "scheduled");
        JsonNode change = schema("ChangeView");
        assertThat(enumeration(change.path("properties").path("change")))
                .containsExactly("created", "updated", "deleted", "reappeared");
        assertThat(enumeration(change.path("properties").path("type"))).containsExactly("user", "group", "role");
        JsonNode user = schema("UserDto");
        assertThat(strings(user.path("required")))
                .contains("id", "status", "deleted_at")
                .doesNotContain("raw");
        assertThat(types(user.path("properties").path("deleted_at"))).containsExactlyInAnyOrder("string", "null");
        assertThat(enumeration(schema("StatusDto").path("properties").path("value")))
                .containsExactly("enabled", "disabled", "pending", "unmapped_value");
        assertThat(strings(schema("GroupDto").path("required"))).contains("members", "description");
        assertThat(strings(schema("ScheduleView").path("required"))).contains("interval_seconds", "next_due_at");
    }

    private JsonNode operation(String path, String method) {
        JsonNode op = document.path("paths").path(path).path(method);
        assertThat(op.isMissingNode()).as(method + " " + path + " documented").isFalse();
        return op;
    }

    private JsonNode parameter(String path, String method, String name) {
        for (JsonNode p : operation(path, method).path("parameters")) {
            if (p.path("name").asText().equalsIgnoreCase(name)) {
                return p;
            }
        }
        throw new AssertionError(method + " " + path + " does not document parameter " + name);
    }

    private JsonNode schema(String name) {
        JsonNode schema = document.path("components").path("schemas").path(name);
        assertThat(schema.isMissingNode()).as("schema " + name).isFalse();
        return schema;
    }

    /** The name of the component a response or request body's content refers to. */
    private static String schemaName(JsonNode withContent, String mediaType) {
        String ref = withContent
                .path("content")
                .path(mediaType)
                .path("schema")
                .path("$ref")
                .asText();
        assertThat(ref).as("a $ref for " + mediaType).startsWith("#/components/schemas/");
        return ref.substring("#/components/schemas/".length());
    }

    /** A schema's types, whether written {@code type: x} or, for a nullable one in OpenAPI 3.1, a list. */
    private static List<String> types(JsonNode schema) {
        JsonNode type = schema.path("type");
        return type.isArray() ? strings(type) : List.of(type.asText());
    }

    private static List<String> enumeration(JsonNode schema) {
        return strings(schema.path("enum"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
