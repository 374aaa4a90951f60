package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Mfa;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleScope;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserType;
import dev.keyline.connector.model.UserTypeValue;
import dev.keyline.platform.directory.IamIds;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.ReviewDirectoryConnectorFactory;
import dev.keyline.platform.support.ReviewDirectoryConnectorFactory.Directory;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.sync.SyncRun.State;
import dev.keyline.platform.sync.SyncRun.Trigger;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/**
 * Syncs of a provider that lists membership only on groups and assignments only on roles (review-test): both sides
 * are filled in the store, the change log, the filter fields and the snapshot.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class ReviewSyncTest {
    private static final Instant LOGIN = Instant.parse("2026-11-02T09:15:30.123Z");

    @Inject
    SyncEngine engine;

    @Inject
    MongoStore store;

    private static User user(String id, String username) {
        return User.builder(id)
                .username(username)
                .name(username)
                .primaryEmailAddress(username + "@example.com")
                .build();
    }

    private static Group group(String id, Boolean privileged, String... members) {
        List<MemberRef> refs =
                List.of(members).stream().map(m -> new MemberRef(m, null)).toList();
        return new Group(id, "Group " + id, null, null, refs, null, null, null, null, privileged);
    }

    private static Role role(String id, Boolean privileged, List<String> users, List<String> groups) {
        return Role.builder(id)
                .name("Role " + id)
                .privileged(privileged)
                .scope(RoleScope.ORG_WIDE)
                .permissions(List.of("read", "=cmd"))
                .members(users.stream().map(u -> new MemberRef(u, null)).toList())
                .groups(groups.stream().map(g -> new GroupRef(g, null)).toList())
                .build();
    }

    /** Four users with no groups of their own; two groups and five roles, all marked, listing them. */
    private static Directory directory(String name) {
        Directory d = ReviewDirectoryConnectorFactory.create(name);
        d.users.add(User.builder("u1")
                .username("alice")
                .name("Alice")
                .mfa(new Mfa(true, List.of("totp")))
                .lastLoginAt(LOGIN)
                .type(new UserType(UserTypeValue.MEMBER, "Member"))
                .department("Security")
                .title("Lead")
                .managerRemoteId("u2")
                .build());
        d.users.add(User.builder("u2")
                .username("bob")
                .mfa(new Mfa(false, null))
                .type(new UserType(UserTypeValue.GUEST, "Guest"))
                .build());
        d.users.add(User.builder("u3")
                .username("svc-backup")
                .type(new UserType(UserTypeValue.SERVICE, "ServiceAccount"))
                .build());
        d.users.add(user("u4", "dave"));
        d.groups.add(group("g-admins", true, "u1"));
        d.groups.add(group("g-staff", false, "u2", "u4"));
        d.roles.add(role("r-owner", true, List.of("u3"), List.of()));
        d.roles.add(role("r-viewer", false, List.of(), List.of("g-staff")));
        for (int i = 0; i < 3; i++) {
            d.roles.add(role("r-spare-" + i, false, List.of(), List.of()));
        }
        return d;
    }

    private Map<String, Document> users(CreatedTenant tenant, String accountId) {
        Map<String, Document> byId = new HashMap<>();
        store.users()
                .find(and(eq("tenant_id", tenant.id()), eq("account_id", accountId)))
                .forEach(d -> byId.put(d.getString("remote_id"), d));
        return byId;
    }

    private static List<Map<String, Object>> changesAfter(CreatedTenant tenant, String accountId, long since) {
        return SyncScenarios.changes(tenant, accountId, since);
    }

    private static long lastSequence(List<Map<String, Object>> changes, long otherwise) {
        return changes.isEmpty()
                ? otherwise
                : ((Number) changes.get(changes.size() - 1).get("sequence")).longValue();
    }

    @Test
    void aGrantThatMayNotReadRolesSyncsEverythingElseAndKeepsTheStoredRoles() {
        String name = "review-" + UUID.randomUUID();
        Directory directory = directory(name);
        CreatedTenant tenant = newTenant();
        String accountId = ReviewDirectoryConnectorFactory.link(tenant, name);
        engine.runNow(tenant.id(), accountId, Trigger.MANUAL);

        directory.rolesNeed = "roles.read";
        directory.users.add(user("u5", "erin"));
        SyncRun run = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);

        assertThat(run.state()).as("%s", run.errorMessage()).isEqualTo(State.SUCCEEDED);
        assertThat(run.counts().rolesSeen()).isZero();
        assertThat(users(tenant, accountId)).containsKey("u5");
        assertThat(store.roles()
                        .countDocuments(and(
                                eq("tenant_id", tenant.id()),
                                eq("account_id", accountId),
                                eq("remote_was_deleted", false))))
                .as("roles it could not read are not deleted")
                .isEqualTo(5);
    }

    @Test
    void membershipListedOnlyOnGroupsAndRolesFillsUsersFiltersSnapshotAndChangeLog() {
        String name = "review-" + UUID.randomUUID();
        Directory directory = directory(name);
        CreatedTenant tenant = newTenant();
        String accountId = ReviewDirectoryConnectorFactory.link(tenant, name);

        SyncRun first = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);

        assertThat(first.state()).isEqualTo(State.SUCCEEDED);
        assertThat(first.counts().rolesSeen()).isEqualTo(5);
        assertThat(first.counts().groupsSeen()).isEqualTo(2);
        assertThat(first.counts().usersSeen()).isEqualTo(4);
        assertThat(first.counts().added()).isEqualTo(11);
        assertThat(MembershipSource.of(store, tenant.id(), accountId)).contains(MembershipSource.ON_GROUPS_ONLY);
        as(tenant.apiKey())
                .get("/accounts/" + accountId + "/syncs/" + first.id())
                .then()
                .statusCode(200)
                .body("roles_seen", org.hamcrest.Matchers.equalTo(5));

        // The filter fields beside each record, and the records themselves, carry both sides.
        Map<String, Document> users = users(tenant, accountId);
        Document alice = users.get("u1");
        assertThat(alice.getBoolean("is_privileged")).isTrue();
        assertThat(alice.getBoolean("mfa_enrolled")).isTrue();
        assertThat(alice.getDate("last_login_at")).isEqualTo(Date.from(LOGIN));
        assertThat(alice.getString("user_type")).isEqualTo("member");
        assertThat(alice.getList("group_ids", String.class)).containsExactly("g-admins");
        assertThat(alice.getList("role_ids", String.class)).isEmpty();
        Document bob = users.get("u2");
        assertThat(bob.getBoolean("is_privileged"))
                .as("every group and role is marked")
                .isFalse();
        assertThat(bob.getBoolean("mfa_enrolled")).isFalse();
        assertThat(bob.get("last_login_at")).isNull();
        assertThat(bob.containsKey("last_login_at")).isTrue();
        assertThat(bob.getString("user_type")).isEqualTo("guest");
        assertThat(bob.getList("group_ids", String.class)).containsExactly("g-staff");
        assertThat(bob.getList("role_ids", String.class))
                .as("the role of bob's group")
                .containsExactly("r-viewer");
        Document service = users.get("u3");
        assertThat(service.getBoolean("is_privileged")).isTrue();
        assertThat(service.get("mfa_enrolled")).isNull();
        assertThat(service.containsKey("mfa_enrolled")).isTrue();
        assertThat(service.getString("user_type")).isEqualTo("service");
        assertThat(service.getList("role_ids", String.class)).containsExactly("r-owner");
        assertThat(users.get("u4").getString("user_type")).isNull();
        List<Document> indexKeys = new ArrayList<>();
        store.users().listIndexes().forEach(i -> indexKeys.add(i.get("key", Document.class)));
        for (String fact : MongoStore.INDEXED_USER_FACTS) {
            assertThat(indexKeys)
                    .as("an index for filtering on " + fact)
                    .contains(
                            new Document("tenant_id", 1).append("account_id", 1).append(fact, 1));
        }
        User bobRecord = RecordCodec.user("u2", bob.get("record", Document.class), null);
        assertThat(bobRecord.groups()).containsExactly(new GroupRef("g-staff", "Group g-staff", false));
        assertThat(bobRecord.roles().get(0).name()).isEqualTo("Role r-viewer");
        assertThat(bobRecord.privileged()).isFalse();
        Document owner = store.roles()
                .find(eq("_id", MongoStore.docId(tenant.id(), accountId, "r-owner")))
                .first();
        assertThat(owner.getString("name_lc")).isEqualTo("role r-owner");
        assertThat(owner.get("record", Document.class).getBoolean("privileged")).isTrue();

        // The change log names roles as roles.
        List<Map<String, Object>> created = changesAfter(tenant, accountId, 0);
        assertThat(created).hasSize(11);
        assertThat(created.stream().filter(c -> "role".equals(c.get("type"))))
                .hasSize(5)
                .allSatisfy(c -> assertThat(c.get("change")).isEqualTo("created"))
                .anySatisfy(c -> assertThat(c.get("id")).isEqualTo(IamIds.role("r-owner")));
        long seen = lastSequence(created, 0);

        // Nothing changed: nothing to report.
        SyncRun unchanged = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        assertThat(unchanged.counts().updated()).isZero();
        assertThat(unchanged.counts().added()).isZero();
        assertThat(changesAfter(tenant, accountId, seen)).isEmpty();

        // Alice joins the staff on the group's side: the group and alice changed, nobody else.
        directory.groups.set(1, group("g-staff", false, "u2", "u4", "u1"));
        engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        List<Map<String, Object>> joined = changesAfter(tenant, accountId, seen);
        List<Map<String, Object>> userChanges =
                joined.stream().filter(c -> "user".equals(c.get("type"))).toList();
        assertThat(userChanges).hasSize(1);
        assertThat(userChanges.get(0).get("remote_id")).isEqualTo("u1");
        assertThat(userChanges.get(0).get("change")).isEqualTo("updated");
        assertThat(userChanges.get(0).get("fields"))
                .asInstanceOf(InstanceOfAssertFactories.LIST)
                .contains("groups", "roles");
        assertThat(joined.stream().filter(c -> "group".equals(c.get("type"))))
                .singleElement()
                .satisfies(c -> assertThat(c.get("remote_id")).isEqualTo("g-staff"));
        assertThat(users(tenant, accountId).get("u1").getList("role_ids", String.class))
                .containsExactly("r-viewer");
        seen = lastSequence(joined, seen);

        // A role the provider dropped is deleted, and its holder loses it.
        directory.roles.remove(0);
        SyncRun dropped = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        assertThat(dropped.state()).isEqualTo(State.SUCCEEDED);
        List<Map<String, Object>> afterDrop = changesAfter(tenant, accountId, seen);
        assertThat(afterDrop)
                .anySatisfy(c -> {
                    assertThat(c.get("type")).isEqualTo("role");
                    assertThat(c.get("change")).isEqualTo("deleted");
                    assertThat(c.get("id")).isEqualTo(IamIds.role("r-owner"));
                })
                .anySatisfy(c -> {
                    assertThat(c.get("type")).isEqualTo("user");
                    assertThat(c.get("remote_id")).isEqualTo("u3");
                });
        assertThat(users(tenant, accountId).get("u3").getList("role_ids", String.class))
                .isEmpty();
    }

    @Test
    void rolesVanishingFromAListingAreRefusedByTheDeletionGuardAndUnlinkingDropsThem() {
        String name = "review-guard-" + UUID.randomUUID();
        Directory directory = directory(name);
        CreatedTenant tenant = newTenant();
        String accountId = ReviewDirectoryConnectorFactory.link(tenant, name);
        engine.runNow(tenant.id(), accountId, Trigger.MANUAL);

        directory.roles.subList(0, 3).clear();
        SyncRun refused = engine.runNow(tenant.id(), accountId, Trigger.MANUAL);

        assertThat(refused.state()).isEqualTo(State.FAILED);
        assertThat(refused.errorCode()).isEqualTo("deletion_guard");
        assertThat(refused.errorMessage()).contains("3 of 5 roles");
        assertThat(store.roles()
                        .countDocuments(and(
                                eq("tenant_id", tenant.id()),
                                eq("account_id", accountId),
                                eq("remote_was_deleted", true))))
                .isZero();

        // Unlinking drops the account's roles and what its syncs learnt of the provider.
        as(tenant.apiKey()).delete("/accounts/" + accountId).then().statusCode(204);
        assertThat(store.roles().countDocuments(and(eq("tenant_id", tenant.id()), eq("account_id", accountId))))
                .isZero();
        assertThat(MembershipSource.of(store, tenant.id(), accountId)).isEmpty();
    }

    @Test
    void theSnapshotNamesMembersAndListsRolesWithTheirAssignments() {
        String name = "review-snap-" + UUID.randomUUID();
        directory(name);
        CreatedTenant tenant = newTenant();
        String accountId = ReviewDirectoryConnectorFactory.link(tenant, name);
        engine.runNow(tenant.id(), accountId, Trigger.MANUAL);
        String path = "/accounts/" + accountId + "/snapshot";

        JsonPath json =
                as(tenant.apiKey()).get(path).then().statusCode(200).extract().jsonPath();
        assertThat(json.getList("groups.find { it.remote_id == 'g-staff' }.members.username", String.class))
                .containsExactly("bob", "dave");
        assertThat(json.getList("users.find { it.remote_id == 'u2' }.groups.name", String.class))
                .containsExactly("Group g-staff");
        assertThat(json.getList("users.find { it.remote_id == 'u2' }.roles.id", String.class))
                .containsExactly(IamIds.role("r-viewer"));
        assertThat(json.getBoolean("users.find { it.remote_id == 'u1' }.is_privileged"))
                .isTrue();
        assertThat(json.getList("roles")).hasSize(5);
        assertThat(json.getList("roles.find { it.remote_id == 'r-owner' }.members.username", String.class))
                .containsExactly("svc-backup");
        assertThat(json.getList("roles.find { it.remote_id == 'r-viewer' }.groups.id", String.class))
                .containsExactly(IamIds.group("g-staff"));

        String text = new String(as(tenant.apiKey()).get(path + "?format=csv").asByteArray(), StandardCharsets.UTF_8);
        List<List<String>> rows = new ArrayList<>();
        for (String line : text.split("\r\n")) {
            // Each cell is quoted and none of this directory's values holds a quote or a comma.
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1, line.length() - 1).split("\",\"", -1)) {
                cells.add(cell);
            }
            rows.add(cells);
        }
        assertThat(rows.get(0)).isEqualTo(Snapshot.CSV_COLUMNS);
        Map<String, Map<String, String>> byKey = new HashMap<>();
        for (List<String> row : rows.subList(1, rows.size())) {
            assertThat(row).hasSize(Snapshot.CSV_COLUMNS.size());
            Map<String, String> cells = new HashMap<>();
            for (int i = 0; i < row.size(); i++) {
                cells.put(Snapshot.CSV_COLUMNS.get(i), row.get(i));
            }
            byKey.put(cells.get("record_type") + ":" + cells.get("remote_id"), cells);
        }
        assertThat(byKey).hasSize(4 + 2 + 5);
        Map<String, String> staff = byKey.get("group:g-staff");
        assertThat(staff.get("member_usernames")).isEqualTo("bob; dave");
        assertThat(staff.get("is_privileged")).isEqualTo("false");
        Map<String, String> alice = byKey.get("user:u1");
        assertThat(alice.get("group_ids")).isEqualTo(IamIds.group("g-admins"));
        assertThat(alice.get("group_names")).isEqualTo("Group g-admins");
        assertThat(alice.get("type")).isEqualTo("member");
        assertThat(alice.get("source_type")).isEqualTo("Member");
        assertThat(alice.get("is_privileged")).isEqualTo("true");
        assertThat(alice.get("mfa_enrolled")).isEqualTo("true");
        assertThat(alice.get("mfa_methods")).isEqualTo("totp");
        assertThat(alice.get("last_login_at")).isEqualTo(LOGIN.toString());
        assertThat(alice.get("department")).isEqualTo("Security");
        assertThat(alice.get("title")).isEqualTo("Lead");
        assertThat(alice.get("manager_id")).isEqualTo(IamIds.user("u2"));
        Map<String, String> bob = byKey.get("user:u2");
        assertThat(bob.get("role_ids")).isEqualTo(IamIds.role("r-viewer"));
        assertThat(bob.get("role_names")).isEqualTo("Role r-viewer");
        Map<String, String> owner = byKey.get("role:r-owner");
        assertThat(owner.get("id")).isEqualTo(IamIds.role("r-owner"));
        assertThat(owner.get("is_privileged")).isEqualTo("true");
        assertThat(owner.get("scope")).isEqualTo("org_wide");
        assertThat(owner.get("permissions")).as("defused as a whole").isEqualTo("'read; =cmd");
        assertThat(owner.get("member_ids")).isEqualTo(IamIds.user("u3"));
        assertThat(owner.get("member_usernames")).isEqualTo("svc-backup");
        assertThat(byKey.get("role:r-viewer").get("group_ids")).isEqualTo(IamIds.group("g-staff"));
    }
}
