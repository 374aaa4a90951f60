package dev.keyline.platform.hardening;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.startSync;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.platform.hardening.ApiOperations.Operation;
import dev.keyline.platform.hardening.ApiOperations.Param;
import dev.keyline.platform.problem.SecretShapes;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document against the running service, so it cannot drift: every operation it lists is called for
 * real (a success path, from a recipe below), and the answer's status must be one the operation documents, its
 * content type one documented for that status, and its body valid against the documented schema (types,
 * properties, required ones, no undocumented properties, nested through {@code $ref}s, arrays and maps). Every
 * operation that documents 401 is also called without credentials and must answer 401.
 *
 * <p>Nulls: the generated document does not mark nullable properties, and the API writes unknown values as
 * {@code null} (DESIGN: "unknown is null, never a guess"), so {@code null} is accepted for any property not listed
 * as required.
 *
 * <p>To cover a new operation, add a request body to {@link #BODIES} (POST, PUT, PATCH) or a whole recipe to
 * {@link #RECIPES} when the default (ids of the fixture, the caller picked by path) does not fit.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class OpenApiContractTest {

    /** What the recipes work on: one tenant with a synced account, a webhook with a delivery, a connect session. */
    record Fixture(
            CreatedTenant tenant,
            ScimUpstream upstream,
            String account,
            String run,
            String user,
            String group,
            String webhook,
            String delivery,
            String sessionToken,
            String sessionId) {}

    /** One real call: the request (credentials, headers, body set) and the concrete path. */
    record Call(RequestSpecification request, String path) {}

    /** Request bodies for operations that take one, keyed like {@link Operation#toString()}. */
    static final Map<String, Function<Fixture, Object>> BODIES = Map.ofEntries(
            Map.entry(
                    "POST /v1/accounts",
                    f -> Map.of(
                            "origin_owner_id",
                            "contract-" + UUID.randomUUID(),
                            "origin_owner_name",
                            "Contract",
                            "provider",
                            "onepassword",
                            "credentials",
                            Map.of(
                                    "scim_url",
                                    f.upstream().bridgeBaseUrl(),
                                    "bearer_token",
                                    f.upstream().token()))),
            Map.entry("PATCH /v1/accounts/{id}", f -> Map.of("origin_owner_name", "Renamed")),
            Map.entry("PUT /v1/accounts/{id}/sync-schedule", f -> Map.of("interval_seconds", 3600)),
            Map.entry("POST /v1/accounts/{id}/syncs", f -> Map.of()),
            Map.entry("POST /v1/connect/sessions", f -> Map.of("origin_owner_id", "o-1", "origin_owner_name", "Owner")),
            Map.entry(
                    "POST /v1/connect/session/link",
                    f -> Map.of(
                            "provider",
                            "onepassword",
                            "credentials",
                            Map.of(
                                    "scim_url",
                                    f.upstream().bridgeBaseUrl(),
                                    "bearer_token",
                                    f.upstream().token()))),
            Map.entry("PATCH /v1/tenant", f -> Map.of("name", "Renamed tenant")),
            Map.entry("POST /v1/tenants", f -> Map.of("name", "Contract tenant")),
            Map.entry("PATCH /v1/tenants/{id}", f -> Map.of("name", "Renamed by operator")),
            Map.entry(
                    "PUT /v1/tenants/{id}/egress",
                    f -> Map.of("allow_cidrs", List.of("10.20.0.0/16"), "allow_hosts", List.of("scim.corp.example"))),
            Map.entry("POST /v1/tenants/{id}/api-keys", f -> Map.of("name", "contract key")),
            Map.entry("POST /v1/webhooks", f -> Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("*"))),
            Map.entry("PATCH /v1/webhooks/{id}", f -> Map.of("description", "contract")));

    /**
     * Whole recipes where the default does not fit: deletions act on something made for them, and a connect
     * session is single use.
     */
    static final Map<String, Function<Fixture, Call>> RECIPES = Map.of(
            "DELETE /v1/accounts/{id}",
            f -> new Call(
                    tenant(f), "/accounts/" + linkOnePassword(f.tenant(), "doomed-" + UUID.randomUUID(), f.upstream())),
            "DELETE /v1/tenants/{id}",
            f -> new Call(operator(), "/tenants/" + newTenant().id()),
            "DELETE /v1/tenants/{id}/api-keys/{keyId}",
            f -> {
                String key = operator()
                        .body(Map.of("name", "doomed"))
                        .post("/tenants/" + f.tenant().id() + "/api-keys")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id");
                return new Call(operator(), "/tenants/" + f.tenant().id() + "/api-keys/" + key);
            },
            "DELETE /v1/webhooks/{id}",
            f -> new Call(tenant(f), "/webhooks/" + webhook(f.tenant())),
            "POST /v1/connect/session/link",
            f -> new Call(
                    given().header("Authorization", "Bearer " + session(f.tenant())[0])
                            .contentType(ContentType.JSON)
                            .body(BODIES.get("POST /v1/connect/session/link").apply(f)),
                    "/connect/session/link"));

    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stop() {
        upstreams.forEach(ScimUpstream::close);
    }

    @Test
    void everyOperationAnswersAsDocumented() {
        ApiOperations api = ApiOperations.fetch();
        Fixture fixture = fixture();
        List<String> failures = new ArrayList<>();
        Set<String> covered = new TreeSet<>();
        for (Operation op : api.api()) {
            Call call = call(op, fixture);
            Response response = call.request().request(op.method(), call.path());
            covered.add(op.toString());
            check(api, op, response, failures);
        }
        Set<String> stale = new TreeSet<>(BODIES.keySet());
        stale.addAll(RECIPES.keySet());
        stale.removeAll(covered);
        assertThat(stale)
                .as("recipes for operations the document no longer lists")
                .isEmpty();
        assertThat(failures).as("answers that differ from the OpenAPI document").isEmpty();
        System.out.printf("openapi contract: %d operations called, %d as documented%n", covered.size(), covered.size());
    }

    @Test
    void everyOperationDocumenting401AnswersItWithoutCredentials() {
        ApiOperations api = ApiOperations.fetch();
        List<String> failures = new ArrayList<>();
        int tried = 0;
        for (Operation op : api.api()) {
            if (!op.responses().has("401")) {
                continue;
            }
            tried++;
            String path = op.path().replaceAll("\\{[^}]+}", "x");
            RequestSpecification request = given().contentType(ContentType.JSON);
            if (op.bodySchema() != null) {
                request.body("{}");
            }
            Response response = request.request(op.method(), path);
            if (response.statusCode() != 401) {
                failures.add(op + ": documents 401, but without credentials answered " + response.statusCode());
            }
        }
        assertThat(tried).as("secured operations").isGreaterThan(20);
        assertThat(failures).isEmpty();
    }

    private Fixture fixture() {
        CreatedTenant tenant = newTenant();
        ScimUpstream upstream = ScimUpstream.builder()
                .users(5)
                .groups(2)
                .membershipsPerUser(1)
                .seed(17)
                .urlForms(UrlForm.BRIDGE)
                .token("contract-" + UUID.randomUUID())
                .start();
        upstreams.add(upstream);
        String account = linkOnePassword(tenant, "contract-owner", upstream);
        String run = startSync(tenant, account);
        awaitSync(tenant, account, run);
        String user = as(tenant.apiKey())
                .header("x-account-id", account)
                .get("/iam/users")
                .then()
                .statusCode(200)
                .extract()
                .path("data[0].id");
        String group = as(tenant.apiKey())
                .header("x-account-id", account)
                .get("/iam/groups")
                .then()
                .statusCode(200)
                .extract()
                .path("data[0].id");
        String webhook = webhook(tenant);
        String delivery = as(tenant.apiKey())
                .post("/webhooks/" + webhook + "/test")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String[] session = session(tenant);
        return new Fixture(tenant, upstream, account, run, user, group, webhook, delivery, session[0], session[1]);
    }

    /** The default recipe: the caller picked by path, ids from the fixture, the body from {@link #BODIES}. */
    private static Call call(Operation op, Fixture f) {
        Function<Fixture, Call> recipe = RECIPES.get(op.toString());
        if (recipe != null) {
            return recipe.apply(f);
        }
        RequestSpecification request;
        // Recipes and ids are keyed by the path below the version; the aliases without it are not documented.
        String unversioned = op.path().replaceFirst("^/v1(?=/)", "");
        if (unversioned.equals("/connect/session")) {
            request = given().header("Authorization", "Bearer " + f.sessionToken());
        } else if (unversioned.startsWith("/connect/ui/")) {
            request = given();
        } else if (unversioned.startsWith("/tenants")) {
            request = operator();
        } else {
            request = tenant(f);
        }
        if (op.hasHeader("x-account-id")) {
            request.header("x-account-id", f.account());
        }
        if (op.bodySchema() != null) {
            Function<Fixture, Object> body = BODIES.get(op.toString());
            if (body == null) {
                throw new AssertionError(op + " takes a request body and OpenApiContractTest.BODIES has none for it:"
                        + " add a valid one so the operation is called for real.");
            }
            request.contentType(ContentType.JSON).body(body.apply(f));
        }
        String path = op.path();
        for (Param p : op.in("path")) {
            path = path.replace("{" + p.name() + "}", id(unversioned, p.name(), f));
        }
        return new Call(request, path);
    }

    private static String id(String path, String name, Fixture f) {
        return switch (name) {
            case "delivery_id" -> f.delivery();
            case "run_id" -> f.run();
            case "keyId" -> f.tenant().apiKeyId();
            case "sessionId" -> f.sessionId();
            default -> {
                if (path.startsWith("/accounts/")) {
                    yield f.account();
                } else if (path.startsWith("/tenants/")) {
                    yield f.tenant().id();
                } else if (path.startsWith("/webhooks/")) {
                    yield f.webhook();
                } else if (path.startsWith("/iam/users/")) {
                    yield f.user();
                } else if (path.startsWith("/iam/groups/")) {
                    yield f.group();
                } else if (path.startsWith("/connectors/")) {
                    yield "onepassword";
                }
                throw new AssertionError("no fixture id for {" + name + "} in " + path
                        + ": teach OpenApiContractTest.id(...) or add a recipe to RECIPES");
            }
        };
    }

    private static void check(ApiOperations api, Operation op, Response response, List<String> failures) {
        String status = String.valueOf(response.statusCode());
        JsonNode documented = op.responses().has(status)
                ? op.responses().get(status)
                : op.responses().get("default");
        String answer = op + " answered " + status;
        if (documented == null) {
            failures.add(answer + ", which it does not document (documented: " + names(op.responses()) + "); body: "
                    + truncate(response.asString()));
            return;
        }
        documented = api.resolve(documented);
        String body = response.asString();
        JsonNode content = documented.path("content");
        if (!content.isObject() || content.isEmpty()) {
            if (!body.isEmpty()) {
                failures.add(answer + " with a body, but documents " + status + " without content");
            }
            return;
        }
        String type = response.contentType() == null
                ? ""
                : response.contentType().split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!content.has(type)) {
            failures.add(answer + " as " + type + ", but documents " + status + " as " + names(content));
            return;
        }
        if (!type.endsWith("json")) {
            return;
        }
        JsonNode schema = content.get(type).path("schema");
        if (schema.isMissingNode() || schema.isEmpty()) {
            failures.add(answer + ": " + status + " " + type + " is documented without a schema");
            return;
        }
        JsonNode json;
        try {
            json = ApiOperations.JSON.readTree(body);
        } catch (java.io.IOException e) {
            failures.add(answer + " with a body that is not JSON: " + truncate(body));
            return;
        }
        List<String> errors = new ArrayList<>();
        validate(api, json, schema, "$", errors);
        errors.forEach(e -> failures.add(answer + ": " + e));
    }

    /** A JSON value against a (subset of) JSON Schema as OpenAPI 3.1 uses it; each mismatch names its location. */
    static void validate(ApiOperations api, JsonNode value, JsonNode schemaNode, String where, List<String> errors) {
        JsonNode schema = api.resolve(schemaNode);
        if (schema.has("allOf")) {
            schema.get("allOf").forEach(s -> validate(api, value, s, where, errors));
        }
        for (String alternatives : List.of("oneOf", "anyOf")) {
            if (schema.has(alternatives)) {
                boolean any = false;
                for (JsonNode s : schema.get(alternatives)) {
                    List<String> attempt = new ArrayList<>();
                    validate(api, value, s, where, attempt);
                    any |= attempt.isEmpty();
                }
                if (!any) {
                    errors.add(where + " matches none of the " + alternatives + " schemas");
                }
            }
        }
        if (value.isNull()) {
            return;
        }
        List<String> types = new ArrayList<>();
        if (schema.path("type").isArray()) {
            schema.get("type").forEach(t -> types.add(t.asText()));
        } else if (schema.path("type").isTextual()) {
            types.add(schema.get("type").asText());
        }
        if (!types.isEmpty() && types.stream().noneMatch(t -> is(value, t))) {
            errors.add(where + " is " + kind(value) + ", documented as " + String.join("|", types));
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode e : schema.get("enum")) {
                listed |= e.equals(value);
            }
            if (!listed) {
                errors.add(where + " is " + value + ", not one of the documented " + schema.get("enum"));
            }
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            for (JsonNode required : schema.path("required")) {
                if (!value.has(required.asText())
                        || value.get(required.asText()).isNull()) {
                    errors.add(where + "." + required.asText() + " is required but missing");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String at = where + "." + field.getKey();
                if (properties.has(field.getKey())) {
                    validate(api, field.getValue(), properties.get(field.getKey()), at, errors);
                } else if (additional.isObject()) {
                    validate(api, field.getValue(), additional, at, errors);
                } else if (properties.isObject() && !additional.asBoolean(false)) {
                    errors.add(at + " is not documented (documented: " + names(properties) + ")");
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < Math.min(value.size(), 50); i++) {
                validate(api, value.get(i), schema.get("items"), where + "[" + i + "]", errors);
            }
        }
    }

    private static boolean is(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> true;
        };
    }

    private static String kind(JsonNode value) {
        return value.getNodeType().name().toLowerCase(Locale.ROOT) + " " + truncate(value.toString());
    }

    private static String names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }

    /** Short, and with secrets masked: a failing answer may hold a fresh API key or session token. */
    private static String truncate(String text) {
        String safe = SecretShapes.redact(text);
        return safe.length() <= 300 ? safe : safe.substring(0, 300) + "…";
    }

    private static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + TestAuthResource.OPERATOR_KEY)
                .contentType(ContentType.JSON);
    }

    private static RequestSpecification tenant(Fixture f) {
        return as(f.tenant().apiKey());
    }

    private static String webhook(CreatedTenant tenant) {
        return as(tenant.apiKey())
                .body(Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("*")))
                .post("/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** A fresh connect session: its token and its id (the last segment of its connect URL). */
    private static String[] session(CreatedTenant tenant) {
        var created = as(tenant.apiKey())
                .body(Map.of("origin_owner_id", "owner-" + UUID.randomUUID(), "origin_owner_name", "Owner"))
                .post("/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String url = created.getString("connect_url");
        return new String[] {created.getString("token"), url.substring(url.lastIndexOf('/') + 1)};
    }
}
