package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.User;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.ReviewDirectoryConnectorFactory;
import dev.keyline.platform.support.ReviewDirectoryConnectorFactory.Directory;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.sync.SyncRun.Mode;
import dev.keyline.platform.sync.SyncRun.State;
import dev.keyline.platform.sync.SyncRun.Trigger;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Syncs of a connector with a user change feed: after a full sync, runs read only the users changed since, still
 * see memberships change on the groups' side, mark deleted only whom the provider says is gone, and fall back to a
 * full sync when the provider no longer honours the watermark, when deletions are confirmed, or when one is due.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class IncrementalSyncTest {

    @Inject
    SyncEngine engine;

    @Inject
    MongoStore store;

    private static User user(String id, String username, String title) {
        return User.builder(id)
                .username(username)
                .primaryEmailAddress(username + "@example.com")
                .title(title)
                .build();
    }

    private static Group group(String id, String... members) {
        List<MemberRef> refs =
                List.of(members).stream().map(m -> new MemberRef(m, null)).toList();
        return new Group(id, "Group " + id, null, null, refs, null, null, null, null, false);
    }

    /** Four users; alice carries a group of her own (as some providers list it), the rest come from the groups. */
    private static Directory directory(String name) {
        Directory d = ReviewDirectoryConnectorFactory.create(name);
        d.changeFeed = true;
        d.put(User.builder("u1")
                .username("alice")
                .groups(List.of(new GroupRef("g-own", "Own")))
                .build());
        d.put(user("u2", "bob", "Engineer"));
        d.put(user("u3", "carol", null));
        d.put(user("u4", "dave", null));
        d.groups.add(group("g-staff", "u2", "u4"));
        return d;
    }

    private Map<String, Document> users(CreatedTenant tenant, String accountId) {
        Map<String, Document> byId = new HashMap<>();
        store.users()
                .find(and(eq("tenant_id", tenant.id()), eq("account_id", accountId)))
                .forEach(d -> byId.put(d.getString("remote_id"), d));
        return byId;
    }

    private static long lastSequence(CreatedTenant tenant, String accountId) {
        List<Map<String, Object>> all = SyncScenarios.changes(tenant, accountId, 0);
        return all.isEmpty() ? 0 : ((Number) all.get(all.size() - 1).get("sequence")).longValue();
    }

    private SyncRun sync(CreatedTenant tenant, String accountId) {
        SyncRun run = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        assertThat(run.state()).as("run %s: %s", run.id(), run.errorMessage()).isEqualTo(State.SUCCEEDED);
        return run;
    }

    @Test
    void afterAFullSyncOnlyChangesAreReadAndGroupSideMembershipStillFollows() {
        String name = "feed-" + UUID.randomUUID();
        Directory directory = directory(name);
        CreatedTenant tenant = newTenant();
        String accountId = ReviewDirectoryConnectorFactory.link(tenant, name);

        SyncRun first = sync(tenant, accountId);
        assertThat(first.mode()).isEqualTo(Mode.FULL);
        assertThat(directory.reads).containsKey("watermark");
        int userListings = directory.reads.getOrDefault("users", 0);
        long seen = lastSequence(tenant, accountId);

        directory.put(user("u2", "bob", "Staff Engineer"));
        directory.remove("u4");
        directory.put(user("u5", "erin", null));
        // Carol joins the staff on the group's side only: the feed does not report her.
        directory.groups.set(0, group("g-staff", "u2", "u3", "u5"));

        SyncRun second = sync(tenant, accountId);

        assertThat(second.mode()).isEqualTo(Mode.INCREMENTAL);
        assertThat(directory.reads.getOrDefault("users", 0))
                .as("an incremental run lists no users")
                .isEqualTo(userListings);
        assertThat(second.counts().usersSeen()).as("bob and erin").isEqualTo(2);
        as(tenant.apiKey())
                .get("/accounts/" + accountId + "/syncs/" + second.id())
                .then()
                .statusCode(200)
                .body("mode", equalTo("incremental"));

        Map<String, Document> users = users(tenant, accountId);
        assertThat(users.get("u2").get("record", Document.class).getString("title"))
                .isEqualTo("Staff Engineer");
        assertThat(users.get("u4").getBoolean("remote_was_deleted")).isTrue();
        assertThat(users.get("u5").getList("group_ids", String.class)).containsExactly("g-staff");
        assertThat(users.get("u3").getList("group_ids", String.class))
                .as("joined again with the walked groups")
                .containsExactly("g-staff");
        assertThat(users.get("u1").getList("group_ids", String.class))
                .as("alice's own group survives a run that did not list her")
                .containsExactly("g-own");

        List<Map<String, Object>> changes = SyncScenarios.changes(tenant, accountId, seen);
        Map<String, Object> byUser = new HashMap<>();
        changes.stream()
                .filter(c -> "user".equals(c.get("type")))
                .forEach(c -> byUser.put((String) c.get("remote_id"), c.get("change")));
        assertThat(byUser)
                .containsEntry("u2", "updated")
                .containsEntry("u3", "updated")
                .containsEntry("u4", "deleted")
                .containsEntry("u5", "created")
                .doesNotContainKey("u1");
        assertThat(changes)
                .filteredOn(c -> "u3".equals(c.get("remote_id")))
                .singleElement()
                .satisfies(c -> assertThat(c.get("fields"))
                        .asInstanceOf(InstanceOfAssertFactories.LIST)
                        .contains("groups"));

        // Nothing changed: nothing is reported, and the feed continues from where it ended.
        long after = lastSequence(tenant, accountId);
        SyncRun third = sync(tenant, accountId);
        assertThat(third.mode()).isEqualTo(Mode.INCREMENTAL);
        assertThat(third.counts().usersSeen()).isZero();
        assertThat(SyncScenarios.changes(tenant, accountId, after)).isEmpty();
    }

    @Test
    void aWatermarkTheProviderNoLongerHonoursMeansAFullSyncThatFindsTheSilentlyGone() {
        String name = "feed-" + UUID.randomUUID();
        Directory directory = directory(name);
        CreatedTenant tenant = newTenant();
        String accountId = ReviewDirectoryConnectorFactory.link(tenant, name);
        sync(tenant, accountId);

        directory.watermarkExpired = true;
        // Gone without the feed saying so: only a full listing can tell.
        directory.users.removeIf(u -> u.remoteId().equals("u3"));
        SyncRun run = sync(tenant, accountId);

        assertThat(run.mode()).isEqualTo(Mode.FULL);
        assertThat(users(tenant, accountId).get("u3").getBoolean("remote_was_deleted"))
                .isTrue();
    }

    @Test
    void confirmedDeletionsAndADueFullSyncWalkEverything() {
        String name = "feed-" + UUID.randomUUID();
        Directory directory = directory(name);
        CreatedTenant tenant = newTenant();
        String accountId = ReviewDirectoryConnectorFactory.link(tenant, name);
        sync(tenant, accountId);

        SyncRun confirmed = engine.runNow(tenant.id(), accountId, Trigger.MANUAL, true);
        assertThat(confirmed.mode()).isEqualTo(Mode.FULL);

        Instant now = Instant.now();
        Duration every = Duration.ofHours(24);
        assertThat(UserWatermarks.incrementalFrom(store, tenant.id(), accountId, now, every))
                .isPresent();
        assertThat(UserWatermarks.incrementalFrom(store, tenant.id(), accountId, now.plus(Duration.ofHours(25)), every))
                .as("a day after the last full sync")
                .isEmpty();
        assertThat(directory.reads.getOrDefault("changes", 0))
                .as("a confirmed run reads no changes")
                .isZero();
    }
}
