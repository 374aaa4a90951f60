package dev.keyline.platform.hardening;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.keyline.platform.hardening.ApiOperations.Operation;
import dev.keyline.platform.hardening.ApiOperations.Param;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Walks every operation in the service's own OpenAPI document as tenant A, aimed at tenant B's resources (B's
 * ids in the path, the {@code x-account-id} header and the body), and with connect-session tokens used where
 * they do not belong. Every such call must answer 403 or 404 and carry none of B's data; listings A may read
 * must not contain any of B's ids. Endpoints added later are covered without touching this test: their
 * path parameters are filled from ids harvested from B's own listings, or with a random id (which must 404
 * all the same).
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class TenantIsolationTest {
    private static final String ACCOUNT_HEADER = "x-account-id";
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}]+)}");
    private static final List<String> METHOD_ORDER = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    private final List<ScimUpstream> upstreams = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private int tried;

    @AfterEach
    void stop() {
        upstreams.forEach(ScimUpstream::close);
    }

    /** One tenant with a linked, synced account, a connect session, and the ids of everything it owns. */
    final class World {
        final String label;
        final CreatedTenant tenant;
        final String accountId;
        final String sessionToken;
        final String sessionId;
        final Map<String, Set<String>> ids = new LinkedHashMap<>();
        final Set<String> fingerprints = new LinkedHashSet<>();

        World(String label) {
            this.label = label;
            tenant = newTenant();
            ScimUpstream upstream = ScimUpstream.builder()
                    .users(6)
                    .groups(2)
                    .membershipsPerUser(1)
                    .seed(label.hashCode())
                    .urlForms(UrlForm.BRIDGE)
                    .token("isolation-" + label + "-" + UUID.randomUUID())
                    .start();
            upstreams.add(upstream);
            accountId = linkOnePassword(tenant, "owner-" + label + "-" + UUID.randomUUID(), upstream);
            String runId = as(tenant.apiKey())
                    .post("/accounts/" + accountId + "/syncs")
                    .then()
                    .statusCode(202)
                    .extract()
                    .path("id");
            awaitSync(runId);
            var session = as(tenant.apiKey())
                    .body(Map.of(
                            "origin_owner_id",
                            "session-owner-" + label + "-" + UUID.randomUUID(),
                            "origin_owner_name",
                            "Session owner " + label))
                    .post("/connect/sessions")
                    .then()
                    .statusCode(201)
                    .extract()
                    .jsonPath();
            sessionToken = session.getString("token");
            String url = session.getString("connect_url");
            sessionId = url.substring(url.lastIndexOf('/') + 1);
            add("tenants", tenant.id());
            add("api-keys", tenant.apiKeyId());
            add("accounts", accountId);
            add("syncs", runId);
            add("ui", sessionId);
            add("sessions", sessionId);
            // An OAuth app of the tenant's own, for the test-only provider with the authorization code kind: by its
            // path segment, and by the body member that names one (a session's auth_config_id).
            String clientSecret = "isolation-secret-" + label + "-" + UUID.randomUUID();
            String authConfigId = as(tenant.apiKey())
                    .body(Map.of(
                            "provider",
                            dev.keyline.platform.authconfig.AuthCodeConnectorFactory.ID,
                            "client_id",
                            "isolation-client-" + label,
                            "client_secret",
                            clientSecret))
                    .post("/v1/auth-configs")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            add("auth-configs", authConfigId);
            add("auth_configs", authConfigId);
            fingerprints.add(clientSecret);
            var tenantView =
                    as(tenant.apiKey()).get("/tenant").then().statusCode(200).extract();
            fingerprints.add(tenantView.path("name"));
            fingerprints.add(tenant.apiKey());
            fingerprints.add(sessionToken);
            fingerprints.add(upstream.token());
        }

        void add(String segment, String id) {
            if (id != null && !id.isBlank()) {
                ids.computeIfAbsent(segment, k -> new LinkedHashSet<>()).add(id);
                fingerprints.add(id);
            }
        }

        String idFor(String segment, String paramName) {
            Set<String> known = ids.get(segment);
            if (known != null && !known.isEmpty()) {
                return known.iterator().next();
            }
            String n = paramName.toLowerCase(Locale.ROOT).replace("_", "");
            if (n.startsWith("account")) {
                return accountId;
            }
            if (n.startsWith("tenant")) {
                return tenant.id();
            }
            return null;
        }

        private void awaitSync(String runId) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                List<Map<String, Object>> runs = as(tenant.apiKey())
                        .get("/accounts/" + accountId + "/syncs")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("data");
                if (runs.stream().anyMatch(r -> runId.equals(r.get("id")) && "succeeded".equals(r.get("state")))) {
                    return;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            throw new AssertionError("the sync of " + label + " did not succeed in time");
        }
    }

    @Test
    void noOperationLetsOneTenantReachAnothersData() {
        ApiOperations api = ApiOperations.fetch();
        document = api;
        List<Operation> operations = new ArrayList<>(api.api());
        operations.sort(Comparator.comparingInt((Operation o) -> METHOD_ORDER.indexOf(o.method()))
                .thenComparing(Operation::path));
        assertThat(operations).as("operations in the OpenAPI document").hasSizeGreaterThan(10);

        World a = new World("a");
        World b = new World("b");
        // B creates one of everything it can, and lists everything, so ids of endpoints this test does not know
        // by name (webhooks, snapshots, ...) are harvested too.
        createOwnResources(api, operations, b);
        harvest(operations, b);
        harvest(operations, b);
        harvest(operations, a);
        // Ids both tenants see (the connector catalogue) are nobody's own.
        for (var entry : b.ids.entrySet()) {
            Set<String> shared = a.ids.getOrDefault(entry.getKey(), Set.of());
            entry.getValue().removeIf(shared::contains);
        }
        b.fingerprints.removeIf(
                f -> f == null || f.length() < 8 || a.ids.values().stream().anyMatch(s -> s.contains(f)));
        assertThat(b.ids.keySet()).contains("users", "groups");

        int operationsChecked = 0;
        for (Operation op : operations) {
            if (isPublic(op, b)) {
                continue;
            }
            operationsChecked++;
            crossTenant(api, op, a, b);
            crossSessionToken(api, op, a, b);
        }
        System.out.printf(
                "tenant isolation: %d operations of %d in the OpenAPI document; B's ids known for %s%n",
                operationsChecked, operations.size(), b.ids.keySet());
        System.out.printf("tenant isolation: %d tried, %d held%n", tried, tried - failures.size());
        assertThat(failures).as("calls that reached another tenant's data").isEmpty();
        assertThat(tried).isGreaterThan(operationsChecked);
    }

    /** Called without any credentials: an operation that does not answer 401 is public by design. */
    private boolean isPublic(Operation op, World owner) {
        Response response = request(op, owner, owner, null).call();
        return response.statusCode() != 401;
    }

    private void crossTenant(ApiOperations api, Operation op, World a, World b) {
        boolean pathIds = !op.in("path").isEmpty();
        if (pathIds) {
            // B's ids in the path (and body), and B's account in the header where the operation reads one.
            expectRefused(op, "A's key, B's ids", request(op, b, b, a.tenant.apiKey()), a, b);
            if (op.hasHeader(ACCOUNT_HEADER)) {
                // A's own account in the header, B's record ids in the path.
                Prepared own = request(op, b, b, a.tenant.apiKey());
                own.headers.put(ACCOUNT_HEADER, a.accountId);
                expectRefused(op, "A's key and account, B's ids", own, a, b);
            }
            return;
        }
        if (op.hasHeader(ACCOUNT_HEADER)) {
            expectRefused(op, "A's key, B's account header", request(op, b, b, a.tenant.apiKey()), a, b);
            expectNoTrace(op, "A's key, A's account", request(op, a, a, a.tenant.apiKey()), b);
            return;
        }
        Prepared withBIdsInBody = request(op, b, b, a.tenant.apiKey());
        if (withBIdsInBody.carriesOthersIds) {
            expectRefused(op, "A's key, B's ids in the body", withBIdsInBody, a, b);
        }
        if (op.method().equals("GET")) {
            expectNoTrace(op, "A's key, own listing", request(op, a, a, a.tenant.apiKey()), b);
        }
    }

    private void crossSessionToken(ApiOperations api, Operation op, World a, World b) {
        // A connect-session token is no API key: with B's ids it reaches nothing, and where it is accepted (the
        // connect endpoints) A's token shows nothing of B.
        Prepared prepared = request(op, b, b, a.sessionToken);
        Response response = prepared.call();
        tried++;
        int status = response.statusCode();
        String body = response.asString();
        boolean refused = status == 401 || status == 403 || status == 404;
        if (!refused && !sessionEndpoint(op, b)) {
            fail(op, "A's connect token, B's ids", status, body);
        } else if (leaks(body, b, prepared)) {
            fail(op, "A's connect token leaked B's data", status, body);
        }
    }

    /** An operation that serves session tokens: it accepts B's token but no API key. */
    private boolean sessionEndpoint(Operation op, World b) {
        int withToken = request(op, b, b, b.sessionToken).call().statusCode();
        int withKey = request(op, b, b, b.tenant.apiKey()).call().statusCode();
        return withToken != 401 && withKey == 401;
    }

    private void expectRefused(Operation op, String how, Prepared prepared, World a, World b) {
        Response response = prepared.call();
        tried++;
        int status = response.statusCode();
        String body = response.asString();
        boolean refused = status == 403 || status == 404;
        if (!refused && status == 401) {
            // Only for operations that take no API key at all (the connect-session endpoints).
            refused = request(op, a, a, a.tenant.apiKey()).call().statusCode() == 401;
        }
        if (!refused || leaks(body, b, prepared)) {
            fail(op, how, status, body);
        }
    }

    private void expectNoTrace(Operation op, String how, Prepared prepared, World b) {
        Response response = prepared.call();
        tried++;
        if (leaks(response.asString(), b, prepared) || response.statusCode() >= 500) {
            fail(op, how, response.statusCode(), response.asString());
        }
    }

    /** Whether the body holds any of B's data that the request itself did not carry (an echoed id is no leak). */
    private static boolean leaks(String body, World b, Prepared request) {
        String sent = request.path + " " + request.headers + " " + request.body;
        return b.fingerprints.stream().anyMatch(f -> f != null && body.contains(f) && !sent.contains(f));
    }

    private void fail(Operation op, String how, int status, String body) {
        failures.add(op + " (" + how + ") answered " + status + ": "
                + (body.length() > 300 ? body.substring(0, 300) + "…" : body));
    }

    /** A request for the operation: path ids and body references from {@code ids}, header account of {@code header}. */
    final class Prepared {
        final String method;
        final String path;
        final Map<String, String> headers = new LinkedHashMap<>();
        final Map<String, String> query = new LinkedHashMap<>();
        String body;
        boolean carriesOthersIds;

        Prepared(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Response call() {
            RequestSpecification spec = given().redirects().follow(false);
            headers.forEach(spec::header);
            query.forEach(spec::queryParam);
            if (body != null) {
                spec.contentType(ContentType.JSON).body(body);
            }
            return spec.request(method, path);
        }
    }

    private ApiOperations document;

    private Prepared request(Operation op, World ids, World header, String bearer) {
        StringBuilder path = new StringBuilder();
        Matcher m = TEMPLATE.matcher(op.path());
        int last = 0;
        boolean others = false;
        while (m.find()) {
            String before = op.path().substring(0, m.start());
            String segment = lastLiteral(before);
            String id = ids.idFor(segment, m.group(1));
            others |= id != null;
            path.append(before, last, before.length()).append(id == null ? "unknown-" + UUID.randomUUID() : encode(id));
            last = m.end();
        }
        path.append(op.path().substring(last));
        Prepared prepared = new Prepared(op.method(), path.toString());
        prepared.carriesOthersIds = others;
        if (bearer != null) {
            prepared.headers.put("Authorization", "Bearer " + bearer);
        }
        if (op.hasHeader(ACCOUNT_HEADER)) {
            prepared.headers.put(ACCOUNT_HEADER, header.accountId);
        }
        for (Param q : op.in("query")) {
            if (q.required()) {
                prepared.query.put(q.name(), "1");
            }
        }
        if (op.bodySchema() != null && document != null) {
            boolean[] referenced = {false};
            JsonNode body = Bodies.example(document, op.bodySchema(), (name, schema) -> {
                String n = name.toLowerCase(Locale.ROOT);
                if (n.endsWith("_id") && !n.startsWith("origin_owner")) {
                    String seg = n.substring(0, n.length() - 3) + "s";
                    String id = ids.idFor(seg, n);
                    if (id != null) {
                        referenced[0] = true;
                        return JsonNodeFactory.instance.textNode(id);
                    }
                }
                if (n.equals("provider")) {
                    // A real connector, so the call gets as far as the ids it carries.
                    return JsonNodeFactory.instance.textNode("onepassword");
                }
                if (n.equals("expires_in") || n.equals("interval_seconds")) {
                    return JsonNodeFactory.instance.numberNode(600);
                }
                return null;
            });
            prepared.body = body.toString();
            prepared.carriesOthersIds |= referenced[0];
        }
        return prepared;
    }

    private static String encode(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    private static String lastLiteral(String pathPrefix) {
        String[] parts = pathPrefix.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty() && !parts[i].startsWith("{")) {
                return parts[i];
            }
        }
        return "";
    }

    private static String lastSegment(String path) {
        return lastLiteral(path + "/");
    }

    /** Lists with the owner's own key and remembers every id it sees, by the path's last literal segment. */
    private void harvest(List<Operation> operations, World owner) {
        for (Operation op : operations) {
            if (!op.method().equals("GET") || op.path().endsWith("}")) {
                continue;
            }
            Prepared prepared = request(op, owner, owner, owner.tenant.apiKey());
            Response response = prepared.call();
            if (response.statusCode() != 200
                    || !String.valueOf(response.contentType()).contains("json")) {
                continue;
            }
            try {
                JsonNode json = ApiOperations.JSON.readTree(response.asString());
                String segment = lastSegment(op.path());
                if (json.path("data").isArray()) {
                    for (JsonNode item : json.get("data")) {
                        owner.add(segment, item.path("id").asText(null));
                    }
                } else if (json.has("id")) {
                    owner.add(segment, json.get("id").asText(null));
                }
            } catch (java.io.IOException e) {
                // Not JSON after all: nothing to harvest.
            }
        }
    }

    /** The owner creates one resource through each creating operation it may call, so their ids exist. */
    private void createOwnResources(ApiOperations api, List<Operation> operations, World owner) {
        for (Operation op : operations) {
            if (!op.method().equals("POST") || op.path().endsWith("}") || op.bodySchema() == null) {
                continue;
            }
            Response response = request(op, owner, owner, owner.tenant.apiKey()).call();
            if (response.statusCode() / 100 == 2
                    && String.valueOf(response.contentType()).contains("json")) {
                String id = response.jsonPath().getString("id");
                owner.add(lastSegment(op.path()), id);
                // A secret shown once at creation (a signing secret, a token) is B's data too.
                response.jsonPath().getMap("$").forEach((k, v) -> {
                    String key = String.valueOf(k);
                    if (v instanceof String s
                            && (key.contains("secret") || key.contains("token") || key.equals("key"))) {
                        owner.fingerprints.add(s);
                    }
                });
            }
        }
    }
}
