package dev.keyline.scimdouble;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScimUpstreamDirectoryTest {
    private final ScimUpstream upstream = ScimUpstream.builder()
            .users(50)
            .groups(5)
            .membershipsPerUser(3)
            .suspendedFraction(0.2)
            .seed(42)
            .start();
    private final Http http = new Http(upstream);

    @AfterEach
    void close() {
        upstream.close();
    }

    @Test
    void sameSeedGivesSameDirectoryAndAnotherSeedAnother() {
        try (ScimUpstream same = ScimUpstream.builder()
                        .users(50)
                        .groups(5)
                        .membershipsPerUser(3)
                        .suspendedFraction(0.2)
                        .seed(42)
                        .start();
                ScimUpstream other = ScimUpstream.builder()
                        .users(50)
                        .groups(5)
                        .membershipsPerUser(3)
                        .suspendedFraction(0.2)
                        .seed(43)
                        .start()) {
            assertThat(same.directory().users()).isEqualTo(upstream.directory().users());
            assertThat(same.directory().groups()).isEqualTo(upstream.directory().groups());
            assertThat(other.directory().users())
                    .isNotEqualTo(upstream.directory().users());
        }
    }

    @Test
    void generatedRecordsHaveTheHostedShape() {
        List<ScimUser> users = upstream.directory().users();
        assertThat(users).hasSize(50);
        assertThat(users).allSatisfy(user -> {
            assertThat(user.id()).matches("[A-Z2-7]{26}");
            assertThat(user.userName()).matches("[a-z0-9.]+@acme\\.example");
            assertThat(user.primaryEmail()).hasValue(user.userName());
            assertThat(user.groupIds()).hasSize(3).doesNotHaveDuplicates();
        });
        assertThat(users).extracting(ScimUser::userName).doesNotHaveDuplicates();
        assertThat(users).filteredOn(u -> !u.active()).hasSize(10);
        assertThat(users)
                .flatExtracting(ScimUser::emails)
                .extracting(ScimEmail::type)
                .contains("", "work", "home");
        assertThat(upstream.directory().groups())
                .hasSize(5)
                .allSatisfy(group -> assertThat(group.id()).matches("[a-z2-7]{26}"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void userJsonCarriesEveryAttribute() {
        ScimUser user = upstream.directory().users().stream()
                .filter(u -> u.emails().size() > 1)
                .findFirst()
                .orElseThrow();
        Map<String, Object> json = Http.json(http.get(upstream.hostedBaseUrl() + "/Users/" + user.id()));
        assertThat(json.get("schemas")).isEqualTo(List.of("urn:ietf:params:scim:schemas:core:2.0:User"));
        assertThat(json)
                .containsEntry("id", user.id())
                .containsEntry("userName", user.userName())
                .containsEntry("displayName", user.displayName())
                .containsEntry("active", user.active())
                .containsEntry("preferredLanguage", user.preferredLanguage());
        assertThat((Map<String, Object>) json.get("name"))
                .containsEntry("formatted", user.formattedName())
                .containsEntry("givenName", user.givenName())
                .containsEntry("familyName", user.familyName());
        assertThat((List<Map<String, Object>>) json.get("emails"))
                .extracting(e -> e.get("value"), e -> e.get("primary"), e -> e.get("type"))
                .hasSize(2);
        List<Map<String, Object>> groups = (List<Map<String, Object>>) json.get("groups");
        assertThat(groups).extracting(g -> g.get("value")).containsExactlyElementsOf(user.groupIds());
        assertThat(groups).allSatisfy(g -> {
            assertThat(g.get("$ref")).isEqualTo(upstream.hostedBaseUrl() + "/Groups/" + g.get("value"));
            assertThat(g.get("display"))
                    .isEqualTo(upstream.directory()
                            .group((String) g.get("value"))
                            .orElseThrow()
                            .displayName());
        });
        assertThat((Map<String, Object>) json.get("meta"))
                .containsEntry("resourceType", "User")
                .containsEntry("created", user.created().toString())
                .containsEntry("lastModified", user.lastModified().toString())
                .containsEntry("location", upstream.hostedBaseUrl() + "/Users/" + user.id());
    }

    @Test
    @SuppressWarnings("unchecked")
    void groupJsonCarriesMembersWithRefsRelativeToTheUrlFormUsed() {
        ScimGroup group = upstream.directory().groups().get(0);
        Map<String, Object> json = Http.json(http.get(upstream.bridgeScimBaseUrl() + "/Groups/" + group.id()));
        assertThat(json).containsEntry("id", group.id()).containsEntry("displayName", group.displayName());
        List<Map<String, Object>> members = (List<Map<String, Object>>) json.get("members");
        assertThat(members)
                .extracting(m -> m.get("value"))
                .containsExactlyElementsOf(upstream.directory().memberIds(group.id()));
        assertThat(members).allSatisfy(m -> {
            assertThat(m.get("$ref")).isEqualTo(upstream.bridgeScimBaseUrl() + "/Users/" + m.get("value"));
            assertThat(m.get("display"))
                    .isEqualTo(upstream.directory()
                            .user((String) m.get("value"))
                            .orElseThrow()
                            .userName());
        });
        assertThat((Map<String, Object>) json.get("meta"))
                .containsEntry("location", upstream.bridgeScimBaseUrl() + "/Groups/" + group.id());
    }

    @Test
    void addedUserIsServedAtTheEndAndCounted() {
        ScimUser added = upstream.directory().addUser("Zoë", "O'Brien");
        assertThat(added.userName()).isEqualTo("zoe.obrien@acme.example");
        Map<String, Object> page = Http.json(http.get(upstream.hostedBaseUrl() + "/Users?startIndex=51&count=10"));
        assertThat(page).containsEntry("totalResults", 51L);
        assertThat(Http.resources(http.get(upstream.hostedBaseUrl() + "/Users?startIndex=51&count=10")))
                .singleElement()
                .satisfies(json -> assertThat(json).containsEntry("id", added.id()));
    }

    @Test
    void suspendingAndReactivatingMoveLastModifiedForward() {
        ScimUser user = upstream.directory().users().stream()
                .filter(ScimUser::active)
                .findFirst()
                .orElseThrow();
        ScimUser suspended = upstream.directory().suspendUser(user.id());
        assertThat(suspended.active()).isFalse();
        assertThat(suspended.lastModified()).isAfter(user.lastModified());
        assertThat(Http.json(http.get(upstream.hostedBaseUrl() + "/Users/" + user.id())))
                .containsEntry("active", false);
        ScimUser reactivated = upstream.directory().reactivateUser(user.id());
        assertThat(reactivated.active()).isTrue();
        assertThat(reactivated.lastModified()).isAfter(suspended.lastModified());
    }

    @Test
    void updatedUserIsServedChanged() {
        ScimUser user = upstream.directory().users().get(0);
        upstream.directory().updateUser(user.id(), u -> u.withUserName("renamed@acme.example"));
        assertThat(Http.json(http.get(upstream.hostedBaseUrl() + "/Users/" + user.id())))
                .containsEntry("userName", "renamed@acme.example");
        assertThatThrownBy(() -> upstream.directory()
                        .updateUser(
                                user.id(),
                                u -> new ScimUser(
                                        "OTHER",
                                        u.userName(),
                                        u.givenName(),
                                        u.familyName(),
                                        u.displayName(),
                                        u.active(),
                                        u.emails(),
                                        u.preferredLanguage(),
                                        u.groupIds(),
                                        u.created(),
                                        u.lastModified())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void removedUserIsGoneFromListingsLookupsAndGroups() {
        ScimUser user = upstream.directory().users().get(4);
        String groupId = user.groupIds().get(0);
        upstream.directory().removeUser(user.id());
        assertThat(http.get(upstream.hostedBaseUrl() + "/Users/" + user.id()).statusCode())
                .isEqualTo(404);
        assertThat(Http.json(http.get(upstream.hostedBaseUrl() + "/Users?count=1")))
                .containsEntry("totalResults", 49L);
        assertThat(upstream.directory().memberIds(groupId)).doesNotContain(user.id());
        assertThatThrownBy(() -> upstream.directory().removeUser(user.id()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void membershipChangesShowOnBothSides() {
        ScimGroup group = upstream.directory().addGroup("Auditors");
        ScimUser user = upstream.directory().users().get(0);
        upstream.directory().addMember(group.id(), user.id());
        assertThat(upstream.directory().memberIds(group.id())).containsExactly(user.id());
        assertThat(upstream.directory().user(user.id()).orElseThrow().groupIds())
                .contains(group.id());
        assertThat(upstream.directory().group(group.id()).orElseThrow().lastModified())
                .isAfter(group.lastModified());

        upstream.directory().removeMember(group.id(), user.id());
        assertThat(upstream.directory().memberIds(group.id())).isEmpty();
        assertThat(upstream.directory().user(user.id()).orElseThrow().groupIds())
                .doesNotContain(group.id());
    }

    @Test
    void renamedGroupShowsItsNewNameOnItsMembers() {
        ScimUser user = upstream.directory().users().get(0);
        String groupId = user.groupIds().get(0);
        upstream.directory().renameGroup(groupId, "Platform Engineering");
        assertThat(Http.json(http.get(upstream.hostedBaseUrl() + "/Users/" + user.id()))
                        .toString())
                .contains("Platform Engineering");
    }

    @Test
    void removedGroupTakesItsMembershipsWithIt() {
        ScimGroup group = upstream.directory().groups().get(0);
        List<String> members = upstream.directory().memberIds(group.id());
        assertThat(members).isNotEmpty();
        upstream.directory().removeGroup(group.id());
        assertThat(http.get(upstream.hostedBaseUrl() + "/Groups/" + group.id()).statusCode())
                .isEqualTo(404);
        assertThat(members)
                .allSatisfy(id -> assertThat(
                                upstream.directory().user(id).orElseThrow().groupIds())
                        .doesNotContain(group.id()));
    }

    @Test
    void groupAddedAsGivenIsServedWithTheMembersAddedToIt() {
        ScimUser template = upstream.directory().users().get(0);
        ScimGroup given = new ScimGroup("given-group", "Given", template.created(), template.lastModified());
        assertThat(upstream.directory().addGroup(given)).isEqualTo(given);
        ScimUser member = new ScimUser(
                "GIVEN",
                "given@acme.example",
                "G",
                "N",
                "G N",
                true,
                List.of(),
                "en",
                List.of("given-group"),
                template.created(),
                template.lastModified());
        upstream.directory().addUser(member);
        Map<String, Object> json = Http.json(http.get(upstream.hostedBaseUrl() + "/Groups/given-group"));
        assertThat(json).containsEntry("displayName", "Given");
        assertThat(upstream.directory().memberIds("given-group")).containsExactly("GIVEN");
        assertThatThrownBy(() -> upstream.directory().addGroup(given)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void addingAUserWithAnUnknownGroupIsRefused() {
        ScimUser template = upstream.directory().users().get(0);
        ScimUser stray = new ScimUser(
                "STRAY",
                "stray@acme.example",
                "S",
                "T",
                "S T",
                true,
                List.of(),
                "en",
                List.of("nosuchgroup"),
                template.created(),
                template.lastModified());
        assertThatThrownBy(() -> upstream.directory().addUser(stray)).isInstanceOf(IllegalArgumentException.class);
        assertThat(upstream.directory().user("STRAY")).isEmpty();
    }

    @Test
    void aHundredThousandUsersAreServedPageByPage() {
        try (ScimUpstream big = ScimUpstream.builder()
                .users(100_000)
                .groups(20)
                .membershipsPerUser(5)
                .start()) {
            Http client = new Http(big);
            for (int start : new int[] {1, 50_001, 99_901}) {
                var response = client.get(big.hostedBaseUrl() + "/Users?startIndex=" + start + "&count=100");
                assertThat(Http.json(response)).containsEntry("totalResults", 100_000L);
                assertThat(Http.resources(response))
                        .extracting(u -> u.get("id"))
                        .containsExactlyElementsOf(big.directory().users().subList(start - 1, start + 99).stream()
                                .map(ScimUser::id)
                                .toList());
            }
            assertThat(big.directory().users()).extracting(ScimUser::id).doesNotHaveDuplicates();
            assertThat(big.directory().users()).extracting(ScimUser::userName).doesNotHaveDuplicates();
            Map<String, Object> group = Http.json(client.get(big.hostedBaseUrl() + "/Groups?count=1"));
            assertThat(group).containsEntry("totalResults", 20L);
        }
    }
}
