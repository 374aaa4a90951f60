package dev.keyline.platform.sync;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.operator;
import static dev.keyline.platform.support.TestApi.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.account.AccountStatusChanged;
import dev.keyline.platform.account.RecordedAccountEvents;
import dev.keyline.platform.iam.UpstreamGuards;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.sync.SyncRun.State;
import dev.keyline.platform.sync.SyncRun.Trigger;
import dev.keyline.scimdouble.Endpoint;
import dev.keyline.scimdouble.Fault;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.ScimUser;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What syncs do to their account: a rejected token or a refused deletion puts it in `error` (once), a confirmed
 * or completed sync brings it back, and an unlink (or a tenant's deletion) drops everything synced for it.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class SyncAccountStatusTest {

    @Inject
    SyncEngine engine;

    @Inject
    MongoStore store;

    @Inject
    SyncRunStore runs;

    @Inject
    RecordedAccountEvents events;

    @Inject
    UpstreamGuards guards;

    @Inject
    DataSource dataSource;

    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stopUpstreams() {
        upstreams.forEach(ScimUpstream::close);
    }

    @Test
    void aTokenRejectedMidSyncFailsTheRunMarksNothingDeletedAndPutsTheAccountInErrorAtOnce() {
        ScimUpstream upstream = upstream(700, 3);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-401", upstream);
        assertThat(engine.runNow(tenant.id(), accountId, Trigger.MANUAL).state())
                .isEqualTo(State.SUCCEEDED);
        for (ScimUser user : upstream.directory().users().subList(650, 660)) {
            upstream.directory().removeUser(user.id());
        }
        upstream.inject(Fault.unauthorized().on(Endpoint.LIST_USERS).fromPage(3));

        SyncRun failed = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);

        assertThat(failed.state()).isEqualTo(State.FAILED);
        assertThat(failed.errorCode()).isEqualTo("invalid_credentials");
        // The groups' page, then the two users' pages before the rejected one.
        assertThat(failed.counts().pages()).isEqualTo(1 + 2);
        assertThat(failed.counts().deleted()).isZero();
        assertThat(deletedUsers(accountId)).isZero();
        as(tenant.apiKey())
                .get("/accounts/" + accountId)
                .then()
                .body("status", equalTo("error"))
                .body("status_reason.code", equalTo("invalid_credentials"));
        assertThat(events.statusChanges(accountId)).singleElement().satisfies(e -> {
            assertThat(e.to()).isEqualTo("error");
            assertThat(e.code()).isEqualTo("invalid_credentials");
        });
        // The same failure again is no new transition.
        assertThat(engine.runNow(tenant.id(), accountId, Trigger.SCHEDULED).errorCode())
                .isEqualTo("invalid_credentials");
        assertThat(events.statusChanges(accountId)).hasSize(1);

        // A temporary fault of the provider fails the run but leaves the account's status alone.
        upstream.clearFaults();
        upstream.inject(Fault.unavailable().on(Endpoint.LIST_USERS).fromPage(2));
        SyncRun unavailable = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        assertThat(unavailable.errorCode()).isEqualTo("upstream_unavailable");
        assertThat(events.statusChanges(accountId)).hasSize(1);

        upstream.clearFaults();
        SyncRun recovered = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        assertThat(recovered.state()).isEqualTo(State.SUCCEEDED);
        assertThat(recovered.counts().deleted()).isEqualTo(10);
        as(tenant.apiKey()).get("/accounts/" + accountId).then().body("status", equalTo("active"));
        assertThat(events.statusChanges(accountId).stream().map(AccountStatusChanged::to))
                .containsExactly("error", "active");
    }

    @Test
    void aTrippedGuardPutsTheAccountInErrorAndAnOperatorsConfirmationAppliesTheDeletionsOnce() {
        ScimUpstream upstream = upstream(40, 2);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-guard", upstream);
        engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        // Nothing to confirm yet.
        as(tenant.apiKey())
                .body(Map.of("confirm_deletions", true))
                .post("/accounts/" + accountId + "/syncs")
                .then()
                .statusCode(409)
                .body("code", equalTo("nothing_to_confirm"));
        for (ScimUser user : upstream.directory().users().subList(0, 30)) {
            upstream.directory().removeUser(user.id());
        }

        SyncRun refused = engine.runNow(tenant.id(), accountId, Trigger.SCHEDULED);

        assertThat(refused.errorCode()).isEqualTo("deletion_guard");
        assertThat(deletedUsers(accountId)).isZero();
        as(tenant.apiKey())
                .get("/accounts/" + accountId)
                .then()
                .body("status", equalTo("error"))
                .body("status_reason.code", equalTo("deletion_guard"))
                .body("status_reason.message", org.hamcrest.Matchers.containsString("30 of 40 users"))
                .body("status_reason.message", org.hamcrest.Matchers.containsString("confirm_deletions"));
        assertThat(events.statusChanges(accountId))
                .singleElement()
                .satisfies(e -> assertThat(e.code()).isEqualTo("deletion_guard"));
        // A passing credential check does not clear it: the deletions still wait for the operator.
        as(tenant.apiKey())
                .post("/accounts/" + accountId + "/check")
                .then()
                .statusCode(200)
                .body("status", equalTo("error"))
                .body("status_reason.code", equalTo("deletion_guard"));

        String runId = as(tenant.apiKey())
                .body(Map.of("confirm_deletions", true))
                .post("/accounts/" + accountId + "/syncs")
                .then()
                .statusCode(202)
                .body("confirm_deletions", equalTo(true))
                .extract()
                .path("id");
        SyncRun confirmed = awaitFinished(runId);
        assertThat(confirmed.state()).isEqualTo(State.SUCCEEDED);
        assertThat(confirmed.confirmDeletions()).isTrue();
        assertThat(confirmed.counts().deleted()).isEqualTo(30);
        assertThat(deletedUsers(accountId)).isEqualTo(30);
        // The run's end is recorded before the account's status (RunOutcome): wait for the latter.
        awaitStatus(tenant, accountId, "active");
        as(tenant.apiKey())
                .get("/accounts/" + accountId)
                .then()
                .body("status", equalTo("active"))
                .body("status_reason", org.hamcrest.Matchers.nullValue());
        assertThat(events.statusChanges(accountId).stream().map(AccountStatusChanged::to))
                .containsExactly("error", "active");

        // The confirmation was for that run only: the guard holds again for the next one.
        for (ScimUser user : upstream.directory().users().subList(0, 6)) {
            upstream.directory().removeUser(user.id());
        }
        assertThat(engine.runNow(tenant.id(), accountId, Trigger.MANUAL).errorCode())
                .isEqualTo("deletion_guard");
        as(tenant.apiKey())
                .body("{\"confirm_deletions\": tru")
                .post("/accounts/" + accountId + "/syncs")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_request"));
        // A plain POST still starts an ordinary sync (no body at all, as curl -X POST sends).
        io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + tenant.apiKey())
                .post("/accounts/" + accountId + "/syncs")
                .then()
                .statusCode(202)
                .body("confirm_deletions", equalTo(false));
    }

    @Test
    void unlinkingDropsTheSyncedDataTheChangeLogTheLeaseAndTheGuard() throws Exception {
        ScimUpstream upstream = upstream(30, 2);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-unlink", upstream);
        String keptId = linkOnePassword(tenant, "org-kept", upstream);
        engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        engine.runNow(tenant.id(), keptId, Trigger.MANUAL);
        read(tenant, accountId)
                .queryParam("mode", "live")
                .get("/iam/users")
                .then()
                .statusCode(200);
        assertThat(guards.holds(accountId)).isTrue();
        assertThat(mongoCount(accountId)).isGreaterThan(60);
        assertThat(leaseRows(accountId)).isEqualTo(1);

        as(tenant.apiKey()).delete("/accounts/" + accountId).then().statusCode(204);

        assertThat(mongoCount(accountId)).isZero();
        assertThat(store.sequences().countDocuments(new Document("_id", tenant.id() + "|" + accountId)))
                .isZero();
        assertThat(leaseRows(accountId)).isZero();
        assertThat(guards.holds(accountId)).isFalse();
        assertThat(events.unlinks(accountId)).hasSize(1);
        assertThat(mongoCount(keptId)).as("the other account keeps its data").isGreaterThan(60);
        as(tenant.apiKey())
                .get("/accounts/" + accountId + "/snapshot")
                .then()
                .statusCode(409)
                .body("code", equalTo("account_not_active"));

        // Deleting the tenant drops its remaining accounts' data too.
        operator().delete("/tenants/" + tenant.id()).then().statusCode(204);
        assertThat(mongoCount(keptId)).isZero();
        assertThat(events.unlinks(keptId)).hasSize(1);
    }

    @Test
    void aSyncRunningWhenItsAccountIsUnlinkedStopsAndLeavesNothingBehind() throws Exception {
        ScimUpstream upstream = upstream(1200, 2);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-running", upstream);
        // Slow enough that the listing (six pages, four in flight) outlasts the unlink even on a loaded machine: at
        // 150 ms a full suite on two busy cores once saw all 1200 users before the unlink landed.
        upstream.latency(Duration.ofMillis(500));
        SyncRun run = engine.enqueue(tenant.id(), accountId, Trigger.MANUAL);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (runs.find(run.id()).orElseThrow().counts().pages() < 1) {
            assertThat(System.nanoTime()).as("the sync got going").isLessThan(deadline);
            Thread.sleep(20);
        }

        as(tenant.apiKey()).delete("/accounts/" + accountId).then().statusCode(204);

        SyncRun stopped = awaitFinished(run.id());
        assertThat(stopped.state()).isEqualTo(State.FAILED);
        assertThat(stopped.errorCode()).isEqualTo("account_unlinked");
        assertThat(stopped.counts().usersSeen()).isLessThan(1200);
        assertThat(mongoCount(accountId)).isZero();
        assertThat(leaseRows(accountId)).isZero();
    }

    private static void awaitStatus(CreatedTenant tenant, String accountId, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            String now = as(tenant.apiKey())
                    .get("/accounts/" + accountId)
                    .then()
                    .extract()
                    .path("status");
            if (status.equals(now)) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private SyncRun awaitFinished(String runId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            SyncRun run = runs.find(runId).orElseThrow();
            if (run.state() == State.SUCCEEDED || run.state() == State.FAILED) {
                return run;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("run " + runId + " did not finish");
    }

    private long deletedUsers(String accountId) {
        return store.users().countDocuments(new Document("account_id", accountId).append("remote_was_deleted", true));
    }

    private long mongoCount(String accountId) {
        Document mine = new Document("account_id", accountId);
        return store.users().countDocuments(mine)
                + store.groups().countDocuments(mine)
                + store.changes().countDocuments(mine);
    }

    private int leaseRows(String accountId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select count(*) from sync_leases where account_id = ?")) {
            s.setString(1, accountId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private ScimUpstream upstream(int users, int groups) {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(users)
                .groups(groups)
                .membershipsPerUser(1)
                .seed(5)
                .urlForms(UrlForm.BRIDGE)
                .token("status-token-" + users + "-0123456789")
                .start();
        upstreams.add(upstream);
        return upstream;
    }
}
