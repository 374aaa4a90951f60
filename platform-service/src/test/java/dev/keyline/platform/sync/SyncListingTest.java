package dev.keyline.platform.sync;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.either;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.sync.SyncRun.State;
import dev.keyline.platform.sync.SyncRun.Trigger;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-account sync endpoints follow the API's contract: runs and changes page with {@code cursor} and
 * {@code page_size} in {@code {data, next}}, a sync starts with or without a JSON body, and every malformed
 * parameter is {@code 400 invalid_parameter} naming it.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class SyncListingTest {

    @Inject
    SyncEngine engine;

    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stopUpstreams() {
        upstreams.forEach(ScimUpstream::close);
    }

    @Test
    void runsPageNewestFirstByCursorAndARunArrivingMeanwhileShiftsNothing() {
        ScimUpstream upstream = upstream(3);
        CreatedTenant tenant = newTenant();
        String account = linkOnePassword(tenant, "org-runs-" + upstream.port(), upstream);
        List<String> oldestFirst = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            oldestFirst.add(sync(tenant, account));
        }

        JsonPath first = runs(tenant, account, 2, null);
        assertThat(first.getList("data.id")).containsExactly(oldestFirst.get(2), oldestFirst.get(1));
        String next = first.getString("next");
        assertThat(next).isNotNull();

        String newest = sync(tenant, account);
        JsonPath second = runs(tenant, account, 2, next);
        assertThat(second.getList("data.id")).containsExactly(oldestFirst.get(0));
        assertThat(second.getString("next")).isNull();
        assertThat(second.getMap("$")).containsKey("next");

        List<Object> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = runs(tenant, account, 1, cursor);
            all.addAll(page.getList("data.id"));
            cursor = page.getString("next");
        } while (cursor != null && all.size() < 10);
        assertThat(all).containsExactly(newest, oldestFirst.get(2), oldestFirst.get(1), oldestFirst.get(0));

        // A cursor is bound to its account: another account of the same tenant cannot use it.
        String other = linkOnePassword(tenant, "org-runs-other-" + upstream.port(), upstream);
        as(tenant.apiKey())
                .queryParam("cursor", next)
                .get("/v1/accounts/" + other + "/syncs")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_cursor"))
                .body("field", equalTo("cursor"));
    }

    @Test
    void theChangeFeedPagesByCursorAndResumesAfterTheLastSequenceKept() {
        ScimUpstream upstream = upstream(6);
        CreatedTenant tenant = newTenant();
        String account = linkOnePassword(tenant, "org-changes-" + upstream.port(), upstream);
        sync(tenant, account);

        List<Map<String, Object>> whole = SyncScenarios.changes(tenant, account, 0, 1000);
        List<Map<String, Object>> paged = SyncScenarios.changes(tenant, account, 0, 2);
        assertThat(whole).hasSize(8); // 6 users and 2 groups created
        assertThat(sequences(paged)).isEqualTo(sequences(whole));
        assertThat(sequences(whole)).isSorted().doesNotHaveDuplicates();
        List<Map<String, Object>> fromThird = SyncScenarios.changes(tenant, account, 3, 2);
        assertThat(sequences(fromThird)).isEqualTo(sequences(whole).subList(3, whole.size()));

        // At the end of the log `next` is null; the last sequence a client kept resumes the feed.
        long kept = ((Number) whole.get(whole.size() - 1).get("sequence")).longValue();
        as(tenant.apiKey())
                .queryParam("since", kept)
                .get("/v1/accounts/" + account + "/changes")
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(0))
                .body("next", nullValue());
        upstream.directory()
                .updateUser(upstream.directory().users().get(0).id(), u -> u.withNames("Renamed", u.familyName(), "R"));
        sync(tenant, account);
        List<Map<String, Object>> resumed = SyncScenarios.changes(tenant, account, kept, 2);
        assertThat(resumed).hasSize(1);
        assertThat(resumed.get(0).get("change")).isEqualTo("updated");

        String cursor = as(tenant.apiKey())
                .queryParam("page_size", 1)
                .get("/v1/accounts/" + account + "/changes")
                .then()
                .statusCode(200)
                .extract()
                .path("next");
        as(tenant.apiKey())
                .queryParam("since", 2)
                .queryParam("cursor", cursor)
                .get("/v1/accounts/" + account + "/changes")
                .then()
                .statusCode(400)
                .body("code", equalTo("conflicting_parameters"));
        // Clients written before `cursor` passed `next` back as `since`: both read the same page.
        List<Object> byCursor = as(tenant.apiKey())
                .queryParam("cursor", cursor)
                .get("/v1/accounts/" + account + "/changes")
                .then()
                .statusCode(200)
                .extract()
                .path("data.sequence");
        List<Object> bySince = as(tenant.apiKey())
                .queryParam("since", cursor)
                .get("/v1/accounts/" + account + "/changes")
                .then()
                .statusCode(200)
                .extract()
                .path("data.sequence");
        assertThat(byCursor).isNotEmpty().isEqualTo(bySince);
        for (String forged : List.of("-1", "forged.cursor")) {
            as(tenant.apiKey())
                    .queryParam("cursor", forged)
                    .get("/v1/accounts/" + account + "/changes")
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("invalid_cursor"))
                    .body("field", equalTo("cursor"));
        }
    }

    @Test
    void aSyncStartsWithoutABodyOrContentTypeAndWithAJsonBody() {
        ScimUpstream upstream = upstream(2);
        CreatedTenant tenant = newTenant();
        String account = linkOnePassword(tenant, "org-start-" + upstream.port(), upstream);
        String path = "/v1/accounts/" + account + "/syncs";

        // As curl -X POST sends it: no body, no Content-Type.
        Response bare =
                given().header("Authorization", "Bearer " + tenant.apiKey()).post(path);
        bare.then().statusCode(either(equalTo(202)).or(equalTo(200))).body("state", equalTo("queued"));
        assertThat(bare.getContentType()).startsWith("application/json");
        assertThat(bare.header("Location")).endsWith(path + "/" + bare.path("id"));
        awaitSync(tenant, account, bare.path("id"));

        for (String body : List.of("{}", "{\"confirm_deletions\": false}", "")) {
            Response started = as(tenant.apiKey()).body(body).post(path);
            started.then().statusCode(either(equalTo(202)).or(equalTo(200)));
            assertThat(started.header("Location")).endsWith(path + "/" + started.path("id"));
            awaitSync(tenant, account, started.path("id"));
        }

        as(tenant.apiKey())
                .body("{\"confirm_deletions\": true}")
                .post(path)
                .then()
                .statusCode(409)
                .body("code", equalTo("nothing_to_confirm"));
        for (String bad : List.of("not json", "{\"confirm_deletions\": \"yes\"}", "{\"confirm\": true}")) {
            as(tenant.apiKey()).body(bad).post(path).then().statusCode(400).body("code", equalTo("invalid_request"));
        }
        given().header("Authorization", "Bearer " + tenant.apiKey())
                .contentType(ContentType.JSON)
                .post(path)
                .then()
                .statusCode(either(equalTo(202)).or(equalTo(200)));
    }

    @Test
    void everyMalformedParameterIsInvalidParameterNamingIt() {
        ScimUpstream upstream = upstream(2);
        CreatedTenant tenant = newTenant();
        String account = linkOnePassword(tenant, "org-params-" + upstream.port(), upstream);
        sync(tenant, account);
        String base = "/v1/accounts/" + account;
        for (String size : List.of("0", "101", "ten", "2.5")) {
            invalid(tenant, base + "/syncs", "page_size", size);
        }
        for (String size : List.of("0", "1001", "many")) {
            invalid(tenant, base + "/changes", "page_size", size);
        }
        for (String since : List.of("-1", "yesterday")) {
            invalid(tenant, base + "/changes", "since", since);
        }
        invalid(tenant, base + "/snapshot", "format", "xml");
        invalid(tenant, base + "/snapshot", "include_deleted", "perhaps");
        as(tenant.apiKey())
                .queryParam("cursor", "forged.cursor")
                .get(base + "/syncs")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_cursor"))
                .body("field", equalTo("cursor"));
        // Well-formed values still pass, the bounds included.
        as(tenant.apiKey())
                .queryParam("page_size", "100")
                .get(base + "/syncs")
                .then()
                .statusCode(200);
        as(tenant.apiKey())
                .queryParam("page_size", "1000")
                .get(base + "/changes")
                .then()
                .statusCode(200);
        as(tenant.apiKey())
                .queryParam("format", "CSV")
                .queryParam("include_deleted", "true")
                .get(base + "/snapshot")
                .then()
                .statusCode(200)
                .contentType(either(equalTo("text/csv; charset=utf-8")).or(equalTo("text/csv;charset=utf-8")));
    }

    private static void invalid(CreatedTenant tenant, String path, String name, String value) {
        as(tenant.apiKey())
                .queryParam(name, value)
                .get(path)
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("invalid_parameter"))
                .body("field", equalTo(name));
    }

    private String sync(CreatedTenant tenant, String account) {
        SyncRun run = engine.runNow(tenant.id(), account, Trigger.MANUAL);
        assertThat(run.state()).isEqualTo(State.SUCCEEDED);
        return run.id();
    }

    private static JsonPath runs(CreatedTenant tenant, String account, int pageSize, String cursor) {
        var request = as(tenant.apiKey()).queryParam("page_size", pageSize);
        if (cursor != null) {
            request.queryParam("cursor", cursor);
        }
        return request.get("/v1/accounts/" + account + "/syncs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static List<Long> sequences(List<Map<String, Object>> entries) {
        return entries.stream()
                .map(e -> ((Number) e.get("sequence")).longValue())
                .toList();
    }

    private ScimUpstream upstream(int users) {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(users)
                .groups(2)
                .membershipsPerUser(1)
                .seed(23)
                .urlForms(UrlForm.BRIDGE)
                .token("listing-token-" + users + "-0123456789")
                .start();
        upstreams.add(upstream);
        return upstream;
    }
}
