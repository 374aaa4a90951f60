package dev.keyline.platform.iam;

import static dev.keyline.platform.iam.ReviewFiltersTest.linkReview;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.linkedAccount;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.read;
import static dev.keyline.platform.support.TestApi.startSync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleScope;
import dev.keyline.connector.model.User;
import dev.keyline.platform.directory.IamIds;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.ReviewDirectoryConnectorFactory;
import dev.keyline.platform.support.ReviewDirectoryConnectorFactory.Directory;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.sync.MembershipSource;
import dev.keyline.platform.sync.MongoStore;
import dev.keyline.platform.sync.ReviewStoreFixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * GET /iam/roles and /iam/roles/{id}, live from the provider and synced from the store, with members the provider
 * left unnamed named from the synced users (groups too); and the note live user pages carry when the provider lists
 * membership only on groups.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class RoleReadsTest {
    private static final String ADMIN = IamIds.role("r-admin");
    private static final String READER = IamIds.role("r-read");

    @Inject
    MongoStore store;

    /** Two users; groups and roles list their members, one of them without a username, as some SCIM servers do. */
    private static Directory directory(String name, boolean usersCarryGroups) {
        Directory directory = ReviewDirectoryConnectorFactory.create(name);
        GroupRef admins = new GroupRef("g-admins", "Admins", true);
        directory.users.add(User.builder("u1")
                .username("alice")
                .groups(usersCarryGroups ? List.of(admins) : List.of())
                .build());
        directory.users.add(User.builder("u2").username("bob").build());
        directory.groups.add(new Group(
                "g-admins", "Admins", null, null, List.of(new MemberRef("u1", null)), null, null, null, null, true));
        directory.roles.addAll(roles());
        return directory;
    }

    private static List<Role> roles() {
        return List.of(
                Role.builder("r-admin")
                        .name("Administrator")
                        .privileged(true)
                        .scope(RoleScope.ORG_WIDE)
                        .permissions(List.of("*"))
                        .members(List.of(new MemberRef("u1", null)))
                        .groups(List.of(new GroupRef("g-admins", "Admins", true)))
                        .build(),
                Role.builder("r-read")
                        .name("Reader")
                        .privileged(false)
                        .scope(RoleScope.APP)
                        .permissions(List.of("read"))
                        .members(List.of(new MemberRef("u2", "bob")))
                        .groups(List.of())
                        .build());
    }

    private record Linked(CreatedTenant tenant, String account) {}

    private static Linked link(boolean usersCarryGroups) {
        String name = "roles-" + UUID.randomUUID();
        directory(name, usersCarryGroups);
        CreatedTenant tenant = newTenant();
        return new Linked(tenant, linkReview(tenant, name));
    }

    /** Synced once; the role records written as the sync stores them. */
    private Linked synced(boolean usersCarryGroups) {
        Linked linked = link(usersCarryGroups);
        awaitSync(linked.tenant(), linked.account(), startSync(linked.tenant(), linked.account()));
        for (Role role : roles()) {
            ReviewStoreFixtures.role(store, linked.tenant().id(), linked.account(), role);
        }
        return linked;
    }

    @Test
    void liveRolesComeFromTheProviderPageByPage() {
        Linked l = link(false);
        JsonPath first = read(l.tenant(), l.account())
                .get("/iam/roles?page_size=1")
                .then()
                .statusCode(200)
                .body("meta.mode", equalTo("live"))
                .extract()
                .jsonPath();
        assertThat(first.getList("data.id")).containsExactly(ADMIN);
        assertThat(first.getString("data[0].name")).isEqualTo("Administrator");
        assertThat(first.getBoolean("data[0].privileged")).isTrue();
        assertThat(first.getString("data[0].scope")).isEqualTo("org_wide");
        assertThat(first.getList("data[0].permissions")).containsExactly("*");
        assertThat(first.getList("data[0].members.id")).containsExactly(IamIds.user("u1"));
        assertThat(first.getList("data[0].groups.id")).containsExactly(IamIds.group("g-admins"));
        read(l.tenant(), l.account())
                .queryParam("cursor", first.getString("next"))
                .get("/iam/roles?page_size=1")
                .then()
                .statusCode(200)
                .body("data.id", equalTo(List.of(READER)))
                .body("next", nullValue());
        read(l.tenant(), l.account())
                .get("/iam/roles?include_assignments=false")
                .then()
                .statusCode(200)
                .body("data.id", equalTo(List.of(ADMIN, READER)))
                .body("data[0].members", nullValue())
                .body("data[0].groups", nullValue());
        read(l.tenant(), l.account())
                .get("/iam/roles/" + READER)
                .then()
                .statusCode(200)
                .body("name", equalTo("Reader"))
                .body("privileged", equalTo(false))
                .body("scope", equalTo("app"))
                .body("members[0].username", equalTo("bob"));
        read(l.tenant(), l.account())
                .get("/iam/roles/" + IamIds.role("nobody"))
                .then()
                .statusCode(404);
        // Synced-only parameters and modes are refused as on groups.
        read(l.tenant(), l.account())
                .get("/iam/roles?mode=synced")
                .then()
                .statusCode(409)
                .body("code", equalTo("not_synced"));
        read(l.tenant(), l.account())
                .get("/iam/roles?mode=live&include_deleted=true")
                .then()
                .statusCode(400)
                .body("code", equalTo("conflicting_parameters"));
    }

    @Test
    void syncedRolesNameTheMembersTheProviderLeftUnnamed() {
        Linked l = synced(true);
        read(l.tenant(), l.account())
                .get("/iam/roles")
                .then()
                .statusCode(200)
                .body("meta.mode", equalTo("synced"))
                .body("data.id", equalTo(List.of(ADMIN, READER)))
                .body("data[0].privileged", equalTo(true))
                .body("data[0].members[0].username", equalTo("alice"))
                .body("data[0].groups[0].id", equalTo(IamIds.group("g-admins")))
                .body("data[1].members[0].username", equalTo("bob"));
        read(l.tenant(), l.account())
                .get("/iam/roles/" + ADMIN)
                .then()
                .statusCode(200)
                .body("permissions", equalTo(List.of("*")))
                .body("members[0].username", equalTo("alice"));
        read(l.tenant(), l.account())
                .get("/iam/roles?include_assignments=false")
                .then()
                .statusCode(200)
                .body("data[0].members", nullValue())
                .body("data[0].groups", nullValue());
        // Live, the provider's own answer: unnamed.
        read(l.tenant(), l.account())
                .get("/iam/roles/" + ADMIN + "?mode=live")
                .then()
                .statusCode(200)
                .body("members[0].username", nullValue());
        read(l.tenant(), l.account())
                .get("/iam/roles/" + IamIds.role("nobody"))
                .then()
                .statusCode(404);
        read(l.tenant(), l.account())
                .get("/iam/roles/" + IamIds.group("r-admin"))
                .then()
                .statusCode(404);
    }

    @Test
    void syncedGroupsNameTheMembersTheProviderLeftUnnamed() {
        Linked l = synced(true);
        read(l.tenant(), l.account())
                .get("/iam/groups")
                .then()
                .statusCode(200)
                .body("meta.mode", equalTo("synced"))
                .body("data[0].members[0].username", equalTo("alice"));
        read(l.tenant(), l.account())
                .get("/iam/groups/" + IamIds.group("g-admins"))
                .then()
                .statusCode(200)
                .body("members[0].username", equalTo("alice"));
    }

    @Test
    void aProviderWithoutRolesAnswers501() {
        CreatedTenant tenant = newTenant();
        String account = linkedAccount(tenant, "no-roles-" + UUID.randomUUID());
        read(tenant, account).get("/iam/roles").then().statusCode(501);
        read(tenant, account).get("/iam/roles/" + ADMIN).then().statusCode(501);
    }

    @Test
    void anotherTenantsAccountIsNotFound() {
        Linked l = synced(true);
        CreatedTenant other = newTenant();
        for (String mode : List.of("live", "synced")) {
            read(other, l.account()).get("/iam/roles?mode=" + mode).then().statusCode(404);
            read(other, l.account())
                    .get("/iam/roles/" + ADMIN + "?mode=" + mode)
                    .then()
                    .statusCode(404);
        }
        read(other, l.account()).get("/iam/roles").then().statusCode(404);
    }

    @Test
    void liveUserPagesSayWhenMembershipIsListedOnlyOnGroups() {
        Linked onGroups = synced(false);
        ReviewStoreFixtures.membership(
                store, onGroups.tenant().id(), onGroups.account(), MembershipSource.ON_GROUPS_ONLY);
        read(onGroups.tenant(), onGroups.account())
                .get("/iam/users?mode=live")
                .then()
                .statusCode(200)
                .body("meta.mode", equalTo("live"))
                .body("meta.membership", equalTo("on_groups_only"))
                .body("data[0].groups", equalTo(List.of()));
        // One user has no meta: a header says it.
        read(onGroups.tenant(), onGroups.account())
                .get("/iam/users/" + IamIds.user("u1") + "?mode=live")
                .then()
                .statusCode(200)
                .header("Keyline-Membership", equalTo("on_groups_only"))
                .body("groups", equalTo(List.of()));
        read(onGroups.tenant(), onGroups.account())
                .get("/iam/users/" + IamIds.user("u1"))
                .then()
                .statusCode(200)
                .header("Keyline-Membership", nullValue());
        // Synced pages have both sides filled, so they carry no such note.
        read(onGroups.tenant(), onGroups.account())
                .get("/iam/users")
                .then()
                .statusCode(200)
                .body("meta.mode", equalTo("synced"))
                .body("meta", not(hasKey("membership")));

        Linked ordinary = synced(true);
        ReviewStoreFixtures.membership(store, ordinary.tenant().id(), ordinary.account(), MembershipSource.ON_USERS);
        read(ordinary.tenant(), ordinary.account())
                .get("/iam/users?mode=live")
                .then()
                .statusCode(200)
                .body("meta.mode", equalTo("live"))
                .body("meta", not(hasKey("membership")));
        read(ordinary.tenant(), ordinary.account())
                .get("/iam/users/" + IamIds.user("u1") + "?mode=live")
                .then()
                .statusCode(200)
                .header("Keyline-Membership", nullValue());
        // Never synced: nothing is known, nothing is said.
        Linked unsynced = link(false);
        read(unsynced.tenant(), unsynced.account())
                .get("/iam/users")
                .then()
                .statusCode(200)
                .body("meta.mode", equalTo("live"))
                .body("meta", not(hasKey("membership")));
    }
}
