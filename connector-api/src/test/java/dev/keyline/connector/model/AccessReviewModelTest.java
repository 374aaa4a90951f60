package dev.keyline.connector.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessReviewModelTest {

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void roleNamesFromAnOlderPluginBecomeReferences() {
        // What an SPI 2 plugin's compiled call hands in: a List of Strings where the API now types List<RoleRef>.
        List names = new ArrayList<>(List.of("admin", "auditor"));
        User viaBuilder = User.builder("u1").roles(names).build();
        User viaConstructor = new User(
                "u1",
                null,
                null,
                null,
                null,
                null,
                List.of(),
                new UserStatus(StatusValue.ENABLED, null),
                false,
                List.of(),
                names,
                null,
                null,
                null);

        assertThat(viaBuilder.roles()).containsExactly(RoleRef.named("admin"), RoleRef.named("auditor"));
        assertThat(viaConstructor.roles()).isEqualTo(viaBuilder.roles());
        assertThat(viaConstructor.mfa()).isEqualTo(Mfa.UNKNOWN);
        assertThat(viaConstructor.privileged()).isNull();
        assertThat(viaConstructor.type()).isNull();
    }

    @Test
    void aRoleNamedOnlyByItsNameHasThatNameAsIdAndUnknownPrivilege() {
        assertThat(RoleRef.named("owner")).isEqualTo(new RoleRef("owner", "owner", null));
        assertThatThrownBy(() -> User.builder("u")
                        .roles(java.util.Arrays.asList((RoleRef) null))
                        .build())
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theOlderConstructorsLeaveThePrivilegeMarkUnknown() {
        assertThat(new GroupRef("g1", "Owners").privileged()).isNull();
        Group group = new Group("g1", "Owners", null, null, List.of(), null, null, null, null);
        assertThat(group.privileged()).isNull();
        assertThat(group.withPrivileged(true).ref()).isEqualTo(new GroupRef("g1", "Owners", true));
        assertThat(group.withPrivileged(true)
                        .withMembers(List.of(new MemberRef("u1", null)))
                        .privileged())
                .isTrue();
    }

    @Test
    void aUserKeepsEveryAccessReviewFactThroughItsBuilder() {
        User user = User.builder("u1")
                .privileged(true)
                .mfa(new Mfa(true, List.of("totp")))
                .lastLoginAt(java.time.Instant.parse("2026-11-30T10:00:00Z"))
                .type(new UserType(UserTypeValue.GUEST, "Guest"))
                .managerRemoteId("u0")
                .department("Finance")
                .title("Controller")
                .roles(List.of(new RoleRef("r1", "Super admin", true)))
                .build();
        assertThat(user.toBuilder().build()).isEqualTo(user);
        assertThat(UserTypeValue.fromWireName("service")).isEqualTo(UserTypeValue.SERVICE);
        assertThat(RoleScope.fromWireName("org_wide")).isEqualTo(RoleScope.ORG_WIDE);
        assertThatThrownBy(() -> UserTypeValue.fromWireName("robot")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRoleCarriesItsAssignmentsOrSaysTheyAreLeftOut() {
        Role role = Role.builder("r1")
                .name("Super admin")
                .privileged(true)
                .scope(RoleScope.ORG_WIDE)
                .build();
        assertThat(role.members()).isNull();
        assertThat(role.groups()).isNull();
        assertThat(role.permissions()).isEmpty();
        assertThat(role.ref()).isEqualTo(new RoleRef("r1", "Super admin", true));
        assertThat(role.toBuilder().build()).isEqualTo(role);
    }
}
