package dev.keyline.connector.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExpectedDirectoryTest {
    private final ExpectedDirectory directory = ExpectedDirectory.standard();

    @Test
    void standardDirectoryHasThePromisedShape() {
        assertThat(directory.users()).hasSize(23);
        assertThat(directory.groups()).hasSize(6);
        assertThat(directory.users()).allSatisfy(u -> assertThat(u.groups()).hasSize(2));
        assertThat(directory.users().stream().filter(u -> u.status().value() == StatusValue.DISABLED))
                .as("round(23 * 0.2) suspended users")
                .hasSize(5);
        assertThat(directory.users().stream().map(User::remoteId)).doesNotHaveDuplicates();
        assertThat(directory.users().stream().map(User::username)).doesNotHaveDuplicates();
        assertThat(directory.users().stream().flatMap(u -> u.emails().stream()).filter(e -> e.type() == null))
                .as("addresses without a type")
                .isNotEmpty();
    }

    @Test
    void membershipsAgreeOnBothSides() {
        Map<String, String> groupNames =
                directory.groups().stream().collect(Collectors.toMap(Group::remoteId, Group::name));
        for (User user : directory.users()) {
            for (GroupRef ref : user.groups()) {
                assertThat(ref.name()).isEqualTo(groupNames.get(ref.remoteId()));
                assertThat(directory.memberIds(ref.remoteId())).contains(user.remoteId());
            }
        }
        for (Group group : directory.groups()) {
            assertThat(group.memberCount()).isEqualTo(group.members().size());
            for (MemberRef member : group.members()) {
                User user = directory.user(member.remoteId()).orElseThrow();
                assertThat(member.username()).isEqualTo(user.username());
                assertThat(user.groups()).extracting(GroupRef::remoteId).contains(group.remoteId());
            }
        }
    }

    @Test
    void theSameArgumentsGiveTheSameDirectoryAndAnotherSeedAnother() {
        assertThat(ExpectedDirectory.generate(23, 6, 2, 0.2, 23)).isEqualTo(directory);
        assertThat(ExpectedDirectory.generate(23, 6, 2, 0.2, 24).users())
                .extracting(User::remoteId)
                .doesNotContainAnyElementsOf(
                        directory.users().stream().map(User::remoteId).toList());
    }

    @Test
    void mappingUsersKeepsGroups() {
        ExpectedDirectory mapped = directory.mapUsers(
                u -> u.toBuilder().roleNames(List.of("member")).build());
        assertThat(mapped.users()).allSatisfy(u -> assertThat(u.roles()).containsExactly(RoleRef.named("member")));
        assertThat(mapped.groups()).isEqualTo(directory.groups());
    }

    @Test
    void rolesAreAssignedToUsersAndGroupsByPosition() {
        ExpectedDirectory withRoles = directory.withRoles(8);

        assertThat(withRoles.roles()).hasSize(8);
        assertThat(withRoles.roles().stream().flatMap(r -> r.members().stream()).map(MemberRef::remoteId))
                .as("every user holds exactly one role directly")
                .containsExactlyInAnyOrderElementsOf(
                        directory.users().stream().map(User::remoteId).toList());
        assertThat(withRoles.role("role-1")).hasValueSatisfying(r -> {
            assertThat(r.privileged()).isTrue();
            assertThat(r.groups())
                    .extracting(GroupRef::remoteId)
                    .containsExactly(directory.groups().get(0).remoteId());
        });
        assertThat(withRoles.role("role-8"))
                .hasValueSatisfying(r -> assertThat(r.groups()).isEmpty());
    }

    @Test
    void accessReviewFactsCycleThroughTheAccountTypes() {
        List<User> users = directory.withAccessReviewFacts().users();

        assertThat(users.get(0).type().value()).isEqualTo(dev.keyline.connector.model.UserTypeValue.MEMBER);
        assertThat(users.get(0).managerRemoteId()).isNull();
        assertThat(users.get(4).managerRemoteId()).isEqualTo(users.get(0).remoteId());
        assertThat(users.get(1).type().sourceValue()).isEqualTo("Guest");
        assertThat(users.get(2).roles()).containsExactly(new RoleRef("admin", "Administrator", null));
        assertThat(users.get(3).type()).isNull();
    }

    @Test
    void markingGroupsMarksTheUsersReferencesToo() {
        String first = directory.groups().get(0).remoteId();
        ExpectedDirectory marked = directory.markGroups(g -> g.remoteId().equals(first) ? Boolean.TRUE : null);

        assertThat(marked.group(first))
                .hasValueSatisfying(g -> assertThat(g.privileged()).isTrue());
        assertThat(marked.users().stream().flatMap(u -> u.groups().stream()))
                .allSatisfy(
                        r -> assertThat(r.privileged()).isEqualTo(r.remoteId().equals(first) ? Boolean.TRUE : null));
    }
}
