package dev.keyline.connector.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleScope;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.RoleDirectory;
import dev.keyline.connector.tck.okta.OktaDouble;
import dev.keyline.connector.tck.okta.OktaFault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Admin roles as resources, with direct user and group assignments. */
class OktaRolesTest {
    private final OktaDouble okta = OktaDouble.builder().start();

    @AfterEach
    void stop() {
        okta.close();
    }

    private RoleDirectory roles() {
        return OktaFixture.withToken(okta).require(Capability.ROLES, RoleDirectory.class);
    }

    @Test
    void rolesCarryTheirUserAndGroupAssignmentsAndPrivilege() {
        String ada = okta.addUser("ada@acme.example", "ada@acme.example", "Ada", "L", "ACTIVE");
        String bob = okta.addUser("bob@acme.example", "bob@acme.example", "Bob", "B", "ACTIVE");
        String helpers = okta.addGroup("Helpers", bob);
        okta.assignAdminRole(ada, "SUPER_ADMIN");
        okta.assignAdminRole(bob, "REPORT_ADMIN");
        okta.assignGroupAdminRole(helpers, "HELP_DESK_ADMIN");
        List<Role> listed = new ArrayList<>();
        roles().streamRoles(1, true, false, page -> listed.addAll(page.items()));
        Map<String, Role> byId = listed.stream().collect(Collectors.toMap(Role::remoteId, Function.identity()));
        assertThat(byId).containsOnlyKeys("SUPER_ADMIN", "REPORT_ADMIN", "HELP_DESK_ADMIN");
        Role superAdmin = byId.get("SUPER_ADMIN");
        assertThat(superAdmin.privileged()).isTrue();
        assertThat(superAdmin.scope()).isEqualTo(RoleScope.ORG_WIDE);
        assertThat(superAdmin.members()).extracting(MemberRef::remoteId).containsExactly(ada);
        assertThat(superAdmin.groups()).isEmpty();
        assertThat(byId.get("REPORT_ADMIN").privileged()).isFalse();
        Role helpDesk = byId.get("HELP_DESK_ADMIN");
        assertThat(helpDesk.privileged()).isTrue();
        assertThat(helpDesk.members())
                .as("held through the group, not directly")
                .isEmpty();
        assertThat(helpDesk.groups()).extracting(GroupRef::remoteId).containsExactly(helpers);
        assertThat(roles().getRole("HELP_DESK_ADMIN", false))
                .hasValueSatisfying(r ->
                        assertThat(r.groups()).extracting(GroupRef::remoteId).containsExactly(helpers));
        assertThat(roles().getRole("ORG_ADMIN", false)).isEmpty();
    }

    @Test
    void listingRolesWithoutPermissionFailsWithAPlainSentence() {
        okta.inject(OktaFault.forbidden().on("/api/v1/iam/.*"));
        ConnectorException e = catchThrowableOfType(
                ConnectorException.class,
                () -> roles().listRoles(
                                dev.keyline.connector.spi.RoleQuery.builder().build()));
        assertThat(e.messageCode()).isEqualTo("okta.roles_permission_denied");
        assertThat(e.getMessage()).contains("okta.roles.read");
    }
}
