package dev.keyline.platform.sync;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.read;
import static dev.keyline.platform.support.TestApi.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.directory.IamIds;
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
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Syncs of a real 1Password connector against the kit's SCIM upstream into mongo-java-server, with runs and
 * leases in embedded PostgreSQL.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class SyncTest extends SyncScenarios {

    @Test
    void aSyncFailingOnPage7MarksNothingDeletedAndRecordsTheFailure() {
        ScimUpstream upstream = upstream(1500, 3, 1);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        assertThat(engine.runNow(tenant.id(), accountId, Trigger.MANUAL).state())
                .isEqualTo(State.SUCCEEDED);

        List<ScimUser> users = upstream.directory().users();
        for (ScimUser user : users.subList(1400, 1410)) {
            upstream.directory().removeUser(user.id());
        }
        upstream.inject(Fault.serverError().on(Endpoint.LIST_USERS).fromPage(7));

        SyncRun failed = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);

        assertThat(failed.state()).isEqualTo(State.FAILED);
        assertThat(failed.errorCode()).isIn("upstream_unavailable", "upstream_error");
        assertThat(failed.errorMessage()).isNotBlank();
        // The groups' page comes first (membership is joined onto users), then six pages of users.
        assertThat(failed.counts().pages()).isEqualTo(1 + 6);
        assertThat(failed.counts().groupsSeen()).isEqualTo(3);
        assertThat(failed.counts().usersSeen()).isEqualTo(1200);
        assertThat(failed.counts().deleted()).isZero();
        assertThat(store.users()
                        .countDocuments(
                                new org.bson.Document("account_id", accountId).append("remote_was_deleted", true)))
                .isZero();
        as(tenant.apiKey())
                .get("/accounts/" + accountId + "/syncs")
                .then()
                .statusCode(200)
                .body("data[0].id", equalTo(failed.id()))
                .body("data[0].state", equalTo("failed"))
                .body("data[0].error.code", equalTo(failed.errorCode()))
                .body("data[1].state", equalTo("succeeded"));
        // Synced reads still serve the last complete picture, removed users included.
        read(tenant, accountId)
                .queryParam("username", users.get(1405).userName())
                .get("/iam/users")
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(1))
                .body("meta.mode", equalTo("synced"));
    }

    @Test
    void theDeletionGuardRefusesToMarkMoreThanHalfTheUsersDeleted() {
        ScimUpstream upstream = upstream(40, 2, 1);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        List<ScimUser> users = upstream.directory().users();
        for (ScimUser user : users.subList(0, 21)) {
            upstream.directory().removeUser(user.id());
        }

        SyncRun refused = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);

        assertThat(refused.state()).isEqualTo(State.FAILED);
        assertThat(refused.errorCode()).isEqualTo("deletion_guard");
        assertThat(refused.errorMessage()).contains("21 of 40 users").contains("nothing was marked deleted");
        assertThat(refused.counts().deleted()).isZero();
        read(tenant, accountId)
                .queryParam("page_size", "100")
                .get("/iam/users")
                .then()
                .body("data.size()", equalTo(40));

        // Exactly half is allowed.
        upstream.directory().addUser(users.get(0));
        SyncRun allowed = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        assertThat(allowed.state()).isEqualTo(State.SUCCEEDED);
        assertThat(allowed.counts().deleted()).isEqualTo(20);
    }

    @Test
    void anEmptyPageInTheMiddleFailsTheSyncAndMarksNothingDeleted() {
        ScimUpstream upstream = upstream(500, 2, 1);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        // An empty page while records remain at that index: the SCIM listing proves the page lost and fails,
        // rather than ending early and letting the sync take 300 unseen users for deleted.
        upstream.inject(Fault.emptyPage().on(Endpoint.LIST_USERS).onPage(2));

        SyncRun run = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);

        assertThat(run.counts().usersSeen()).isLessThan(500);
        assertThat(run.state()).isEqualTo(State.FAILED);
        assertThat(run.errorCode()).isEqualTo("upstream_error");
        assertThat(store.users()
                        .countDocuments(
                                new org.bson.Document("account_id", accountId).append("remote_was_deleted", true)))
                .isZero();
    }

    @Test
    void anAccountGetsItsOwnSyncInterval() {
        ScimUpstream upstream = upstream(5, 1, 1);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        String path = "/accounts/" + accountId + "/sync-schedule";
        as(tenant.apiKey())
                .get(path)
                .then()
                .statusCode(200)
                .body("interval_seconds", org.hamcrest.Matchers.nullValue())
                .body("effective_interval_seconds", equalTo(3600));
        SyncRun run = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);

        JsonPath schedule = as(tenant.apiKey())
                .body(Map.of("interval_seconds", 600))
                .put(path)
                .then()
                .statusCode(200)
                .body("interval_seconds", equalTo(600))
                .body("effective_interval_seconds", equalTo(600))
                .extract()
                .jsonPath();
        Instant lastSuccess = Instant.parse(schedule.getString("last_success_at"));
        assertThat(lastSuccess).isAfterOrEqualTo(run.startedAt());
        assertThat(Instant.parse(schedule.getString("next_due_at"))).isEqualTo(lastSuccess.plusSeconds(600));

        as(tenant.apiKey())
                .body(Map.of("interval_seconds", 30))
                .put(path)
                .then()
                .statusCode(400)
                .body("field", equalTo("interval_seconds"));
        as(newTenant().apiKey()).get(path).then().statusCode(404);
    }

    @Test
    void twoReplicasRacingForOneAccountRunExactlyOneSync() throws Exception {
        ScimUpstream upstream = upstream(60, 2, 1);
        upstream.latency(Duration.ofMillis(300));
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        SyncEngine otherReplica = new SyncEngine(
                config, runs, store, accounts, accountService, purger, finished, changes, scheduler, "replica-other");
        try {
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<SyncRun> first = CompletableFuture.supplyAsync(() -> {
                await(go);
                return engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
            });
            CompletableFuture<SyncRun> second = CompletableFuture.supplyAsync(() -> {
                await(go);
                return otherReplica.runNow(tenant.id(), accountId, Trigger.SCHEDULED);
            });
            go.countDown();
            List<SyncRun> outcomes = List.of(first.get(), second.get());

            assertThat(outcomes.stream().map(SyncRun::state)).containsExactlyInAnyOrder(State.SUCCEEDED, State.FAILED);
            SyncRun loser = outcomes.stream()
                    .filter(r -> r.state() == State.FAILED)
                    .findFirst()
                    .orElseThrow();
            assertThat(loser.errorCode()).isEqualTo("sync_in_progress");
            assertThat(loser.counts().pages()).isZero();
        } finally {
            otherReplica.shutdown();
        }
    }

    @Test
    void aRunLeftByACrashedReplicaIsFailedAndItsExpiredLeaseIsRetaken() throws Exception {
        ScimUpstream upstream = upstream(30, 2, 1);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        SyncRun crashed = runs.create("syn_crashed_" + accountId, tenant.id(), accountId, Trigger.SCHEDULED);
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate(
                    "update sync_runs set state = 'running', started_at = now() where id = '" + crashed.id() + "'");
            s.executeUpdate("insert into sync_leases (account_id, tenant_id, owner, run_id, expires_at) values ('"
                    + accountId + "', '" + tenant.id() + "', 'replica-dead', '" + crashed.id()
                    + "', now() - interval '1 second')");
        }

        SyncRun next = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);

        assertThat(next.state()).isEqualTo(State.SUCCEEDED);
        SyncRun orphan = runs.find(crashed.id()).orElseThrow();
        assertThat(orphan.state()).isEqualTo(State.FAILED);
        assertThat(orphan.errorCode()).isEqualTo("lease_expired");
    }

    @Test
    void syncedReadsPageAndFilterWithTheSameShapesAndIdsAsLiveReads() {
        ScimUpstream upstream = upstream(57, 9, 3);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        read(tenant, accountId).get("/iam/users").then().statusCode(200).body("meta.mode", equalTo("live"));
        read(tenant, accountId)
                .queryParam("mode", "synced")
                .get("/iam/users")
                .then()
                .statusCode(409)
                .body("code", equalTo("not_synced"));
        engine.runNow(tenant.id(), accountId, Trigger.INITIAL);

        for (String kind : List.of("users", "groups")) {
            List<Map<String, Object>> live = readAll(tenant, accountId, "/iam/" + kind + "?mode=live", 10);
            List<Map<String, Object>> synced = readAll(tenant, accountId, "/iam/" + kind, 10);
            assertThat(synced).hasSize(kind.equals("users") ? 57 : 9);
            Map<Object, Map<String, Object>> liveById = byId(live);
            Map<Object, Map<String, Object>> syncedById = byId(synced);
            assertThat(syncedById.keySet()).isEqualTo(liveById.keySet());
            for (Object id : liveById.keySet()) {
                Map<String, Object> l = new HashMap<>(liveById.get(id));
                Map<String, Object> s = new HashMap<>(syncedById.get(id));
                if (kind.equals("users")) {
                    assertThat(s.get("first_seen_at")).as("first seen").isNotNull();
                }
                for (String field : List.of("first_seen_at", "last_seen_at")) {
                    l.remove(field);
                    s.remove(field);
                }
                if (kind.equals("groups")) {
                    // Member order is the provider's listing order live, the stored order synced.
                    l.put("members", new HashSet<>((List<?>) l.get("members")));
                    s.put("members", new HashSet<>((List<?>) s.get("members")));
                }
                assertThat(s).as("%s %s", kind, id).isEqualTo(l);
            }
        }
        JsonPath page = read(tenant, accountId)
                .get("/iam/users")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(page.getString("meta.mode")).isEqualTo("synced");
        assertThat(Instant.parse(page.getString("meta.synced_at")))
                .isBefore(Instant.now().plusSeconds(1));

        // Filters.
        List<ScimUser> users = upstream.directory().users();
        long disabled = users.stream().filter(u -> !u.active()).count();
        assertThat(readAll(tenant, accountId, "/iam/users?status=disabled", 3)).hasSize((int) disabled);
        ScimUser someone = users.get(5);
        read(tenant, accountId)
                .queryParam("email", someone.primaryEmail().orElseThrow().toUpperCase())
                .get("/iam/users")
                .then()
                .body("data.size()", equalTo(1))
                .body("data[0].id", equalTo(IamIds.user(someone.id())));
        read(tenant, accountId)
                .queryParam("username", someone.userName())
                .get("/iam/users")
                .then()
                .body("data.size()", equalTo(1));

        // Paging stays stable across a sync that adds, changes and deletes records.
        JsonPath first = read(tenant, accountId)
                .queryParam("page_size", 20)
                .get("/iam/users")
                .then()
                .extract()
                .jsonPath();
        Instant between = Instant.now();
        upstream.directory().updateUser(users.get(50).id(), u -> u.withNames("Late", u.familyName(), "Late Edit"));
        upstream.directory().removeUser(users.get(51).id());
        engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        List<Map<String, Object>> rest = new ArrayList<>(first.getList("data"));
        String next = first.getString("next");
        while (next != null) {
            JsonPath more = read(tenant, accountId)
                    .queryParam("page_size", 20)
                    .queryParam("cursor", next)
                    .get("/iam/users")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            rest.addAll(more.getList("data"));
            next = more.getString("next");
        }
        // Each record once; the removed one only if the first page had already served it.
        Set<String> originalIds = users.stream().map(u -> IamIds.user(u.id())).collect(Collectors.toSet());
        Set<Object> seen = byId(rest).keySet();
        assertThat(seen).hasSize(rest.size());
        assertThat(originalIds).containsAll(seen.stream().map(String::valueOf).toList());
        Set<String> expectedSeen = new HashSet<>(originalIds);
        expectedSeen.remove(IamIds.user(users.get(51).id()));
        assertThat(seen.stream().map(String::valueOf).toList()).containsAll(expectedSeen);

        List<Map<String, Object>> changed = readAll(tenant, accountId, "/iam/users?updated_after=" + between, 10);
        assertThat(changed.stream().map(u -> u.get("remote_id")).toList())
                .containsExactly(users.get(50).id());
        List<Map<String, Object>> withDeleted =
                readAll(tenant, accountId, "/iam/users?include_deleted=true&updated_after=" + between, 10);
        assertThat(withDeleted).hasSize(2);
        Map<String, Object> gone = withDeleted.stream()
                .filter(u -> users.get(51).id().equals(u.get("remote_id")))
                .findFirst()
                .orElseThrow();
        assertThat(gone.get("remote_was_deleted")).isEqualTo(true);
        assertThat(gone.get("deleted_at")).isNotNull();
        read(tenant, accountId)
                .get("/iam/users/" + IamIds.user(users.get(51).id()))
                .then()
                .statusCode(200)
                .body("remote_was_deleted", equalTo(true));
        read(tenant, accountId)
                .queryParam("mode", "live")
                .queryParam("include_deleted", "true")
                .get("/iam/users")
                .then()
                .statusCode(400)
                .body("code", equalTo("conflicting_parameters"))
                .body("field", equalTo("mode"));

        // Another tenant sees nothing of the account's syncs, changes or synced data.
        CreatedTenant other = newTenant();
        for (String path : List.of("/accounts/" + accountId + "/syncs", "/accounts/" + accountId + "/changes")) {
            as(other.apiKey()).get(path).then().statusCode(404).body("code", equalTo("not_found"));
        }
        as(other.apiKey()).post("/accounts/" + accountId + "/syncs").then().statusCode(404);
        read(other, accountId)
                .queryParam("mode", "synced")
                .get("/iam/users")
                .then()
                .statusCode(404);
    }

    @Test
    void aNewRecordThatExistsByTheTimeItIsInsertedIsUpsertedInstead() {
        String tenant = "ten_insert_" + System.nanoTime();
        String account = "acc_insert_" + System.nanoTime();
        List<Long> sequences = new ArrayList<>();
        SyncPass pass = new SyncPass(
                store, tenant, account, "run_1", java.time.Clock.systemUTC(), c -> sequences.add(c.sequence()));
        // The account is empty when this run starts, so it skips looking its records up...
        pass.usersApply(List.of(incoming("u0", "zero", "h0")));
        // ...and another writer stores u1 meanwhile: the run's insert of u1 meets it as a duplicate.
        SyncPass other = new SyncPass(store, tenant, account, "run_other", java.time.Clock.systemUTC(), c -> {});
        other.usersApply(List.of(incoming("u1", "first", "h1")));
        org.bson.Document theirs = storedUser(tenant, account, "u1");

        pass.usersApply(List.of(new SyncPass.Incoming(
                "u1",
                new org.bson.Document("username", "second"),
                "h2",
                "{\"id\":\"u1\"}",
                new org.bson.Document("username_lc", "second"))));

        assertThat(store.users()
                        .countDocuments(new org.bson.Document("tenant_id", tenant).append("account_id", account)))
                .isEqualTo(2);
        org.bson.Document record = storedUser(tenant, account, "u1");
        assertThat(record.get("record", org.bson.Document.class).getString("username"))
                .isEqualTo("second");
        assertThat(record.getString("hash")).isEqualTo("h2");
        assertThat(record.getString("raw_json")).isEqualTo("{\"id\":\"u1\"}");
        assertThat(record.getString("username_lc")).isEqualTo("second");
        assertThat(record.getString("seen_in_run")).isEqualTo("run_1");
        assertThat(record.getDate("first_seen_at")).isEqualTo(theirs.getDate("first_seen_at"));
        assertThat(record.getBoolean("remote_was_deleted")).isFalse();
        assertThat(sequences).hasSize(2);

        // Seen again in a later run: updated in place, first seen unchanged, nothing logged when nothing changed.
        SyncPass again = new SyncPass(
                store, tenant, account, "run_2", java.time.Clock.systemUTC(), c -> sequences.add(c.sequence()));
        again.usersApply(List.of(new SyncPass.Incoming(
                "u1",
                new org.bson.Document("username", "second"),
                "h2",
                null,
                new org.bson.Document("username_lc", "second"))));
        org.bson.Document after = storedUser(tenant, account, "u1");
        assertThat(after.getString("seen_in_run")).isEqualTo("run_2");
        assertThat(after.getDate("first_seen_at")).isEqualTo(theirs.getDate("first_seen_at"));
        assertThat(sequences).hasSize(2);
        assertThat(again.counts().added()).isZero();
    }

    @Test
    void aRecordListedTwiceIsNewOnceAndLoggedOnce() {
        // An offset-paged listing repeats a record when one is added ahead of its cursor: the copy lands on the same
        // or the next page. With a writer, the first copy may still be on its way to the store when the next page
        // is looked up; on a first sync nothing is looked up at all.
        for (boolean withWriter : List.of(false, true)) {
            String tenant = "ten_twice_" + System.nanoTime();
            String account = "acc_twice_" + System.nanoTime();
            List<SyncEvents.DirectoryChange> changes = new ArrayList<>();
            java.util.concurrent.ExecutorService writer =
                    withWriter ? java.util.concurrent.Executors.newSingleThreadExecutor() : null;
            try {
                SyncPass pass = new SyncPass(
                        store, tenant, account, "run_1", java.time.Clock.systemUTC(), changes::add, writer);
                pass.usersApply(List.of(
                        incoming("u1", "one", "h1"), incoming("u2", "two", "h2"), incoming("u1", "one-b", "h1b")));
                pass.usersApply(List.of(incoming("u2", "two", "h2"), incoming("u3", "three", "h3")));
                pass.usersApply(List.of(incoming("u3", "three-b", "h3b"), incoming("u4", "four", "h4")));
                pass.settle();

                assertThat(changes)
                        .extracting(c -> c.change() + " " + c.remoteId())
                        .as("with writer: %s", withWriter)
                        .containsExactly("created u1", "created u2", "created u3", "updated u3", "created u4");
                assertThat(pass.counts().added()).isEqualTo(4);
                assertThat(pass.counts().updated()).isEqualTo(1);
                assertThat(pass.counts().usersSeen()).isEqualTo(4);
                assertThat(store.users()
                                .countDocuments(
                                        new org.bson.Document("tenant_id", tenant).append("account_id", account)))
                        .isEqualTo(4);
                // The last copy listed is what is stored.
                assertThat(storedUser(tenant, account, "u1")
                                .get("record", org.bson.Document.class)
                                .getString("username"))
                        .isEqualTo("one-b");
                assertThat(storedUser(tenant, account, "u3")
                                .get("record", org.bson.Document.class)
                                .getString("username"))
                        .isEqualTo("three-b");
            } finally {
                if (writer != null) {
                    writer.shutdownNow();
                }
            }
        }
    }

    private static SyncPass.Incoming incoming(String remoteId, String username, String hash) {
        return new SyncPass.Incoming(
                remoteId,
                new org.bson.Document("username", username),
                hash,
                null,
                new org.bson.Document("username_lc", username));
    }

    private org.bson.Document storedUser(String tenant, String account, String remoteId) {
        return store.users()
                .find(new org.bson.Document("tenant_id", tenant)
                        .append("account_id", account)
                        .append("remote_id", remoteId))
                .first();
    }
}
