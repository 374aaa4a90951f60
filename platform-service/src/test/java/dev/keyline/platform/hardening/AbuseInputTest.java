package dev.keyline.platform.hardening;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile input to our own API, each answered by a clear 4xx problem with a stable code and never a 500:
 * oversized bodies, malformed JSON, wrong types, unknown fields, huge page sizes, forged and tampered cursors,
 * bad enum values, over-long strings, odd characters in path ids, wrong media types.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class AbuseInputTest {

    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stop() {
        upstreams.forEach(ScimUpstream::close);
    }

    record Case(String name, Supplier<Response> call, Set<Integer> statuses, String code) {}

    @Test
    void hostileInputGetsAClearProblemNeverA500() {
        CreatedTenant tenant = newTenant();
        ScimUpstream upstream = ScimUpstream.builder()
                .users(3)
                .groups(1)
                .membershipsPerUser(1)
                .urlForms(UrlForm.BRIDGE)
                .token("abuse-" + UUID.randomUUID())
                .start();
        upstreams.add(upstream);
        String account = linkOnePassword(tenant, "abuse-owner", upstream);
        String key = tenant.apiKey();
        String big = "a".repeat(70 * 1024);
        String longText = "x".repeat(5000);
        List<Case> cases = new ArrayList<>();

        // Size: the limit is 64 KiB; announced or streamed, the answer is a problem document.
        cases.add(new Case(
                "body over the size limit",
                () -> as(key).body("{\"origin_owner_id\":\"" + big + "\"}").post("/connect/sessions"),
                Set.of(413),
                "payload_too_large"));
        cases.add(new Case(
                "chunked body over the size limit",
                () -> as(key).body(new java.io.ByteArrayInputStream(("{\"a\":\"" + big + "\"}").getBytes()))
                        .post("/accounts"),
                Set.of(413),
                "payload_too_large"));
        // Malformed JSON, wrong types, unknown fields, nulls.
        cases.add(badJson("truncated JSON", key, "/connect/sessions", "{\"origin_owner_id\":\"o\","));
        cases.add(badJson("not JSON at all", key, "/connect/sessions", "<html>hello</html>"));
        cases.add(badJson("a JSON array for an object", key, "/connect/sessions", "[1,2,3]"));
        cases.add(badJson("wrong type for a string", key, "/connect/sessions", "{\"origin_owner_id\":{\"$gt\":\"\"}}"));
        cases.add(badJson(
                "wrong type for a number",
                key,
                "/connect/sessions",
                "{\"origin_owner_id\":\"o\",\"origin_owner_name\":\"n\",\"expires_in\":\"soon\"}"));
        cases.add(badJson(
                "unknown field",
                key,
                "/connect/sessions",
                "{\"origin_owner_id\":\"o\",\"origin_owner_name\":\"n\",\"is_admin\":true}"));
        cases.add(new Case(
                "JSON null body",
                () -> as(key).body("null").post("/connect/sessions"),
                Set.of(400),
                "invalid_request"));
        cases.add(new Case(
                "empty body", () -> as(key).body("").post("/connect/sessions"), Set.of(400), "invalid_request"));
        cases.add(new Case(
                "NUL in a body string",
                () -> as(key).body("{\"origin_owner_id\":\"o\\u0000\",\"origin_owner_name\":\"n\"}")
                        .post("/connect/sessions"),
                Set.of(400),
                "invalid_character"));
        cases.add(new Case(
                "NUL in a query filter",
                () -> given().urlEncodingEnabled(false)
                        .header("Authorization", "Bearer " + key)
                        .get("/accounts?origin_owner_id=%00"),
                Set.of(400),
                "invalid_character"));
        cases.add(badJson(
                "credentials of the wrong shape",
                key,
                "/accounts",
                "{\"origin_owner_id\":\"o\",\"origin_owner_name\":\"n\",\"provider\":\"fake-scim\","
                        + "\"credentials\":[[[[[]]]]]}"));
        cases.add(badJson("deeply nested arrays", key, "/connect/sessions", "[".repeat(3000) + "]".repeat(3000)));
        cases.add(new Case(
                "wrong type in the schedule body",
                () -> as(key).body("{\"interval_seconds\":\"hourly\"}").put("/accounts/" + account + "/sync-schedule"),
                Set.of(400),
                "malformed_json"));
        cases.add(new Case(
                "unknown field in the schedule body",
                () -> as(key).body("{\"intervalSeconds\":600}").put("/accounts/" + account + "/sync-schedule"),
                Set.of(400),
                "malformed_json"));
        // Over-long strings.
        cases.add(new Case(
                "over-long origin owner id",
                () -> as(key).body("{\"origin_owner_id\":\"" + longText + "\",\"origin_owner_name\":\"n\"}")
                        .post("/connect/sessions"),
                Set.of(400),
                "invalid_request"));
        // Paging.
        cases.add(new Case(
                "huge page_size on accounts",
                () -> as(key).queryParam("page_size", 100000000).get("/accounts"),
                Set.of(400),
                null));
        cases.add(new Case(
                "page_size beyond int on accounts",
                () -> as(key).queryParam("page_size", "99999999999999999999").get("/accounts"),
                Set.of(400),
                "invalid_parameter"));
        cases.add(new Case(
                "page_size not a number on accounts",
                () -> as(key).queryParam("page_size", "ten").get("/accounts"),
                Set.of(400),
                "invalid_parameter"));
        cases.add(new Case(
                "huge page_size on users",
                () -> read(key, account)
                        .queryParam("page_size", "99999999999999999999")
                        .get("/iam/users"),
                Set.of(400),
                null));
        cases.add(new Case(
                "negative page_size on groups",
                () -> read(key, account).queryParam("page_size", -5).get("/iam/groups"),
                Set.of(400),
                null));
        cases.add(new Case(
                "forged cursor on users",
                () -> read(key, account)
                        .queryParam("cursor", Base64.getUrlEncoder().encodeToString("{\"offset\":0}".getBytes()))
                        .get("/iam/users"),
                Set.of(400),
                "invalid_cursor"));
        cases.add(new Case(
                "garbage cursor on users",
                () -> read(key, account)
                        .queryParam("cursor", "!!!%%%\u00e9\u0000")
                        .get("/iam/users"),
                Set.of(400),
                "invalid_cursor"));
        cases.add(new Case(
                "forged cursor on accounts",
                () -> as(key).queryParam("cursor", "eyJpZCI6IjAifQ").get("/accounts"),
                Set.of(400),
                "invalid_cursor"));
        // Enums and flags.
        cases.add(new Case(
                "bad status filter on users",
                () -> read(key, account).queryParam("status", "superuser").get("/iam/users"),
                Set.of(400),
                null));
        cases.add(new Case(
                "bad mode on users",
                () -> read(key, account).queryParam("mode", "everything").get("/iam/users"),
                Set.of(400),
                null));
        cases.add(new Case(
                "bad status filter on accounts",
                () -> as(key).queryParam("status", "ACTIVE' OR 1=1").get("/accounts"),
                Set.of(400),
                "invalid_parameter"));
        cases.add(new Case(
                "bad boolean on groups",
                () -> read(key, account).queryParam("include_members", "maybe").get("/iam/groups"),
                Set.of(400),
                null));
        // Odd path ids and headers.
        for (String id : List.of(
                "%2e%2e%2f%2e%2e%2f",
                "%00",
                "%F0%9F%92%A5",
                "%E2%80%AE%E2%80%AD",
                "'%20OR%20'1'%3D'1",
                "%7B%22%24ne%22%3A1%7D",
                "x".repeat(3000))) {
            cases.add(new Case(
                    "odd account id " + (id.length() > 30 ? id.substring(0, 30) + "…" : id),
                    () -> given().urlEncodingEnabled(false)
                            .header("Authorization", "Bearer " + key)
                            .get("/accounts/" + id),
                    Set.of(400, 404),
                    null));
            cases.add(new Case(
                    "odd user id " + (id.length() > 30 ? id.substring(0, 30) + "…" : id),
                    () -> given().urlEncodingEnabled(false)
                            .header("Authorization", "Bearer " + key)
                            .header("x-account-id", account)
                            .get("/iam/users/" + id),
                    Set.of(400, 404),
                    null));
        }
        cases.add(new Case(
                "odd x-account-id",
                () -> as(key).header("x-account-id", "../../etc/passwd").get("/iam/users"),
                Set.of(400, 404),
                null));
        cases.add(new Case("missing x-account-id", () -> as(key).get("/iam/users"), Set.of(400), null));
        // Media types and methods.
        cases.add(new Case(
                "form body instead of JSON",
                () -> given().header("Authorization", "Bearer " + key)
                        .contentType("application/x-www-form-urlencoded")
                        .body("origin_owner_id=o")
                        .post("/connect/sessions"),
                Set.of(415),
                "unsupported_media_type"));
        cases.add(new Case(
                "XML accepted only",
                () -> as(key).accept("application/xml").get("/accounts"),
                Set.of(406),
                "not_acceptable"));
        cases.add(new Case("method not allowed", () -> as(key).put("/connectors"), Set.of(405), "method_not_allowed"));
        cases.add(new Case(
                "URI longer than the limit",
                () -> as(key).queryParam("q", "x".repeat(9000)).get("/accounts"),
                Set.of(414),
                "uri_too_long"));
        cases.add(new Case(
                "headers larger than the limit",
                () -> as(key).header("x-padding", "y".repeat(21_000)).get("/accounts"),
                Set.of(431),
                "headers_too_large"));
        cases.add(new Case(
                "garbage authorization",
                () -> given().header("Authorization", "Bearer \u00ff\u00fe" + "z".repeat(5000))
                        .get("/accounts"),
                Set.of(401),
                "unauthorized"));

        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Response response = c.call().get();
            String contentType = String.valueOf(response.contentType());
            String code = contentType.startsWith("application/problem+json")
                    ? response.jsonPath().getString("code")
                    : null;
            boolean held = c.statuses().contains(response.statusCode())
                    && contentType.startsWith("application/problem+json")
                    && code != null
                    && (c.code() == null || c.code().equals(code));
            if (!held) {
                String body = response.asString();
                failures.add(c.name() + ": " + response.statusCode() + " " + contentType + " "
                        + (body.length() > 200 ? body.substring(0, 200) : body));
            }
        }
        System.out.printf("api abuse: %d tried, %d held%n", cases.size(), cases.size() - failures.size());
        assertThat(failures).isEmpty();
    }

    private static RequestSpecification read(String key, String account) {
        return as(key).header("x-account-id", account);
    }

    private static Case badJson(String name, String key, String path, String body) {
        return new Case(name, () -> as(key).body(body).post(path), Set.of(400), "malformed_json");
    }
}
