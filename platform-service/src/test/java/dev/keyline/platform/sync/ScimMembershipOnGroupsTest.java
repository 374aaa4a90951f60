package dev.keyline.platform.sync;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.read;
import static dev.keyline.platform.support.TestApi.startSync;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.directory.IamIds;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.Quirk;
import dev.keyline.scimdouble.ScimGroup;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.ScimUser;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bugs the access-review issue found against third-party SCIM servers, against the SCIM double behaving like
 * them: membership listed only on groups (users carry no {@code groups}), members without {@code display}, and a
 * {@code totalResults} that counts only the page.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class ScimMembershipOnGroupsTest {
    private ScimUpstream upstream;

    @AfterEach
    void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void groupsListedOnlyOnGroupsReachUsersSnapshotsAndFiltersAndLiveReadsSaySo() {
        upstream = ScimUpstream.builder()
                .users(30)
                .groups(4)
                .membershipsPerUser(2)
                .seed(20)
                .urlForms(UrlForm.BRIDGE)
                .quirks(Quirk.MEMBERSHIP_ON_GROUPS_ONLY, Quirk.MEMBERS_WITHOUT_DISPLAY, Quirk.TOTAL_RESULTS_LIES_LOW)
                .token("membership-" + UUID.randomUUID())
                .start();
        CreatedTenant tenant = newTenant();
        String account = linkOnePassword(tenant, "org-membership", upstream);

        // The server answered count=1 with totalResults=1 for 30 users: the summary must not claim one user.
        String summary = as(tenant.apiKey())
                .get("/accounts/" + account)
                .then()
                .statusCode(200)
                .extract()
                .path("validation_summary");
        assertThat(summary).doesNotContain("(1 user").contains("at least");

        awaitSync(tenant, account, startSync(tenant, account));

        Map<String, Set<String>> expectedGroups = new HashMap<>();
        Map<String, String> userNames = new HashMap<>();
        for (ScimUser user : upstream.directory().users()) {
            expectedGroups.put(user.id(), new HashSet<>());
            userNames.put(user.id(), user.userName());
        }
        for (ScimGroup group : upstream.directory().groups()) {
            upstream.directory()
                    .memberIds(group.id())
                    .forEach(u -> expectedGroups.get(u).add(group.id()));
        }
        assertThat(expectedGroups.values()).allSatisfy(g -> assertThat(g).isNotEmpty());

        // Synced reads: every user's groups, filled from the groups' side.
        JsonPath synced = read(tenant, account)
                .queryParam("page_size", "100")
                .queryParam("mode", "synced")
                .get("/iam/users")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Map<String, Object>> users = synced.getList("data");
        assertThat(users).hasSize(30);
        for (Map<String, Object> user : users) {
            assertThat(remoteIds(user.get("groups")))
                    .as("groups of %s", user.get("username"))
                    .isEqualTo(expectedGroups.get((String) user.get("remote_id")));
        }
        assertThat(synced.getString("meta.membership")).isNull();

        // Synced groups: members the server left unnamed carry their usernames.
        List<Map<String, Object>> groups = read(tenant, account)
                .queryParam("mode", "synced")
                .get("/iam/groups")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("data");
        for (Map<String, Object> group : groups) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> members = (List<Map<String, Object>>) group.get("members");
            assertThat(members)
                    .isNotEmpty()
                    .allSatisfy(
                            m -> assertThat(m.get("username")).isEqualTo(userNames.get((String) m.get("remote_id"))));
        }

        // A group filter finds the members although no user listed the group.
        ScimGroup first = upstream.directory().groups().get(0);
        List<String> filtered = read(tenant, account)
                .queryParam("page_size", "100")
                .queryParam("group_id", IamIds.group(first.id()))
                .get("/iam/users")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("data.remote_id");
        assertThat(new HashSet<>(filtered))
                .isEqualTo(new HashSet<>(upstream.directory().memberIds(first.id())));

        // The snapshot's user rows list their groups; its group rows name their members.
        JsonPath snapshot = as(tenant.apiKey())
                .queryParam("format", "json")
                .get("/accounts/" + account + "/snapshot")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Map<String, Object>> snapshotUsers = snapshot.getList("users");
        assertThat(snapshotUsers)
                .allSatisfy(u -> assertThat(remoteIds(u.get("groups")))
                        .isEqualTo(expectedGroups.get((String) u.get("remote_id"))));
        List<Map<String, Object>> snapshotGroups = snapshot.getList("groups");
        assertThat(snapshotGroups)
                .allSatisfy(g -> assertThat(remoteIds(g.get("members")).stream()
                                .map(userNames::get)
                                .collect(Collectors.toSet()))
                        .isEqualTo(usernames(g.get("members"))));
        String csv = as(tenant.apiKey())
                .queryParam("format", "csv")
                .get("/accounts/" + account + "/snapshot")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        ScimUser someone = upstream.directory().users().get(0);
        String row = csv.lines()
                .filter(l -> l.contains("\"" + someone.id() + "\""))
                .findFirst()
                .orElseThrow();
        assertThat(row)
                .contains(
                        IamIds.group(expectedGroups.get(someone.id()).iterator().next()));

        // Live reads cannot fill users' groups; the page says why they are empty.
        JsonPath live = read(tenant, account)
                .queryParam("mode", "live")
                .get("/iam/users")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(live.getString("meta.membership")).isEqualTo("on_groups_only");
        assertThat(live.getList("data.groups.flatten()")).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Set<String> remoteIds(Object refs) {
        return ((List<Map<String, Object>>) refs)
                .stream().map(r -> (String) r.get("remote_id")).collect(Collectors.toSet());
    }

    @SuppressWarnings("unchecked")
    private static Set<String> usernames(Object refs) {
        return ((List<Map<String, Object>>) refs)
                .stream().map(r -> (String) r.get("username")).collect(Collectors.toSet());
    }
}
