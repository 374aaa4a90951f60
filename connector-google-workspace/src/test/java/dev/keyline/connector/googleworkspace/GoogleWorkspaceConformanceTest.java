package dev.keyline.connector.googleworkspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Mfa;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleScope;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.model.UserType;
import dev.keyline.connector.model.UserTypeValue;
import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.tck.ConnectorConformanceTest;
import dev.keyline.connector.tck.Credentials;
import dev.keyline.connector.tck.ExpectedDirectory;
import dev.keyline.connector.tck.JdkHttpTransport;
import dev.keyline.connector.tck.ReroutingTransport;
import dev.keyline.connector.tck.UpstreamDouble;
import dev.keyline.connector.tck.google.GoogleDirectoryDouble;
import dev.keyline.connector.tck.google.GoogleUser;
import java.net.URI;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit against {@link GoogleDirectoryDouble}, reached for {@code https://admin.googleapis.com}
 * through a rerouting transport, each configuration carrying a fixed token as the platform would attach one.
 */
class GoogleWorkspaceConformanceTest extends ConnectorConformanceTest {

    @Override
    protected String connectorId() {
        return GoogleWorkspaceConnectorFactory.ID;
    }

    /**
     * The standard directory as Google reports it: users carry no groups or roles (the Directory lists members on
     * groups and assignments on roles), no update times, every user is a member; by position, super administrators,
     * delegated administrators, 2-step enrolment, people who never signed in, one archived user; groups have no
     * times; three admin roles, all privileged, the super admin role org-wide.
     */
    @Override
    protected ExpectedDirectory expectedDirectory() {
        ExpectedDirectory standard = ExpectedDirectory.standard();
        List<User> users = new ArrayList<>();
        for (int i = 0; i < standard.users().size(); i++) {
            User u = standard.users().get(i);
            User.Builder user = u.toBuilder()
                    .groups(List.of())
                    .updatedAt(null)
                    .type(new UserType(UserTypeValue.MEMBER, null))
                    .privileged(i % 5 == 0 || i % 5 == 1)
                    .mfa(new Mfa(i % 2 == 0, null))
                    .lastLoginAt(i % 3 == 0 ? null : u.createdAt().plus(1, ChronoUnit.DAYS))
                    .department(i % 4 == 0 ? "Engineering" : null)
                    .title(i % 4 == 0 ? "Engineer" : null);
            if (i == 3) {
                user.status(new UserStatus(StatusValue.DISABLED, "archived"));
            }
            users.add(user.build());
        }
        List<Group> groups = standard.groups().stream()
                .map(g -> new Group(g.remoteId(), g.name(), null, null, g.members(), g.memberCount(), null, null, null))
                .toList();
        List<Role> roles = List.of(
                role("91447453409034240", "_SEED_ADMIN_ROLE", "Super Admin", RoleScope.ORG_WIDE, users, 0, List.of()),
                role(
                        "91447453409034241",
                        "_USER_MANAGEMENT_ADMIN_ROLE",
                        "User Management Admin",
                        null,
                        users,
                        1,
                        List.of(new GroupRef(groups.get(0).remoteId(), null))),
                role(
                        "91447453409034242",
                        "_GROUPS_READER_ROLE",
                        "Groups Reader",
                        null,
                        users,
                        -1,
                        List.of(new GroupRef(groups.get(1).remoteId(), null))));
        return new ExpectedDirectory(users, groups, roles);
    }

    /** A role held by the users at positions {@code i % 5 == remainder} (none for -1). */
    private static Role role(
            String id,
            String name,
            String description,
            RoleScope scope,
            List<User> users,
            int remainder,
            List<GroupRef> groups) {
        List<MemberRef> members = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            if (i % 5 == remainder) {
                members.add(new MemberRef(users.get(i).remoteId(), null));
            }
        }
        return Role.builder(id)
                .name(name)
                .description(description)
                .privileged(true)
                .scope(scope)
                .permissions(List.of("USERS_RETRIEVE", "GROUPS_RETRIEVE"))
                .members(members)
                .groups(groups)
                .build();
    }

    @Override
    protected UpstreamDouble startUpstream(ExpectedDirectory directory) {
        GoogleDirectoryDouble google = GoogleDirectoryDouble.builder().start();
        List<User> users = directory.users();
        for (int i = 0; i < users.size(); i++) {
            google.putUser(google(users.get(i), i));
        }
        for (int g = 0; g < directory.groups().size(); g++) {
            Group group = directory.groups().get(g);
            List<Map<String, Object>> members = new ArrayList<>();
            for (MemberRef m : group.members()) {
                members.add(member(m.remoteId(), m.username(), "USER"));
            }
            if (g == 0) {
                // A nested group and "everyone in the account" name no one person: the connector leaves them out.
                members.add(member(directory.groups().get(1).remoteId(), "finance@acme.example", "GROUP"));
                members.add(member("C01double", null, "CUSTOMER"));
            }
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("kind", "admin#directory#group");
            record.put("id", group.remoteId());
            record.put("email", group.name().toLowerCase().replace(' ', '-') + "@acme.example");
            record.put("name", group.name());
            record.put("adminCreated", true);
            google.putGroup(record, members);
        }
        for (Role role : directory.roles()) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("kind", "admin#directory#role");
            record.put("roleId", role.remoteId());
            record.put("roleName", role.name());
            record.put("roleDescription", role.description());
            record.put(
                    "rolePrivileges",
                    role.permissions().stream()
                            .map(p -> Map.of("privilegeName", p, "serviceId", "00haapch16h1ysv"))
                            .toList());
            record.put("isSystemRole", true);
            record.put("isSuperAdminRole", role.scope() == RoleScope.ORG_WIDE);
            google.putRole(record);
            role.members()
                    .forEach(m -> google.putRoleAssignment(
                            Map.of("roleId", role.remoteId(), "assignedTo", m.remoteId(), "assigneeType", "user")));
            role.groups()
                    .forEach(gr -> google.putRoleAssignment(Map.of(
                            "roleId",
                            role.remoteId(),
                            "assignedTo",
                            gr.remoteId(),
                            "assigneeType",
                            "group",
                            "scopeType",
                            "ORG_UNIT",
                            "orgUnitId",
                            "03ph8a2z1")));
        }
        return google;
    }

    private static Map<String, Object> google(User u, int i) {
        GoogleUser.Builder user = GoogleDirectoryDouble.user(u.remoteId(), u.primaryEmailAddress())
                .name(u.firstName(), u.lastName())
                .suspended(u.status().sourceValue().equals("suspended"))
                .archived(u.status().sourceValue().equals("archived"))
                .admin(i % 5 == 0)
                .delegatedAdmin(i % 5 == 1)
                .enrolledIn2Sv(Boolean.TRUE.equals(u.mfa().enrolled()))
                .enforcedIn2Sv(true)
                .lastLogin(u.lastLoginAt())
                .created(u.createdAt());
        u.emails().forEach(e -> user.email(e.value(), e.type(), e.primary()));
        if (u.department() != null) {
            user.organization(u.department(), u.title());
        }
        if (i > 0) {
            user.manager("ada.lovelace@acme.example");
        }
        return user.build();
    }

    private static Map<String, Object> member(String id, String email, String type) {
        Map<String, Object> member = new LinkedHashMap<>();
        member.put("kind", "admin#directory#member");
        member.put("id", id);
        if (email != null) {
            member.put("email", email);
        }
        member.put("role", "MEMBER");
        member.put("type", type);
        member.put("status", "ACTIVE");
        return member;
    }

    @Override
    protected HttpTransport transport() {
        return new ReroutingTransport(
                JdkHttpTransport.builder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .requestTimeout(Duration.ofSeconds(15))
                        .build(),
                URI.create("https://admin.googleapis.com"),
                URI.create(((GoogleDirectoryDouble) upstream()).rootUrl()));
    }

    @Override
    protected ConnectorConfig configFor(UpstreamDouble upstream, Credentials credentials) {
        GoogleDirectoryDouble google = (GoogleDirectoryDouble) upstream;
        String token = switch (credentials) {
            case VALID -> google.validToken();
            case WRONG -> google.wrongToken();
            case FORBIDDEN -> google.forbiddenToken();
        };
        return new ConnectorConfig(Map.of(GoogleWorkspaceConnectorFactory.CUSTOMER_ID, ""), Set.of())
                .withAuthorization(Authorization.fixed(AuthKind.Type.JWT_BEARER, "Bearer " + token));
    }

    /** An unknown token: the fixed authorization cannot refresh, so the grant is reported gone (no field). */
    @Override
    @Test
    public void wrongCredentialsFailValidationWithInvalidCredentials() {
        Connector connector = connector(Credentials.WRONG);
        ConnectorException e = assertInvalidCredentials(() -> validate(connector));
        assertThat(e.field()).isEmpty();
        assertThat(e.messageCode()).isEqualTo("auth.reauthorization_required");
    }

    /** The subject is no administrator: the form's subject field is the one to fix. */
    @Override
    @Test
    public void forbiddenCredentialsFailValidationWithInvalidCredentials() {
        Connector connector = connector(Credentials.FORBIDDEN);
        ConnectorException e = assertInvalidCredentials(() -> validate(connector));
        assertThat(e.field()).contains("subject");
        assertThat(e.messageCode()).isEqualTo("google_workspace.subject_not_admin");
        assertThat(e.getMessage()).contains("super administrator");
    }
}
