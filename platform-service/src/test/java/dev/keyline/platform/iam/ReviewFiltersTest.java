package dev.keyline.platform.iam;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.read;
import static dev.keyline.platform.support.TestApi.startSync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.Mfa;
import dev.keyline.connector.model.RoleRef;
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
import dev.keyline.platform.sync.MongoStore;
import dev.keyline.platform.sync.ReviewStoreFixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The access-review filters of GET /iam/users, answered by the store: each one keeps exactly the users it names
 * and drops the others, refuses a malformed value naming the parameter, works on synced data only, and binds the
 * page cursor to itself.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class ReviewFiltersTest {
    static final Instant RECENT = Instant.parse("2026-11-01T09:00:00Z");
    static final Instant LONG_AGO = Instant.parse("2025-01-15T09:00:00Z");

    @Inject
    MongoStore store;

    private CreatedTenant tenant;
    private String account;

    /** An admin, a guest, a service account nobody signed in with, and a bot; the facts as the sync stores them. */
    @BeforeEach
    void syncedReviewDirectory() {
        String name = "filters-" + UUID.randomUUID();
        Directory directory = ReviewDirectoryConnectorFactory.create(name);
        directory.users.addAll(users());
        tenant = newTenant();
        account = linkReview(tenant, name);
        awaitSync(tenant, account, startSync(tenant, account));
        for (User user : directory.users) {
            ReviewStoreFixtures.userFacts(
                    store,
                    tenant.id(),
                    account,
                    user,
                    user.groups().stream().map(GroupRef::remoteId).toList(),
                    user.roles().stream().map(RoleRef::remoteId).toList());
        }
    }

    static List<User> users() {
        return List.of(
                User.builder("u1")
                        .username("alice")
                        .privileged(true)
                        .mfa(new Mfa(true, List.of("totp")))
                        .lastLoginAt(RECENT)
                        .type(new UserType(UserTypeValue.MEMBER, "Member"))
                        .groups(List.of(new GroupRef("g-admins", "Admins", true)))
                        .roles(List.of(new RoleRef("r-admin", "Administrator", true)))
                        .build(),
                User.builder("u2")
                        .username("bob")
                        .privileged(false)
                        .mfa(new Mfa(false, null))
                        .lastLoginAt(LONG_AGO)
                        .type(new UserType(UserTypeValue.GUEST, "Guest"))
                        .groups(List.of(new GroupRef("g-staff", "Staff", false)))
                        .build(),
                User.builder("u3")
                        .username("svc")
                        .type(new UserType(UserTypeValue.SERVICE, "Service"))
                        .roles(List.of(new RoleRef("r-read", "Reader", false)))
                        .build(),
                User.builder("u4")
                        .username("robot")
                        .privileged(false)
                        .mfa(new Mfa(false, null))
                        .lastLoginAt(Instant.parse("2026-12-01T09:00:00Z"))
                        .type(new UserType(UserTypeValue.BOT, "Bot"))
                        .groups(List.of(new GroupRef("g-staff", "Staff", false)))
                        .build());
    }

    static String linkReview(CreatedTenant tenant, String directory) {
        return as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id",
                        "owner-" + directory,
                        "origin_owner_name",
                        "Review",
                        "provider",
                        ReviewDirectoryConnectorFactory.ID,
                        "credentials",
                        ReviewDirectoryConnectorFactory.credentials(directory)))
                .post("/accounts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private List<String> usernames(String query) {
        return read(tenant, account)
                .get("/iam/users?" + query)
                .then()
                .statusCode(200)
                .body("meta.mode", equalTo("synced"))
                .extract()
                .jsonPath()
                .getList("data.username");
    }

    @Test
    void privilegeFiltersKeepTheMarkedUsersAndNeverTheUnknownOnes() {
        assertThat(usernames("is_privileged=true")).containsExactly("alice");
        assertThat(usernames("is_privileged=false")).containsExactly("bob", "robot");
    }

    @Test
    void mfaFiltersKeepTheEnrolledOrTheUnenrolled() {
        assertThat(usernames("mfa_enrolled=true")).containsExactly("alice");
        assertThat(usernames("mfa_enrolled=false")).containsExactly("bob", "robot");
    }

    @Test
    void lastLoginBeforeKeepsStaleAndNeverSignedInUsers() {
        assertThat(usernames("last_login_before=2026-06-01T00:00:00Z")).containsExactly("bob", "svc");
        assertThat(usernames("last_login_before=2020-01-01T00:00:00Z")).containsExactly("svc");
    }

    @Test
    void typeFilterKeepsOneKindOfAccount() {
        assertThat(usernames("type=guest")).containsExactly("bob");
        assertThat(usernames("type=SERVICE")).containsExactly("svc");
        assertThat(usernames("type=member")).containsExactly("alice");
    }

    @Test
    void roleAndGroupFiltersKeepTheirHolders() {
        assertThat(usernames("role_id=" + IamIds.role("r-admin"))).containsExactly("alice");
        assertThat(usernames("role_id=" + IamIds.role("r-read"))).containsExactly("svc");
        assertThat(usernames("role_id=" + IamIds.role("r-none"))).isEmpty();
        assertThat(usernames("group_id=" + IamIds.group("g-staff"))).containsExactly("bob", "robot");
        assertThat(usernames("group_id=" + IamIds.group("g-admins"))).containsExactly("alice");
    }

    @Test
    void filtersCombine() {
        assertThat(usernames("is_privileged=false&type=bot")).containsExactly("robot");
        assertThat(usernames("group_id=" + IamIds.group("g-staff") + "&last_login_before=2026-06-01T00:00:00Z"))
                .containsExactly("bob");
    }

    @Test
    void malformedFilterValuesAreRefusedNamingTheParameter() {
        Map<String, String> bad = Map.of(
                "is_privileged", "maybe",
                "mfa_enrolled", "yes-ish",
                "last_login_before", "90-days-ago",
                "type", "robot",
                "role_id", IamIds.group("r-admin"),
                "group_id", "grp_not base64!");
        bad.forEach((parameter, value) -> read(tenant, account)
                .queryParam(parameter, value)
                .get("/iam/users")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_parameter"))
                .body("field", equalTo(parameter)));
    }

    @Test
    void filtersAreSyncedOnly() {
        read(tenant, account)
                .get("/iam/users?mode=live&mfa_enrolled=false")
                .then()
                .statusCode(400)
                .body("code", equalTo("conflicting_parameters"))
                .body("field", equalTo("mode"));
        String name = "never-synced-" + UUID.randomUUID();
        ReviewDirectoryConnectorFactory.create(name).users.addAll(users());
        String unsynced = linkReview(tenant, name);
        for (String filter : List.of("is_privileged=true", "type=bot", "group_id=" + IamIds.group("g-staff"))) {
            read(tenant, unsynced)
                    .get("/iam/users?" + filter)
                    .then()
                    .statusCode(409)
                    .body("code", equalTo("not_synced"));
        }
        // Without a filter the same account is read live, as before.
        read(tenant, unsynced).get("/iam/users").then().statusCode(200).body("meta.mode", equalTo("live"));
    }

    @Test
    void aCursorOfOneFilterIsRefusedUnderAnother() {
        String staff = IamIds.group("g-staff");
        String next = read(tenant, account)
                .get("/iam/users?page_size=1&group_id=" + staff)
                .then()
                .statusCode(200)
                .body("data.username", equalTo(List.of("bob")))
                .extract()
                .path("next");
        assertThat(next).isNotNull();
        read(tenant, account)
                .queryParam("cursor", next)
                .get("/iam/users?page_size=1&group_id=" + staff)
                .then()
                .statusCode(200)
                .body("data.username", equalTo(List.of("robot")));
        read(tenant, account)
                .queryParam("cursor", next)
                .get("/iam/users?page_size=1&group_id=" + IamIds.group("g-admins"))
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_cursor"));
        read(tenant, account)
                .queryParam("cursor", next)
                .get("/iam/users?page_size=1&group_id=" + staff + "&mfa_enrolled=false")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_cursor"));
    }
}
