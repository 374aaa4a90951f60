package dev.keyline.connector.okta;

import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.RoleScope;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.tck.ConnectorConformanceTest;
import dev.keyline.connector.tck.Credentials;
import dev.keyline.connector.tck.ExpectedDirectory;
import dev.keyline.connector.tck.JdkHttpTransport;
import dev.keyline.connector.tck.ReroutingTransport;
import dev.keyline.connector.tck.UpstreamDouble;
import dev.keyline.connector.tck.okta.OktaDouble;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The conformance kit against {@link OktaDouble}, reached as {@code https://acme.okta.com} through a
 * {@link ReroutingTransport}, with an SSWS API token. The kit's standard directory in Okta's terms: statuses ACTIVE
 * and SUSPENDED, untyped addresses, OKTA_GROUP groups, and the access-review facts Okta has (title, department,
 * manager, last sign-in) plus admin roles on every third user.
 */
class OktaConformanceTest extends ConnectorConformanceTest {
    private static final String[] ROLES = {"SUPER_ADMIN", "READ_ONLY_ADMIN", "USER_ADMIN"};
    private OktaDouble okta;

    @Override
    protected String connectorId() {
        return OktaConnectorFactory.ID;
    }

    @Override
    protected ExpectedDirectory expectedDirectory() {
        ExpectedDirectory standard = ExpectedDirectory.standard();
        String manager = standard.users().get(0).remoteId();
        List<User> users = new ArrayList<>();
        for (int i = 0; i < standard.users().size(); i++) {
            User u = standard.users().get(i);
            boolean active = u.status().value() == StatusValue.ENABLED;
            User.Builder b = u.toBuilder()
                    .emails(u.emails().stream()
                            .map(e -> new Email(e.value(), null, e.primary()))
                            .toList())
                    .status(new UserStatus(
                            active ? StatusValue.ENABLED : StatusValue.DISABLED, active ? "ACTIVE" : "SUSPENDED"))
                    .lastLoginAt(i % 2 == 0 ? u.createdAt().plus(Duration.ofDays(3)) : null)
                    .title(i % 4 == 0 ? "Engineer" : null)
                    .department(i % 4 == 0 ? "Engineering" : null)
                    .managerRemoteId(i % 4 == 0 && i > 0 ? manager : null)
                    // Listed users carry no groups: membership comes from the groups' member listings.
                    .groups(List.of());
            if (i % 3 == 0) {
                String type = ROLES[(i / 3) % ROLES.length];
                boolean privileged = !type.equals("READ_ONLY_ADMIN");
                b.roles(List.of(new RoleRef(type, label(type), privileged))).privileged(privileged);
            }
            users.add(b.build());
        }
        List<Group> groups = standard.groups().stream()
                .map(g -> new Group(
                        g.remoteId(),
                        g.name(),
                        null,
                        "OKTA_GROUP",
                        g.members(),
                        g.memberCount(),
                        g.createdAt(),
                        g.updatedAt(),
                        null))
                .toList();
        List<Role> roles = new ArrayList<>();
        for (String type : ROLES) {
            List<MemberRef> holders = users.stream()
                    .filter(u -> u.roles().stream().anyMatch(r -> r.remoteId().equals(type)))
                    .map(u -> new MemberRef(u.remoteId(), null))
                    .toList();
            roles.add(Role.builder(type)
                    .name(label(type))
                    .privileged(!type.equals("READ_ONLY_ADMIN"))
                    .scope(type.equals("USER_ADMIN") ? null : RoleScope.ORG_WIDE)
                    .members(holders)
                    .groups(List.of())
                    .build());
        }
        return new ExpectedDirectory(users, groups, roles);
    }

    static String label(String type) {
        return switch (type) {
            case "SUPER_ADMIN" -> "Super Organization administrator";
            case "READ_ONLY_ADMIN" -> "Read-only Administrator";
            default -> "Group Administrator";
        };
    }

    @Override
    protected UpstreamDouble startUpstream(ExpectedDirectory directory) {
        okta = OktaDouble.builder()
                .apiToken("00conformance" + Long.toHexString(System.nanoTime()))
                .start();
        for (User u : directory.users()) {
            Map<String, Object> profile = new LinkedHashMap<>();
            profile.put("login", u.username());
            profile.put("email", u.primaryEmailAddress());
            u.emails().stream()
                    .filter(e -> !e.primary())
                    .findFirst()
                    .ifPresent(e -> profile.put("secondEmail", e.value()));
            profile.put("firstName", u.firstName());
            profile.put("lastName", u.lastName());
            profile.put("title", u.title());
            profile.put("department", u.department());
            profile.put("managerId", u.managerRemoteId());
            okta.putUser(u.remoteId(), u.status().sourceValue(), profile, u.createdAt(), u.updatedAt());
            okta.setLastLogin(u.remoteId(), u.lastLoginAt());
            u.roles().forEach(r -> okta.assignAdminRole(u.remoteId(), r.remoteId()));
        }
        for (Group g : directory.groups()) {
            okta.putGroup(
                    g.remoteId(),
                    g.name(),
                    null,
                    g.createdAt(),
                    g.updatedAt(),
                    g.members().stream().map(m -> m.remoteId()).toList());
        }
        return okta;
    }

    @Override
    protected ConnectorConfig configFor(UpstreamDouble upstream, Credentials credentials) {
        OktaDouble double_ = (OktaDouble) upstream;
        String token = switch (credentials) {
            case VALID -> double_.apiToken();
            case WRONG -> double_.wrongApiToken();
            case FORBIDDEN -> double_.forbiddenApiToken();
        };
        return new ConnectorConfig(
                Map.of(OktaConnectorFactory.OKTA_DOMAIN, "acme.okta.com", OktaConnectorFactory.API_TOKEN, token),
                Set.of(OktaConnectorFactory.API_TOKEN));
    }

    @Override
    protected HttpTransport transport() {
        return new ReroutingTransport(
                JdkHttpTransport.builder()
                        .connectTimeout(Duration.ofSeconds(2))
                        .requestTimeout(Duration.ofSeconds(15))
                        .build(),
                URI.create("https://acme.okta.com"),
                URI.create(okta.orgUrl()));
    }

    /** Okta says when its window resets, in epoch seconds; the connector subtracts the clock. */
    @Override
    protected Duration retryAfterTolerance() {
        return Duration.ofSeconds(1);
    }
}
