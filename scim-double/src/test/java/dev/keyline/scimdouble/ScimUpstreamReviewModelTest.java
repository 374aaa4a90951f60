package dev.keyline.scimdouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The access-review attributes and the membership and count quirks of other SCIM servers. */
class ScimUpstreamReviewModelTest {
    private static final String ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    private final ScimUpstream upstream = ScimUpstream.builder()
            .users(30)
            .groups(3)
            .setup(directory -> {
                ScimUser owner = directory.addUser(
                        "olivia.owner@acme.example", "olivia@acme.example", "Olivia", "Owner", "Employee", true);
                ScimUser guest = directory.addUser(
                        "gus.guest@partner.example", "gus@partner.example", "Gus", "Guest", "Guest", true);
                ScimUser robot = directory.addUser(
                        "ci-bot@acme.example", "ci-bot@acme.example", "CI", "Robot", "Service", false);
                directory.updateUser(
                        owner.id(),
                        u -> u.withProfile("Employee", "CEO", "Board", null)
                                .withRoles(List.of(
                                        new ScimRole("admin", "Administrator", true),
                                        new ScimRole("billing", null, false))));
                directory.updateUser(guest.id(), u -> u.withProfile("Guest", null, null, owner.id()));
                directory.addGroup("Owners", List.of(owner.id()));
                directory.addGroup("Administrators", List.of(owner.id(), robot.id()));
            })
            .start();
    private final Http http = new Http(upstream);

    @AfterEach
    void close() {
        upstream.close();
    }

    private Map<String, Object> user(String userName) {
        String id = upstream.directory().users().stream()
                .filter(u -> u.userName().equals(userName))
                .findFirst()
                .orElseThrow()
                .id();
        return Http.json(http.get(upstream.hostedBaseUrl() + "/Users/" + id));
    }

    private Map<String, Object> group(String displayName) {
        return Http.resources(http.get(upstream.hostedBaseUrl() + "/Groups?count=100")).stream()
                .filter(g -> displayName.equals(g.get("displayName")))
                .findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> json, String key) {
        return (List<Map<String, Object>>) json.get(key);
    }

    @Test
    @SuppressWarnings("unchecked")
    void chosenUsersAreServedWithTheirProfileRolesAndEnterpriseExtension() {
        Map<String, Object> owner = user("olivia.owner@acme.example");

        assertThat(owner)
                .containsEntry("userType", "Employee")
                .containsEntry("title", "CEO")
                .containsEntry("active", true);
        assertThat((List<Object>) owner.get("schemas"))
                .containsExactly("urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE);
        assertThat((Map<String, Object>) owner.get(ENTERPRISE)).containsOnly(Map.entry("department", "Board"));
        assertThat(list(owner, "roles"))
                .containsExactly(
                        Map.of("value", "admin", "display", "Administrator", "primary", true),
                        Map.of("value", "billing", "primary", false));
        assertThat(list(owner, "emails")).extracting(e -> e.get("value")).containsExactly("olivia@acme.example");

        Map<String, Object> guest = user("gus.guest@partner.example");
        Map<String, Object> manager =
                (Map<String, Object>) ((Map<String, Object>) guest.get(ENTERPRISE)).get("manager");
        assertThat(manager.get("value")).isEqualTo(owner.get("id"));
        assertThat((String) manager.get("$ref")).endsWith("/Users/" + owner.get("id"));
        assertThat(guest).containsEntry("userType", "Guest").doesNotContainKeys("title", "roles");

        assertThat(user("ci-bot@acme.example"))
                .containsEntry("userType", "Service")
                .containsEntry("active", false);
    }

    @Test
    @SuppressWarnings("unchecked")
    void generatedUsersKeepTheirShape() {
        ScimUser generated = upstream.directory().users().get(0);
        Map<String, Object> json = user(generated.userName());

        assertThat(json)
                .doesNotContainKeys("userType", "title", "roles", ENTERPRISE)
                .containsKey("groups");
        assertThat((List<Object>) json.get("schemas")).containsExactly("urn:ietf:params:scim:schemas:core:2.0:User");
    }

    @Test
    void chosenGroupsListTheirChosenMembers() {
        ScimUser owner = upstream.directory().users().stream()
                .filter(u -> u.userName().startsWith("olivia.owner"))
                .findFirst()
                .orElseThrow();

        assertThat(list(group("Owners"), "members"))
                .extracting(m -> m.get("value"))
                .containsExactly(owner.id());
        assertThat(list(group("Administrators"), "members"))
                .extracting(m -> m.get("display"))
                .containsExactlyInAnyOrder("olivia.owner@acme.example", "ci-bot@acme.example");
        assertThat(list(user("olivia.owner@acme.example"), "groups"))
                .extracting(g -> g.get("display"))
                .containsExactlyInAnyOrder("Owners", "Administrators");
    }

    @Test
    void aChosenUserNameMustBeNew() {
        assertThatThrownBy(() -> upstream.directory()
                        .addUser("olivia.owner@acme.example", "other@acme.example", "O", "O", null, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void membershipOnGroupsOnlyLeavesGroupsOffUsersButOnGroups() {
        upstream.enable(Quirk.MEMBERSHIP_ON_GROUPS_ONLY);

        assertThat(Http.resources(http.get(upstream.hostedBaseUrl() + "/Users?count=100")))
                .hasSize(33)
                .allSatisfy(u -> assertThat(u).doesNotContainKey("groups"));
        assertThat(user("olivia.owner@acme.example")).doesNotContainKey("groups");
        assertThat(list(group("Owners"), "members")).hasSize(1);
    }

    @Test
    void membersWithoutDisplayKeepValueAndRef() {
        upstream.enable(Quirk.MEMBERS_WITHOUT_DISPLAY);

        assertThat(list(group("Administrators"), "members"))
                .hasSize(2)
                .allSatisfy(m -> assertThat(m).containsOnlyKeys("value", "$ref"));
        upstream.disable(Quirk.MEMBERS_WITHOUT_DISPLAY);
        assertThat(list(group("Administrators"), "members"))
                .allSatisfy(m -> assertThat(m).containsKey("display"));
    }

    @Test
    void totalResultsLiesLowCountsOnlyThePage() {
        upstream.enable(Quirk.TOTAL_RESULTS_LIES_LOW);

        assertThat(Http.json(http.get(upstream.hostedBaseUrl() + "/Users?startIndex=1&count=1")))
                .containsEntry("totalResults", 1L);
        assertThat(Http.json(http.get(upstream.hostedBaseUrl() + "/Users?startIndex=31&count=10")))
                .containsEntry("totalResults", 3L);
        upstream.disable(Quirk.TOTAL_RESULTS_LIES_LOW);
        assertThat(Http.json(http.get(upstream.hostedBaseUrl() + "/Users?startIndex=1&count=1")))
                .containsEntry("totalResults", 33L);
    }
}
