package dev.keyline.platform.hardening;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A small, seeded fuzz run over every operation in the OpenAPI document: real and random ids, random query
 * values, mutated JSON bodies (wrong types, nulls, unicode, very long values, nested arrays, unknown fields,
 * broken syntax). No answer may be a 5xx, and every error must be a problem document with a code.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class ApiFuzzTest {
    private static final long SEED = 20261125L;
    private static final int ROUNDS_PER_OPERATION = 24;
    private static final long BUDGET_NANOS = 45_000_000_000L;
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}]+)}");
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] NASTY = {
        "",
        " ",
        "null",
        "-1",
        "0",
        "1e309",
        "NaN",
        "99999999999999999999999",
        "true",
        "' OR '1'='1",
        "{\"$gt\":\"\"}",
        "../../../etc/passwd",
        "%00",
        "\u0000",
        "\u202e\u202d",
        "\ud83d\udca5\ud83d\udd25",
        "e\u0301\u0301\u0301",
        "\u4e2d\u6587",
        "<script>alert(1)</script>",
        "${jndi:ldap://x}",
        "usr_AAAA",
        "grp_\u00ff",
    };

    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stop() {
        upstreams.forEach(ScimUpstream::close);
    }

    @Test
    void generatedInputsNeverCauseAServerError() {
        ApiOperations api = ApiOperations.fetch();
        CreatedTenant tenant = newTenant();
        ScimUpstream upstream = ScimUpstream.builder()
                .users(5)
                .groups(2)
                .membershipsPerUser(1)
                .seed(7)
                .urlForms(UrlForm.BRIDGE)
                .token("fuzz-" + UUID.randomUUID())
                .start();
        upstreams.add(upstream);
        String account = linkOnePassword(tenant, "fuzz-owner", upstream);
        String userId = as(tenant.apiKey())
                .header("x-account-id", account)
                .queryParam("mode", "live")
                .get("/iam/users")
                .then()
                .statusCode(200)
                .extract()
                .path("data[0].id");
        Map<String, String> realIds =
                Map.of("accounts", account, "users", userId, "tenants", tenant.id(), "api-keys", tenant.apiKeyId());

        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        int tried = 0;
        long deadline = System.nanoTime() + BUDGET_NANOS;
        // Round by round over all operations, so each is tried even if the time budget ends the run early.
        List<Operation> operations = api.api();
        for (int round = 0; round < ROUNDS_PER_OPERATION && (round == 0 || System.nanoTime() < deadline); round++) {
            for (Operation op : operations) {
                // Operator-only operations are fuzzed with the operator key, everything else as the tenant.
                boolean operator = op.path().startsWith("/tenants");
                String bearer = operator ? TestAuthResource.OPERATOR_KEY : tenant.apiKey();
                boolean destructive = op.method().equals("DELETE");
                String path = fillPath(op, random, realIds, destructive);
                RequestSpecification spec =
                        given().urlEncodingEnabled(false).redirects().follow(false);
                if (random.nextInt(10) > 0) {
                    spec.header("Authorization", "Bearer " + bearer);
                }
                StringBuilder query = new StringBuilder();
                for (Param q : op.in("query")) {
                    if (random.nextInt(10) < 6) {
                        query.append(query.length() == 0 ? "?" : "&")
                                .append(q.name())
                                .append('=')
                                .append(encode(randomValue(random, q.schema())));
                    }
                }
                for (Param h : op.in("header")) {
                    if (h.name().equalsIgnoreCase("authorization")) {
                        continue;
                    }
                    spec.header(h.name(), random.nextInt(3) == 0 ? ascii(random) : account);
                }
                String body = null;
                if (op.bodySchema() != null) {
                    body = mutatedBody(api, op.bodySchema(), random);
                    spec.contentType("application/json").body(body);
                }
                Response response = spec.request(op.method(), path + query);
                tried++;
                String problem = check(op, response);
                if (problem != null) {
                    failures.add(
                            op + " " + truncate(path + query, 120) + " body " + truncate(body, 160) + ": " + problem);
                }
            }
        }
        System.out.printf("api fuzz: %d tried, %d held%n", tried, tried - failures.size());
        assertThat(failures)
                .as("answers that were a 5xx or not a problem document")
                .isEmpty();
        assertThat(tried).isGreaterThanOrEqualTo(operations.size());
    }

    /** Null when the answer is acceptable, else what is wrong with it. */
    private static String check(Operation op, Response response) {
        int status = response.statusCode();
        String contentType = String.valueOf(response.contentType());
        if (status >= 500) {
            return status + " " + truncate(response.asString(), 200);
        }
        if (status == 414 || status == 431) {
            // Address or headers longer than the HTTP server reads (quarkus.http.limits.max-initial-line-length,
            // max-header-size): refused while parsing the request, before any route, so with an empty body.
            return null;
        }
        if (status >= 400) {
            boolean html = op.produces().stream().anyMatch(p -> p.startsWith("text/html"));
            if (html && contentType.startsWith("text/html")) {
                return null;
            }
            if (!contentType.startsWith("application/problem+json")) {
                return status + " not a problem document: " + contentType + " " + truncate(response.asString(), 200);
            }
            String code = response.jsonPath().getString("code");
            if (code == null || code.isBlank()) {
                return status + " problem without a code";
            }
        }
        return null;
    }

    private static String fillPath(Operation op, Random random, Map<String, String> realIds, boolean destructive) {
        StringBuilder path = new StringBuilder();
        Matcher m = TEMPLATE.matcher(op.path());
        int last = 0;
        while (m.find()) {
            String before = op.path().substring(last, m.start());
            String[] segments = op.path().substring(0, m.start()).split("/");
            String segment = segments.length == 0 ? "" : segments[segments.length - 1];
            String real = realIds.get(segment);
            String value = !destructive && real != null && random.nextBoolean() ? real : randomText(random);
            path.append(before).append(encode(value));
            last = m.end();
        }
        return path.append(op.path().substring(last)).toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String randomValue(Random random, JsonNode schema) {
        if (schema != null && schema.has("enum") && random.nextBoolean()) {
            JsonNode values = schema.get("enum");
            return values.get(random.nextInt(values.size())).asText();
        }
        return switch (random.nextInt(4)) {
            case 0 -> String.valueOf(random.nextInt(2000) - 10);
            case 1 -> String.valueOf(random.nextLong());
            default -> randomText(random);
        };
    }

    private static String randomText(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> NASTY[random.nextInt(NASTY.length)];
            case 1 -> "x".repeat(1 + random.nextInt(random.nextBoolean() ? 300 : 3000));
            case 2 -> UUID.randomUUID().toString();
            case 3 -> {
                StringBuilder s = new StringBuilder();
                int n = 1 + random.nextInt(40);
                for (int i = 0; i < n; i++) {
                    s.appendCodePoint(1 + random.nextInt(0x2FFF));
                }
                yield s.toString().replaceAll("[\\ud800-\\udfff]", "?");
            }
            case 4 -> NASTY[random.nextInt(NASTY.length)] + UUID.randomUUID();
            default -> Long.toString(Math.abs(random.nextLong()), 36);
        };
    }

    private static String ascii(Random random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(300);
        for (int i = 0; i < n; i++) {
            s.append((char) (0x21 + random.nextInt(0x5e)));
        }
        return s.toString();
    }

    private static String mutatedBody(ApiOperations api, JsonNode schema, Random random) {
        JsonNode body = Bodies.example(api, schema, (name, s) -> null);
        switch (random.nextInt(8)) {
            case 0 -> {
                String text = body.toString();
                return text.substring(0, random.nextInt(Math.max(1, text.length())));
            }
            case 1 -> {
                return randomText(random);
            }
            case 2 -> {
                return "[".repeat(random.nextInt(2000)) + "]".repeat(random.nextInt(2000));
            }
            default -> {
                mutate(body, random, 0);
                return body.toString();
            }
        }
    }

    private static void mutate(JsonNode node, Random random, int depth) {
        if (!(node instanceof ObjectNode object) || depth > 4) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        if (random.nextInt(4) == 0) {
            object.set(randomText(random).replace("\u0000", "?"), randomNode(random, 0));
        }
        for (String name : names) {
            int dice = random.nextInt(5);
            if (dice == 0) {
                object.set(name, randomNode(random, 0));
            } else if (dice == 1) {
                object.remove(name);
            } else {
                mutate(object.get(name), random, depth + 1);
            }
        }
    }

    private static JsonNode randomNode(Random random, int depth) {
        return switch (depth > 3 ? random.nextInt(5) : random.nextInt(8)) {
            case 0 -> F.nullNode();
            case 1 -> F.numberNode(random.nextLong());
            case 2 -> F.numberNode(random.nextDouble() * 1e300);
            case 3 -> F.booleanNode(random.nextBoolean());
            case 4 -> F.textNode(randomText(random));
            case 5 -> {
                ArrayNode array = F.arrayNode();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    array.add(randomNode(random, depth + 1));
                }
                yield array;
            }
            case 6 -> {
                ArrayNode nested = F.arrayNode();
                ArrayNode cursor = nested;
                for (int i = 0; i < 50; i++) {
                    ArrayNode inner = F.arrayNode();
                    cursor.add(inner);
                    cursor = inner;
                }
                yield nested;
            }
            default -> {
                ObjectNode object = F.objectNode();
                object.set(randomText(random), randomNode(random, depth + 1));
                yield object;
            }
        };
    }

    private static String truncate(String s, int max) {
        if (s == null) {
            return "null";
        }
        return s.length() > max ? s.substring(0, max) + "…" : s;
    }
}
