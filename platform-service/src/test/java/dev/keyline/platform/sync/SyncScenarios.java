package dev.keyline.platform.sync;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.account.AccountConnectors;
import dev.keyline.platform.account.AccountStatusTransitions;
import dev.keyline.platform.directory.IamIds;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.sync.SyncEvents.DirectoryChange;
import dev.keyline.platform.sync.SyncEvents.SyncFinished;
import dev.keyline.platform.sync.SyncRun.State;
import dev.keyline.platform.sync.SyncRun.Trigger;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.ScimUser;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.scheduler.Scheduler;
import io.restassured.path.json.JsonPath;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The core sync scenario, run against each MongoDB the tests have: mongo-java-server ({@link SyncTest}) and, where
 * a Docker engine exists, a real MongoDB ({@link RealMongoSyncTest}).
 */
abstract class SyncScenarios {

    @Inject
    SyncEngine engine;

    @Inject
    SyncConfig config;

    @Inject
    SyncRunStore runs;

    @Inject
    MongoStore store;

    @Inject
    AccountConnectors accounts;

    @Inject
    AccountStatusTransitions accountService;

    @Inject
    SyncPurger purger;

    @Inject
    Event<SyncFinished> finished;

    @Inject
    Event<DirectoryChange> changes;

    @Inject
    Scheduler scheduler;

    @Inject
    DataSource dataSource;

    protected final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stopUpstreams() {
        upstreams.forEach(ScimUpstream::close);
    }

    @Test
    void aLargeDirectorySyncsWithExactCountsAndASecondSyncLogsExactlyWhatChanged() {
        ScimUpstream upstream = upstream(3000, 20, 2);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);

        long started = System.nanoTime();
        String runId = as(tenant.apiKey())
                .post("/accounts/" + accountId + "/syncs")
                .then()
                .statusCode(202)
                .body("state", equalTo("queued"))
                .body("trigger", equalTo("manual"))
                .extract()
                .path("id");
        JsonPath run = awaitSync(tenant, accountId, runId);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("SYNC-METRIC first sync of 3000 users and 20 groups: %d ms%n", millis);
        assertThat(run.getString("state")).isEqualTo("succeeded");
        assertThat(run.getInt("users_seen")).isEqualTo(3000);
        assertThat(run.getInt("groups_seen")).isEqualTo(20);
        assertThat(run.getInt("added")).isEqualTo(3020);
        assertThat(run.getInt("updated")).isZero();
        assertThat(run.getInt("deleted")).isZero();
        assertThat(run.getInt("pages")).isEqualTo(15 + 1);
        assertThat(store.users().countDocuments(new org.bson.Document("account_id", accountId)))
                .isEqualTo(3000);
        List<Map<String, Object>> firstLog = changes(tenant, accountId, 0);
        assertThat(firstLog).hasSize(3020);
        assertThat(firstLog.stream()
                        .map(c -> ((Number) c.get("sequence")).longValue())
                        .toList())
                .as("sequences are 1..n without gaps")
                .isEqualTo(
                        java.util.stream.LongStream.rangeClosed(1, 3020).boxed().toList());

        // The upstream changes: adds, edits, suspensions and removals.
        List<ScimUser> users = upstream.directory().users();
        Set<String> added = new LinkedHashSet<>();
        for (int i = 0; i < 5; i++) {
            added.add(upstream.directory().addUser("New" + i, "Person").id());
        }
        Set<String> edited = new LinkedHashSet<>();
        for (ScimUser user : users.subList(10, 13)) {
            upstream.directory()
                    .updateUser(user.id(), u -> u.withNames("Renamed", u.familyName(), "Renamed " + u.familyName()));
            edited.add(user.id());
        }
        Set<String> suspended = new LinkedHashSet<>();
        for (ScimUser user : users.subList(20, 40)) {
            if (user.active() && suspended.size() < 4) {
                upstream.directory().suspendUser(user.id());
                suspended.add(user.id());
            }
        }
        Set<String> removed = new LinkedHashSet<>();
        Set<String> groupsOfRemoved = new HashSet<>();
        for (ScimUser user : users.subList(100, 106)) {
            groupsOfRemoved.addAll(user.groupIds());
            upstream.directory().removeUser(user.id());
            removed.add(user.id());
        }
        assertThat(suspended).hasSize(4);

        SyncRun second = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        assertThat(second.state()).isEqualTo(State.SUCCEEDED);
        assertThat(second.counts().added()).isEqualTo(5);
        assertThat(second.counts().updated()).isEqualTo(3 + 4 + groupsOfRemoved.size());
        assertThat(second.counts().deleted()).isEqualTo(6);
        assertThat(second.counts().usersSeen()).isEqualTo(3000 + 5 - 6);

        List<Map<String, Object>> log = changes(tenant, accountId, 3020);
        Map<String, String> expected = new HashMap<>();
        added.forEach(id -> expected.put("user:" + id, "created"));
        edited.forEach(id -> expected.put("user:" + id, "updated[name, first_name]"));
        suspended.forEach(id -> expected.put("user:" + id, "updated[status]"));
        removed.forEach(id -> expected.put("user:" + id, "deleted[]"));
        groupsOfRemoved.forEach(id -> expected.put("group:" + id, "updated[members, member_count]"));
        Map<String, String> actual = new HashMap<>();
        for (Map<String, Object> change : log) {
            String key = change.get("type") + ":" + change.get("remote_id");
            String value = "created".equals(change.get("change"))
                    ? "created"
                    : change.get("change") + change.get("fields").toString();
            assertThat(actual.put(key, value))
                    .as("one entry per record: %s", key)
                    .isNull();
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(log.get(0).get("sequence")).isEqualTo(3021);

        // A removed user is kept, marked deleted; it re-appears when the provider has it again.
        ScimUser comeback = users.get(100);
        upstream.directory().addUser(comeback);
        assertThat(engine.runNow(tenant.id(), accountId, Trigger.MANUAL)
                        .counts()
                        .reappeared())
                .isEqualTo(1);
        List<Map<String, Object>> third = changes(tenant, accountId, 3020 + log.size());
        assertThat(third.stream().filter(c -> c.get("type").equals("user")).toList())
                .singleElement()
                .satisfies(c -> {
                    assertThat(c.get("change")).isEqualTo("reappeared");
                    assertThat(c.get("id")).isEqualTo(IamIds.user(comeback.id()));
                });
    }

    protected ScimUpstream upstream(int users, int groups, int memberships) {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(users)
                .groups(groups)
                .membershipsPerUser(memberships)
                .seed(11)
                .urlForms(UrlForm.BRIDGE)
                .token("sync-token-" + users + "-0123456789")
                .start();
        upstreams.add(upstream);
        return upstream;
    }

    /** The change log after {@code since}, following {@code next} as {@code cursor} to the end. */
    protected static List<Map<String, Object>> changes(CreatedTenant tenant, String accountId, long since) {
        return changes(tenant, accountId, since, 1000);
    }

    protected static List<Map<String, Object>> changes(
            CreatedTenant tenant, String accountId, long since, int pageSize) {
        List<Map<String, Object>> all = new ArrayList<>();
        String next = null;
        do {
            var request = as(tenant.apiKey()).queryParam("page_size", pageSize);
            if (next == null) {
                request.queryParam("since", since);
            } else {
                request.queryParam("cursor", next);
            }
            JsonPath page = request.get("/v1/accounts/" + accountId + "/changes")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<Map<String, Object>> data = page.getList("data");
            assertThat(data.size()).isLessThanOrEqualTo(pageSize);
            all.addAll(data);
            next = page.getString("next");
        } while (next != null);
        return all;
    }

    protected static Map<Object, Map<String, Object>> byId(List<Map<String, Object>> records) {
        return records.stream().collect(Collectors.toMap(r -> r.get("id"), r -> r));
    }

    protected static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
