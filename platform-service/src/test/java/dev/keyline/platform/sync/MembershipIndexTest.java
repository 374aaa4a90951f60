package dev.keyline.platform.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.User;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a run's group and role listings fill each user's groups, roles and privilege. */
class MembershipIndexTest {

    private static Group group(String id, Boolean privileged, String... members) {
        List<MemberRef> refs =
                List.of(members).stream().map(m -> new MemberRef(m, null)).toList();
        return new Group(id, "Group " + id, null, null, refs, null, null, null, null, privileged);
    }

    private static Role role(String id, Boolean privileged, List<String> users, List<String> groups) {
        return Role.builder(id)
                .name("Role " + id)
                .privileged(privileged)
                .members(users.stream().map(u -> new MemberRef(u, null)).toList())
                .groups(groups.stream().map(g -> new GroupRef(g, null)).toList())
                .build();
    }

    private static MembershipIndex index(List<Group> groups, List<Role> roles) {
        MembershipIndex index = new MembershipIndex();
        roles.forEach(r -> index.add(MembershipIndex.Links.of(r)));
        groups.forEach(g -> index.add(MembershipIndex.Links.of(g)));
        index.freeze();
        return index;
    }

    @Test
    void aUserGainsTheGroupsThatListItAndTheRolesOfThoseGroupsEachOnce() {
        MembershipIndex index = index(
                List.of(group("g1", null, "u1"), group("g2", null, "u1", "u2")),
                List.of(
                        role("r1", null, List.of("u1"), List.of("g2")),
                        role("r2", null, List.of(), List.of("g1", "g2"))));
        User own = User.builder("u1")
                .groups(List.of(new GroupRef("g2", "Own name")))
                .roles(List.of(new RoleRef("r9", "Own role", null)))
                .build();

        User joined = index.enrich(own);

        assertThat(joined.groups()).extracting(GroupRef::remoteId).containsExactly("g2", "g1");
        assertThat(joined.groups().get(0).name())
                .as("the provider's own ref comes first")
                .isEqualTo("Own name");
        assertThat(joined.roles()).extracting(RoleRef::remoteId).containsExactly("r9", "r1", "r2");
        assertThat(joined.privileged()).as("no marks: unknown").isNull();
        assertThat(index.membershipOnGroupsOnly())
                .as("u1 carried a group of its own")
                .isFalse();
    }

    @Test
    void whenEveryGroupAndRoleIsMarkedTheUsersOwnMarkIsWhetherAnyApplies() {
        MembershipIndex index = index(
                List.of(group("admins", true, "u1"), group("staff", false, "u2", "u3")),
                List.of(
                        role("owner", true, List.of("u4"), List.of()),
                        role("viewer", false, List.of(), List.of("staff"))));

        assertThat(index.enrich(User.builder("u1").build()).privileged()).isTrue();
        assertThat(index.enrich(User.builder("u2").build()).privileged()).isFalse();
        assertThat(index.enrich(User.builder("u4").build()).privileged()).isTrue();
        assertThat(index.enrich(User.builder("u5").build()).privileged())
                .as("in no group and no role of a provider that marks them all")
                .isFalse();
        assertThat(index.enrich(User.builder("u3").privileged(true).build()).privileged())
                .as("the provider's own statement stands")
                .isTrue();
        assertThat(index.membershipOnGroupsOnly()).isTrue();
        // A group only the user's own listing names has no mark: unknown.
        User elsewhere = User.builder("u6")
                .groups(List.of(new GroupRef("unlisted", null)))
                .build();
        assertThat(index.enrich(elsewhere).privileged()).isNull();
        assertThat(index.membershipOnGroupsOnly())
                .as("u6 carried a group of its own")
                .isFalse();
    }

    @Test
    void oneUnmarkedGroupLeavesPrivilegeUnknownButKeepsTheMarksThatAreThere() {
        MembershipIndex index = index(List.of(group("admins", true, "u1"), group("other", null, "u2")), List.of());
        assertThat(index.enrich(User.builder("u2").build()).privileged()).isNull();
        User own = User.builder("u1")
                .groups(List.of(new GroupRef("admins", "Admins")))
                .build();
        User joined = index.enrich(own);
        assertThat(joined.privileged()).isNull();
        assertThat(joined.groups().get(0).privileged())
                .as("the listed group's mark completes the provider's own ref")
                .isTrue();
    }

    @Test
    void withoutGroupsOrRolesAUserIsLeftAsListed() {
        MembershipIndex index = index(List.of(), List.of());
        User user = User.builder("u1").build();
        assertThat(index.enrich(user)).isSameAs(user);
        assertThat(index.membershipOnGroupsOnly()).isFalse();
    }

    @Test
    void theIndexIsReadOnlyOnceFrozen() {
        MembershipIndex index = index(List.of(), List.of());
        assertThatThrownBy(() -> index.add(MembershipIndex.Links.of(group("g", null, "u"))))
                .isInstanceOf(IllegalStateException.class);
    }
}
