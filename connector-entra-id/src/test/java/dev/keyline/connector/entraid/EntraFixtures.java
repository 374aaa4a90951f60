package dev.keyline.connector.entraid;

import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Mfa;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.RoleScope;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.model.UserType;
import dev.keyline.connector.model.UserTypeValue;
import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.tck.ExpectedDirectory;
import dev.keyline.connector.tck.JdkHttpTransport;
import dev.keyline.connector.tck.ReroutingTransport;
import dev.keyline.connector.tck.entra.GraphDouble;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The directory Graph reports, a double serving it, and configurations pointing at the double. */
final class EntraFixtures {
    /** The fixture role that stands for a role Microsoft labels privileged. */
    static final String PRIVILEGED_ROLE = "role-1";

    static final String GLOBAL_ADMINISTRATOR = "62e90394-69f5-4237-9190-012177145e10";

    private EntraFixtures() {}

    /**
     * The kit's standard directory as Graph has it: one work address plus other mails, accountEnabled as status, no
     * update times, Member/Guest types, a manager, sign-ins and MFA registration for some, three built-in directory
     * roles (one Microsoft labels privileged), assigned to users and groups.
     */
    static ExpectedDirectory directory() {
        ExpectedDirectory withRoles = ExpectedDirectory.standard().withRoles(3);
        List<Role> roles = withRoles.roles().stream()
                .map(r -> r.toBuilder()
                        .privileged(r.remoteId().equals(PRIVILEGED_ROLE))
                        .scope(RoleScope.ORG_WIDE)
                        .createdAt(null)
                        .updatedAt(null)
                        .build())
                .toList();
        List<User> source = withRoles.users();
        String manager = source.get(0).remoteId();
        List<User> users = new ArrayList<>();
        for (int i = 0; i < source.size(); i++) {
            User u = source.get(i);
            List<Email> emails = new ArrayList<>();
            emails.add(new Email(u.primaryEmailAddress(), "work", true));
            u.emails().stream()
                    .filter(e -> !e.primary())
                    .forEach(e -> emails.add(new Email(e.value(), "other", false)));
            List<RoleRef> refs = roles.stream()
                    .filter(r -> r.members().stream().anyMatch(m -> m.remoteId().equals(u.remoteId())))
                    .map(r -> new RoleRef(r.remoteId(), r.name(), r.privileged()))
                    .toList();
            boolean enabled = u.status().value() == StatusValue.ENABLED;
            users.add(u.toBuilder()
                    .emails(emails)
                    .status(new UserStatus(
                            enabled ? StatusValue.ENABLED : StatusValue.DISABLED, "accountEnabled=" + enabled))
                    .updatedAt(null)
                    .roles(refs)
                    .privileged(refs.stream().anyMatch(r -> Boolean.TRUE.equals(r.privileged())))
                    .type(
                            i % 3 == 1
                                    ? new UserType(UserTypeValue.GUEST, "Guest")
                                    : new UserType(UserTypeValue.MEMBER, "Member"))
                    .title(i % 2 == 0 ? "Engineer" : null)
                    .department(i % 2 == 0 ? "Engineering" : null)
                    .managerRemoteId(i > 0 && i % 4 == 0 ? manager : null)
                    .lastLoginAt(i % 3 == 0 ? Instant.parse("2026-11-0" + (1 + i % 9) + "T08:00:00Z") : null)
                    .mfa(
                            i % 5 == 0
                                    ? new Mfa(true, List.of("microsoftAuthenticatorPush"))
                                    : i % 5 == 1 ? new Mfa(false, List.of()) : Mfa.UNKNOWN)
                    .build());
        }
        List<Group> groups = withRoles.groups().stream()
                .map(g -> new Group(
                        g.remoteId(), g.name(), null, null, g.members(), g.memberCount(), g.createdAt(), null, null))
                .toList();
        return new ExpectedDirectory(users, groups, roles);
    }

    /** A double serving {@code directory} in Graph's shapes. */
    static GraphDouble.Builder doubleFor(ExpectedDirectory directory) {
        GraphDouble.Builder graph = GraphDouble.builder();
        for (User u : directory.users()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", u.remoteId());
            json.put("userPrincipalName", u.username());
            json.put("displayName", u.name());
            json.put("givenName", u.firstName());
            json.put("surname", u.lastName());
            json.put("mail", u.primaryEmailAddress());
            json.put(
                    "otherMails",
                    u.emails().stream()
                            .filter(e -> !e.primary())
                            .map(Email::value)
                            .toList());
            json.put("accountEnabled", u.status().value() == StatusValue.ENABLED);
            json.put("userType", u.type() == null ? null : u.type().sourceValue());
            json.put("jobTitle", u.title());
            json.put("department", u.department());
            json.put(
                    "createdDateTime",
                    u.createdAt() == null ? null : u.createdAt().toString());
            if (u.lastLoginAt() != null) {
                json.put(
                        "signInActivity",
                        Map.of("lastSuccessfulSignInDateTime", u.lastLoginAt().toString()));
            }
            if (u.managerRemoteId() != null) {
                json.put("_manager", u.managerRemoteId());
            }
            graph.user(json);
            if (u.mfa().enrolled() != null) {
                graph.registration(u.remoteId(), u.mfa().enrolled(), u.mfa().methods());
            }
        }
        for (Group g : directory.groups()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", g.remoteId());
            json.put("displayName", g.name());
            json.put("description", g.description());
            json.put(
                    "createdDateTime",
                    g.createdAt() == null ? null : g.createdAt().toString());
            json.put("groupTypes", List.of());
            json.put("securityEnabled", true);
            json.put("mailEnabled", false);
            graph.group(json, g.members().stream().map(MemberRef::remoteId).toList());
        }
        for (Role r : directory.roles()) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", r.remoteId());
            json.put("displayName", r.name());
            json.put("description", r.description());
            // The first role stands for Global Administrator (Microsoft labels it privileged), the others for
            // built-in roles without the label.
            json.put("isBuiltIn", true);
            json.put("templateId", r.remoteId().equals(PRIVILEGED_ROLE) ? GLOBAL_ADMINISTRATOR : r.remoteId());
            json.put("isEnabled", true);
            json.put("resourceScopes", List.of("/"));
            json.put("rolePermissions", List.of(Map.of("allowedResourceActions", r.permissions())));
            List<String> principals = new ArrayList<>();
            r.members().forEach(m -> principals.add(m.remoteId()));
            r.groups().stream().map(GroupRef::remoteId).forEach(principals::add);
            graph.roleDefinition(json, principals);
        }
        return graph;
    }

    static ConnectorConfig config(GraphDouble graph, String token) {
        return new ConnectorConfig(Map.of(EntraIdConnectorFactory.TENANT_ID, graph.tenantId()), Set.of())
                .withAuthorization(Authorization.fixed(AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS, "Bearer " + token));
    }

    /** Graph's real host, rerouted to the double. */
    static HttpTransport transport(GraphDouble graph) {
        return new ReroutingTransport(
                JdkHttpTransport.builder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .requestTimeout(Duration.ofSeconds(15))
                        .build(),
                URI.create("https://graph.microsoft.com"),
                URI.create(graph.rootUrl()));
    }
}
