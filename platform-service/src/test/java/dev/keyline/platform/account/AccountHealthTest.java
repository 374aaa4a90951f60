package dev.keyline.platform.account;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.keyline.platform.db.NativeSql;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.Endpoint;
import dev.keyline.scimdouble.Fault;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Credential checks, on demand and periodic: status transitions, the temporary-failure rule, the bridge's report. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class AccountHealthTest {

    @Inject
    RecordedAccountEvents events;

    @Inject
    AccountHealthScheduler scheduler;

    @Inject
    AccountChecks service;

    @Inject
    HealthConfig config;

    @Inject
    DataSource dataSource;

    @Inject
    NativeSql sql;

    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stopUpstreams() {
        upstreams.forEach(ScimUpstream::close);
    }

    @Test
    void aRejectedTokenPutsTheAccountInErrorOnceAndARecoveredOneBringsItBackOnce() {
        ScimUpstream upstream = upstream("rejected");
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-rejected", upstream);
        String token = upstream.token();

        upstream.rotateToken("another-token-0123456789abcdef");
        for (int i = 0; i < 3; i++) {
            check(tenant, accountId)
                    .body("status", equalTo("error"))
                    .body("status_reason.code", equalTo("invalid_credentials"))
                    .body("status_reason.field", equalTo("bearer_token"));
        }
        assertThat(events.statusChanges(accountId))
                .as("one event for the transition, none for the repeated failures")
                .singleElement()
                .satisfies(e -> {
                    assertThat(e.from()).isEqualTo("active");
                    assertThat(e.to()).isEqualTo("error");
                    assertThat(e.code()).isEqualTo("invalid_credentials");
                    assertThat(e.tenantId()).isEqualTo(tenant.id());
                });

        upstream.rotateToken(token);
        check(tenant, accountId).body("status", equalTo("active")).body("status_reason", nullValue());
        check(tenant, accountId).body("status", equalTo("active"));
        assertThat(events.statusChanges(accountId)).hasSize(2);
        AccountStatusChanged recovered = events.statusChanges(accountId).get(1);
        assertThat(recovered.from()).isEqualTo("error");
        assertThat(recovered.to()).isEqualTo("active");
        assertThat(recovered.code()).isNull();
    }

    @Test
    void aCheckThatFindsNothingNewKeepsUpdatedAtAndOneThatChangesTheAccountMovesIt() {
        ScimUpstream upstream = upstream("updated-at");
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-updated-at", upstream);
        JsonPath linked = account(tenant, accountId);

        JsonPath checked = check(tenant, accountId).extract().jsonPath();
        assertThat(checked.getString("updated_at")).isEqualTo(linked.getString("updated_at"));
        assertThat(Instant.parse(checked.getString("last_checked_at")))
                .isAfter(Instant.parse(linked.getString("last_checked_at")));
        assertThat(account(tenant, accountId).getString("updated_at")).isEqualTo(linked.getString("updated_at"));

        String token = upstream.token();
        upstream.rotateToken("another-token-0123456789abcdef");
        JsonPath failed = check(tenant, accountId).extract().jsonPath();
        assertThat(failed.getString("status")).isEqualTo("error");
        assertThat(Instant.parse(failed.getString("updated_at")))
                .isAfter(Instant.parse(linked.getString("updated_at")));
        JsonPath failedAgain = check(tenant, accountId).extract().jsonPath();
        assertThat(failedAgain.getString("updated_at")).isEqualTo(failed.getString("updated_at"));

        upstream.rotateToken(token);
        JsonPath recovered = check(tenant, accountId).extract().jsonPath();
        assertThat(recovered.getString("status")).isEqualTo("active");
        assertThat(Instant.parse(recovered.getString("updated_at")))
                .isAfter(Instant.parse(failed.getString("updated_at")));
    }

    @Test
    void aCheckedAccountThatWasUnlinkedOrIsAnotherTenantsIsRefusedWithoutAskingTheProvider() {
        ScimUpstream upstream = upstream("unlinked-check");
        CreatedTenant tenant = newTenant();
        CreatedTenant other = newTenant();
        String accountId = linkOnePassword(tenant, "org-unlinked-check", upstream);
        check(tenant, accountId).body("status", equalTo("active"));

        long mark = upstream.requests().mark();
        as(other.apiKey())
                .post("/accounts/" + accountId + "/check")
                .then()
                .statusCode(404)
                .body("code", equalTo("not_found"));
        as(tenant.apiKey()).delete("/accounts/" + accountId).then().statusCode(204);
        as(tenant.apiKey())
                .post("/accounts/" + accountId + "/check")
                .then()
                .statusCode(409)
                .body("code", equalTo("account_not_active"));
        assertThat(upstream.requests().since(mark))
                .as("neither refusal asked the provider")
                .isEmpty();
        assertThat(events.statusChanges(accountId)).isEmpty();
    }

    @Test
    void theProviderBeingDownFlipsTheAccountOnlyAfterSeveralChecksInARow() {
        ScimUpstream upstream = upstream("down");
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-down", upstream);
        upstream.inject(Fault.unavailable().on(Endpoint.LIST_USERS).always());
        int threshold = config.unavailableThreshold();
        assertThat(threshold).isGreaterThan(1);

        for (int i = 1; i < threshold; i++) {
            check(tenant, accountId)
                    .body("status", equalTo("active"))
                    .body("health.consecutive_unavailable", equalTo(i))
                    .body("health.last_unavailable.code", equalTo("upstream_unavailable"));
        }
        assertThat(events.statusChanges(accountId)).isEmpty();
        check(tenant, accountId)
                .body("status", equalTo("error"))
                .body("status_reason.code", equalTo("upstream_unavailable"))
                .body("health.consecutive_unavailable", equalTo(threshold));
        check(tenant, accountId).body("status", equalTo("error"));
        assertThat(events.statusChanges(accountId))
                .singleElement()
                .satisfies(e -> assertThat(e.to()).isEqualTo("error"));

        // One good answer resets the count and recovers the account.
        upstream.clearFaults();
        check(tenant, accountId)
                .body("status", equalTo("active"))
                .body("health.consecutive_unavailable", equalTo(0))
                .body("health.last_unavailable", nullValue());
        assertThat(events.statusChanges(accountId)).hasSize(2);

        // A blip between good checks starts counting from zero again.
        upstream.inject(Fault.unavailable().on(Endpoint.LIST_USERS).always());
        check(tenant, accountId).body("status", equalTo("active")).body("health.consecutive_unavailable", equalTo(1));
    }

    @Test
    void theBridgesOwnHealthReportIsKeptOnTheAccount() {
        ScimUpstream upstream = upstream("bridge");
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-bridge", upstream);
        as(tenant.apiKey()).get("/accounts/" + accountId).then().statusCode(200).body("health.report", nullValue());

        upstream.healthState("database", "unhealthy");
        check(tenant, accountId).body("status", equalTo("active"));
        JsonPath account = as(tenant.apiKey())
                .get("/accounts/" + accountId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(account.getString("health.report.state")).isIn("degraded", "unhealthy");
        assertThat(account.getList("health.report.checks.source", String.class)).contains("database");
        assertThat(account.getString("health.report.checks.find { it.source == 'database' }.state"))
                .isEqualTo("unhealthy");
        Instant checkedAt = Instant.parse(account.getString("health.report_checked_at"));
        assertThat(checkedAt).isEqualTo(Instant.parse(account.getString("last_checked_at")));
        assertThat(account.getString("health.report.retrieved_at")).isNotNull();

        upstream.healthState("database", "healthy");
        check(tenant, accountId);
        as(tenant.apiKey()).get("/accounts/" + accountId).then().body("health.report.state", equalTo("healthy"));
    }

    @Test
    void twoReplicasClaimingDueChecksCheckEachAccountOncePerInterval() throws Exception {
        ScimUpstream upstream = upstream("periodic");
        CreatedTenant tenant = newTenant();
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            mine.add(linkOnePassword(tenant, "org-periodic-" + i, upstream));
        }
        // Linked (and so checked) just now: not due.
        assertThat(ids(scheduler.claimDue(100))).doesNotContainAnyElementsOf(mine);
        for (String id : mine) {
            sql("update linked_accounts set last_checked_at = now() - interval '25 hours' where id = ?", id);
        }
        AccountHealthScheduler other = new AccountHealthScheduler(config, service, sql);
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<List<String>> a = CompletableFuture.supplyAsync(() -> {
            await(go);
            return ids(scheduler.claimDue(100));
        });
        CompletableFuture<List<String>> b = CompletableFuture.supplyAsync(() -> {
            await(go);
            return ids(other.claimDue(100));
        });
        go.countDown();
        List<String> claimed = new ArrayList<>(a.get());
        claimed.addAll(b.get());
        assertThat(claimed.stream().filter(mine::contains).toList())
                .as("each due account claimed by exactly one replica")
                .containsExactlyInAnyOrderElementsOf(mine);
        assertThat(ids(scheduler.claimDue(100))).doesNotContainAnyElementsOf(mine);
        assertThat(ids(other.claimDue(100))).doesNotContainAnyElementsOf(mine);

        // The claim pushed the next check an interval on.
        Instant next = Instant.parse(as(tenant.apiKey())
                .get("/accounts/" + mine.get(0))
                .then()
                .extract()
                .path("health.next_check_at"));
        assertThat(next).isAfter(Instant.now().plus(config.checkInterval()).minusSeconds(60));

        // A tick checks what it claims: due again, a tick finds the token rejected and records it.
        sql("update linked_accounts set next_check_at = now() - interval '1 second' where id = ?", mine.get(1));
        upstream.rotateToken("rotated-token-0123456789abcdef");
        assertThat(scheduler.tick()).isGreaterThanOrEqualTo(1);
        as(tenant.apiKey())
                .get("/accounts/" + mine.get(1))
                .then()
                .body("status", equalTo("error"))
                .body("status_reason.code", equalTo("invalid_credentials"));
        as(tenant.apiKey()).get("/accounts/" + mine.get(2)).then().body("status", equalTo("active"));
        assertThat(events.statusChanges(mine.get(1))).hasSize(1);
    }

    private io.restassured.response.ValidatableResponse check(CreatedTenant tenant, String accountId) {
        return as(tenant.apiKey())
                .post("/accounts/" + accountId + "/check")
                .then()
                .statusCode(200);
    }

    private static JsonPath account(CreatedTenant tenant, String accountId) {
        return as(tenant.apiKey())
                .get("/accounts/" + accountId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private ScimUpstream upstream(String name) {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(5)
                .groups(1)
                .seed(7)
                .urlForms(UrlForm.BRIDGE)
                .token("health-" + name + "-token-0123456789")
                .start();
        upstreams.add(upstream);
        return upstream;
    }

    private static List<String> ids(List<AccountHealthScheduler.DueCheck> due) {
        return due.stream().map(AccountHealthScheduler.DueCheck::accountId).toList();
    }

    private void sql(String statement, String id) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(statement)) {
            s.setString(1, id);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
