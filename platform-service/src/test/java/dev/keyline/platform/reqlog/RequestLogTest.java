package dev.keyline.platform.reqlog;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.goodToken;
import static dev.keyline.platform.support.TestApi.link;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.read;
import static dev.keyline.platform.support.TestApi.startSync;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The per-account request log end to end: recorded upstream requests and API calls, the read, purge, isolation. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class RequestLogTest {
    @Inject
    RequestLog log;

    @Inject
    RequestLogStore store;

    @Inject
    RequestLogPurger purger;

    @Inject
    DataSource dataSource;

    @Test
    void aLiveReadAndASyncLeaveUpstreamEntriesAndNoSecret() throws Exception {
        CreatedTenant tenant = newTenant();
        String token = "upstream-token-" + UUID.randomUUID();
        String account;
        try (ScimUpstream upstream = ScimUpstream.builder()
                .users(3)
                .groups(1)
                .membershipsPerUser(1)
                .seed(3)
                .urlForms(UrlForm.BRIDGE)
                .token(token)
                .start()) {
            account = linkOnePassword(tenant, "owner-" + UUID.randomUUID(), upstream);
            read(tenant, account).get("/v1/iam/users?page_size=2").then().statusCode(200);
            awaitSync(tenant, account, startSync(tenant, account));
        }
        log.flush();

        List<Map<String, Object>> upstream = logs(tenant, account, "kind=upstream&page_size=200");
        assertThat(upstream)
                .as("the live read")
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("operation", "list_users")
                        .containsEntry("provider", "onepassword")
                        .containsEntry("method", "GET")
                        .containsEntry("status", 200)
                        .containsEntry("attempt", 1)
                        .containsEntry("kind", "upstream"))
                .as("the sync, which alone reads groups")
                .anySatisfy(e ->
                        assertThat(e).containsEntry("operation", "list_groups").containsEntry("status", 200))
                .allSatisfy(e -> {
                    assertThat((Integer) e.get("latency_ms")).isGreaterThanOrEqualTo(0);
                    assertThat(e.get("path_template").toString())
                            .startsWith("/")
                            .doesNotContain("=");
                    assertThat(e.get("path").toString()).doesNotContain("=");
                    assertThat(e.get("account_id")).isEqualTo(account);
                });
        assertThat(upstream)
                .filteredOn(e -> "list_users".equals(e.get("operation")))
                .allSatisfy(e -> assertThat((Integer) e.get("response_bytes")).isPositive());

        List<Map<String, Object>> api = logs(tenant, account, "kind=api");
        assertThat(api)
                .anySatisfy(e -> assertThat(e)
                        .containsEntry("path_template", "/v1/iam/users")
                        .containsEntry("path", "/v1/iam/users?page_size")
                        .containsEntry("status", 200)
                        .containsEntry("actor", "api_key:" + tenant.apiKeyId()));

        // The token never reaches a stored row, in any column.
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select r::text from request_log r where tenant_id = ?")) {
            s.setString(1, tenant.id());
            try (ResultSet rows = s.executeQuery()) {
                int count = 0;
                while (rows.next()) {
                    count++;
                    assertThat(rows.getString(1)).doesNotContain(token).doesNotContain(tenant.apiKey());
                }
                assertThat(count).isGreaterThan(3);
            }
        }
    }

    @Test
    void aFailedLinkQuotesTheEntryOfTheRefusedUpstreamRequest() {
        CreatedTenant tenant = newTenant();
        String wrong = "wrong-" + UUID.randomUUID();
        JsonPath problem =
                link(tenant, "owner-refused", wrong).statusCode(422).extract().jsonPath();
        String id = problem.getString("request_log_id");
        assertThat(id).startsWith("rl_");
        log.flush();

        JsonPath entry = as(tenant.apiKey())
                .get("/v1/request-logs/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(entry.getInt("status")).isEqualTo(401);
        assertThat(entry.getString("kind")).isEqualTo("upstream");
        assertThat(entry.getString("account_id")).isNull();
        assertThat(entry.getString("operation")).isEqualTo("validate");

        CreatedTenant other = newTenant();
        as(other.apiKey()).get("/v1/request-logs/" + id).then().statusCode(404);
    }

    @Test
    void filtersAndPagesNewestFirst() {
        CreatedTenant tenant = newTenant();
        String account = linkedFakeAccount(tenant);
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofHours(1));
        List<RequestLogEntry> entries = new ArrayList<>();
        int[] statuses = {200, 404, 429, 500, 503, 200};
        for (int i = 0; i < statuses.length; i++) {
            entries.add(entry(tenant.id(), account, base.plusSeconds(i), statuses[i], RequestLogEntry.Kind.UPSTREAM));
        }
        entries.add(entry(tenant.id(), account, base.plusSeconds(10), null, RequestLogEntry.Kind.UPSTREAM));
        store.insert(entries);
        String window = "since=" + base + "&until=" + base.plusSeconds(60);

        assertThat(statuses(tenant, account, window + "&status=5xx")).containsExactly(503, 500);
        assertThat(statuses(tenant, account, window + "&status=429")).containsExactly(429);
        assertThat(statuses(tenant, account, window + "&status=4xx")).containsExactly(429, 404);
        assertThat(logs(tenant, account, window + "&status=error"))
                .singleElement()
                .satisfies(e -> assertThat(e).containsEntry("error_code", "timeout"));
        assertThat(statuses(tenant, account, "since=" + base.plusSeconds(2) + "&until=" + base.plusSeconds(4)))
                .containsExactly(500, 429);
        assertThat(logs(tenant, account, window + "&kind=api")).isEmpty();

        List<Object> paged = new ArrayList<>();
        String next = null;
        do {
            JsonPath page = as(tenant.apiKey())
                    .get("/v1/accounts/" + account + "/logs?" + window + "&page_size=3"
                            + (next == null ? "" : "&cursor=" + next))
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<Object> ids = page.getList("data.id");
            assertThat(ids).hasSizeLessThanOrEqualTo(3);
            paged.addAll(ids);
            next = page.getString("next");
        } while (next != null);
        List<Object> newestFirst = new ArrayList<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            newestFirst.add(entries.get(i).id());
        }
        assertThat(paged).containsExactlyElementsOf(newestFirst);

        as(tenant.apiKey())
                .get("/v1/accounts/" + account + "/logs?status=teapot")
                .then()
                .statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("status"));
        as(tenant.apiKey())
                .get("/v1/accounts/" + account + "/logs?since=yesterday")
                .then()
                .statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("since"));
    }

    @Test
    void anotherTenantsAccountLogIsNotFound() {
        CreatedTenant tenant = newTenant();
        String account = linkedFakeAccount(tenant);
        store.insert(List.of(entry(tenant.id(), account, Instant.now(), 200, RequestLogEntry.Kind.UPSTREAM)));
        CreatedTenant other = newTenant();

        as(other.apiKey()).get("/v1/accounts/" + account + "/logs").then().statusCode(404);
        as(tenant.apiKey()).get("/v1/accounts/" + account + "/logs").then().statusCode(200);
    }

    @Test
    void thePurgeDropsOldEntriesAndKeepsTheNewestPerAccount() {
        CreatedTenant tenant = newTenant();
        String account = linkedFakeAccount(tenant);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        RequestLogEntry old = entry(tenant.id(), account, now.minus(Duration.ofDays(8)), 200, RequestLogEntry.Kind.API);
        List<RequestLogEntry> recent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            recent.add(entry(tenant.id(), account, now.minusSeconds(10 - i), 200, RequestLogEntry.Kind.UPSTREAM));
        }
        List<RequestLogEntry> all = new ArrayList<>(recent);
        all.add(old);
        store.insert(all);

        purger.purge(now);
        assertThat(store.find(tenant.id(), old.id())).as("older than 7 days").isEmpty();
        assertThat(store.find(tenant.id(), recent.get(0).id())).isPresent();

        store.purgeBeyond(3);
        List<Object> kept = as(tenant.apiKey())
                .get("/v1/accounts/" + account + "/logs")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("data.id");
        assertThat(kept)
                .containsExactly(
                        recent.get(4).id(), recent.get(3).id(), recent.get(2).id());
    }

    private static String linkedFakeAccount(CreatedTenant tenant) {
        return link(tenant, "owner-" + UUID.randomUUID(), goodToken())
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static RequestLogEntry entry(
            String tenantId, String accountId, Instant at, Integer status, RequestLogEntry.Kind kind) {
        return new RequestLogEntry(
                RequestLogEntry.newId(),
                tenantId,
                accountId,
                kind,
                at,
                "GET",
                "/Users/{id}",
                "/Users/42",
                status,
                12,
                status == null ? null : 100L,
                1,
                status == null ? "timeout" : null,
                null,
                "fake-scim",
                "get_user");
    }

    private static List<Map<String, Object>> logs(CreatedTenant tenant, String account, String query) {
        return as(tenant.apiKey())
                .get("/v1/accounts/" + account + "/logs?" + query)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("data");
    }

    private static List<Integer> statuses(CreatedTenant tenant, String account, String query) {
        return logs(tenant, account, query).stream()
                .map(e -> (Integer) e.get("status"))
                .toList();
    }
}
