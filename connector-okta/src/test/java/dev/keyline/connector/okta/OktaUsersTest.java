package dev.keyline.connector.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.model.Mfa;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.tck.KitRequest;
import dev.keyline.connector.tck.okta.OktaDouble;
import dev.keyline.connector.tck.okta.OktaFault;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Users: Okta's paging, statuses, deactivation against deletion, throttling, roles and factors. */
class OktaUsersTest {
    private final OktaDouble okta = OktaDouble.builder().start();

    @AfterEach
    void stop() {
        okta.close();
    }

    private List<User> listAll(Connector connector, int pageSize) {
        List<User> all = new ArrayList<>();
        OktaFixture.users(connector).streamUsers(pageSize, false, page -> all.addAll(page.items()));
        return all;
    }

    private Map<String, User> byId(List<User> users) {
        return users.stream().collect(Collectors.toMap(User::remoteId, Function.identity()));
    }

    @Test
    void pagesFollowTheLinkHeaderAtMost200AtATime() {
        for (int i = 0; i < 450; i++) {
            okta.addUser("u" + i + "@acme.example", "u" + i + "@acme.example", "U", "" + i, "ACTIVE");
        }
        List<User> users = listAll(OktaFixture.withToken(okta), 500);
        assertThat(users).hasSize(450);
        assertThat(users.stream().map(User::remoteId).distinct()).hasSize(450);
        List<KitRequest> pages = okta.requests().stream()
                .filter(r -> r.path().equals("/api/v1/users"))
                .toList();
        // Three pages of the default listing (200, 200, 50), then the DEPROVISIONED pass.
        assertThat(pages).hasSize(4);
        assertThat(pages).allSatisfy(r -> assertThat(r.queryParameter("limit")).hasValue("200"));
        assertThat(pages.get(1).queryParameter("after")).isPresent();
        assertThat(pages.get(3).queryParameter("filter")).hasValue("status eq \"DEPROVISIONED\"");
    }

    @Test
    void everyOktaStatusMapsAndDeprovisionedUsersAreListedAsDisabled() {
        Map<String, StatusValue> expected = Map.of(
                "STAGED", StatusValue.PENDING,
                "PROVISIONED", StatusValue.PENDING,
                "ACTIVE", StatusValue.ENABLED,
                "RECOVERY", StatusValue.ENABLED,
                "PASSWORD_EXPIRED", StatusValue.ENABLED,
                "LOCKED_OUT", StatusValue.ENABLED,
                "SUSPENDED", StatusValue.DISABLED,
                "DEPROVISIONED", StatusValue.DISABLED);
        expected.keySet().forEach(s -> okta.addUser(s + "@acme.example", s + "@acme.example", "A", s, s));
        List<User> users = listAll(OktaFixture.withToken(okta), 3);
        assertThat(users).hasSize(8);
        for (User user : users) {
            String source = user.lastName();
            assertThat(user.status().sourceValue()).isEqualTo(source);
            assertThat(user.status().value()).as(source).isEqualTo(expected.get(source));
        }
        assertThat(OktaMapping.status("SOMETHING_NEW").value()).isEqualTo(StatusValue.UNMAPPED_VALUE);
    }

    @Test
    void aDeactivatedUserIsDisabledAndOnlyADeletedOneIsAbsent() {
        String kept = okta.addUser("kept@acme.example", "kept@acme.example", "K", "K", "ACTIVE");
        String gone = okta.addUser("gone@acme.example", "gone@acme.example", "G", "G", "ACTIVE");
        String left = okta.addUser("left@acme.example", "left@acme.example", "L", "L", "ACTIVE");
        okta.setStatus(left, "DEPROVISIONED");
        okta.setStatus(gone, "DEPROVISIONED");
        okta.deleteUser(gone);
        Connector connector = OktaFixture.withToken(okta);
        Map<String, User> users = byId(listAll(connector, 100));
        assertThat(users).containsOnlyKeys(kept, left);
        assertThat(users.get(left).status().value()).isEqualTo(StatusValue.DISABLED);
        UserDirectory directory = OktaFixture.users(connector);
        assertThat(directory.getUser(gone, false)).isEmpty();
        assertThat(directory.getUser(left, false))
                .hasValueSatisfying(u -> assertThat(u.status().sourceValue()).isEqualTo("DEPROVISIONED"));
    }

    @Test
    void aThrottledPageReportsOktasResetTime() {
        for (int i = 0; i < 5; i++) {
            okta.addUser("u" + i + "@acme.example", null, "U", "" + i, "ACTIVE");
        }
        okta.inject(OktaFault.rateLimited(Duration.ofSeconds(30))
                .on("/api/v1/users")
                .afterSkipping(1)
                .forNext(1));
        UserDirectory users = OktaFixture.users(OktaFixture.withToken(okta));
        var first = users.listUsers(UserQuery.all(2, false));
        ConnectorException e = catchThrowableOfType(
                ConnectorException.class,
                () -> users.listUsers(
                        UserQuery.all(2, false).withCursor(first.next().get())));
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.messageCode()).isEqualTo("okta.rate_limited");
        assertThat(e.retryAfter())
                .hasValueSatisfying(d -> assertThat(d.toSeconds()).isBetween(29L, 31L));
        // The same cursor works once the window has reset.
        assertThat(users.listUsers(
                                UserQuery.all(2, false).withCursor(first.next().get()))
                        .items())
                .hasSize(2);
    }

    @Test
    void lastLoginProfileFactsAndAdminRolesAreMapped() {
        String boss = okta.addUser("boss@acme.example", "boss@acme.example", "B", "Oss", "ACTIVE");
        String ada = okta.addUser("ada@acme.example", "ada@acme.example", "Ada", "Lovelace", "ACTIVE");
        String viewer = okta.addUser("viewer@acme.example", "viewer@acme.example", "V", "Iewer", "ACTIVE");
        String helpers = okta.addGroup("Helpers", viewer);
        okta.setProfile(ada, "managerId", boss);
        okta.setProfile(ada, "department", "Engineering");
        okta.setProfile(ada, "title", "Engineer");
        okta.setProfile(ada, "userType", "Employee");
        Instant login = Instant.parse("2026-11-30T08:15:00Z");
        okta.setLastLogin(ada, login);
        okta.assignAdminRole(ada, "SUPER_ADMIN");
        okta.assignAdminRole(viewer, "READ_ONLY_ADMIN");
        okta.assignGroupAdminRole(helpers, "HELP_DESK_ADMIN");
        var connector = OktaFixture.withToken(okta);
        Map<String, User> users = byId(listAll(connector, 100));
        User a = users.get(ada);
        assertThat(a.lastLoginAt()).isEqualTo(login);
        assertThat(a.managerRemoteId()).isEqualTo(boss);
        assertThat(a.department()).isEqualTo("Engineering");
        assertThat(a.title()).isEqualTo("Engineer");
        assertThat(a.type())
                .as("userType is free text, so the type stays unknown")
                .isNull();
        assertThat(a.roles()).containsExactly(new RoleRef("SUPER_ADMIN", "Super Organization administrator", true));
        assertThat(a.privileged()).isTrue();
        User v = users.get(viewer);
        assertThat(v.roles())
                .containsExactlyInAnyOrder(
                        new RoleRef("READ_ONLY_ADMIN", "Read-only Administrator", false),
                        new RoleRef("HELP_DESK_ADMIN", "Help Desk Administrator", true));
        assertThat(v.privileged()).isTrue();
        assertThat(v.groups())
                .as("a listing leaves membership to the groups' member listings")
                .isEmpty();
        assertThat(OktaFixture.users(connector)
                        .getUser(viewer, false)
                        .orElseThrow()
                        .groups())
                .isEmpty();
        assertThat(okta.requests())
                .as("no request per user for its groups")
                .noneMatch(r -> r.path().endsWith("/groups"));
        User b = users.get(boss);
        assertThat(b.roles()).isEmpty();
        assertThat(b.privileged()).as("no listed role is not proof of none").isNull();
        assertThat(b.lastLoginAt()).isNull();
        // Role assignments were read for the two holders only, not for every user.
        assertThat(okta.requests().stream().filter(r -> r.path().endsWith("/roles")))
                .extracting(KitRequest::path)
                .containsExactlyInAnyOrder("/api/v1/users/" + ada + "/roles", "/api/v1/users/" + viewer + "/roles");
    }

    @Test
    void withoutPermissionToReadRolesTheyAreUnknownAndTheListingStillWorks() {
        String ada = okta.addUser("ada@acme.example", "ada@acme.example", "Ada", "Lovelace", "ACTIVE");
        okta.assignAdminRole(ada, "SUPER_ADMIN");
        okta.inject(OktaFault.forbidden().on("/api/v1/iam/.*"));
        User user = listAll(OktaFixture.withToken(okta), 100).get(0);
        assertThat(user.roles()).isEmpty();
        assertThat(user.privileged()).isNull();
    }

    @Test
    void factorsAreReadOnlyWhenAskedFor() {
        String ada = okta.addUser("ada@acme.example", "ada@acme.example", "Ada", "Lovelace", "ACTIVE");
        String bob = okta.addUser("bob@acme.example", "bob@acme.example", "Bob", "B", "ACTIVE");
        okta.addFactor(ada, "push", "ACTIVE");
        okta.addFactor(ada, "token:software:totp", "ACTIVE");
        okta.addFactor(ada, "sms", "PENDING_ACTIVATION");
        Map<String, User> plain = byId(listAll(OktaFixture.withToken(okta), 100));
        assertThat(plain.get(ada).mfa()).isEqualTo(Mfa.UNKNOWN);
        assertThat(okta.requests()).noneMatch(r -> r.path().endsWith("/factors"));

        Connector asking =
                OktaFixture.withToken(okta, okta.apiToken(), Map.of(OktaConnectorFactory.READ_FACTORS, "yes"));
        Map<String, User> read = byId(listAll(asking, 100));
        assertThat(read.get(ada).mfa()).isEqualTo(new Mfa(true, List.of("push", "token:software:totp")));
        assertThat(read.get(bob).mfa()).isEqualTo(new Mfa(false, List.of()));

        okta.inject(OktaFault.forbidden().on(".*/factors"));
        assertThat(byId(listAll(asking, 100)).get(ada).mfa()).isEqualTo(Mfa.UNKNOWN);
    }

    @Test
    void aStatusFilterFindsDeactivatedUsersAsDisabledAndSkipsThatPassOtherwise() {
        String active = okta.addUser("a@acme.example", "a@acme.example", "A", "A", "ACTIVE");
        String suspended = okta.addUser("s@acme.example", "s@acme.example", "S", "S", "SUSPENDED");
        String left = okta.addUser("l@acme.example", "l@acme.example", "L", "L", "DEPROVISIONED");
        UserDirectory users = OktaFixture.users(OktaFixture.withToken(okta));
        List<User> disabled = new ArrayList<>();
        Page.stream(
                c -> users.listUsers(UserQuery.builder()
                        .status(StatusValue.DISABLED)
                        .cursor(c)
                        .build()),
                p -> disabled.addAll(p.items()));
        assertThat(disabled).extracting(User::remoteId).containsExactlyInAnyOrder(suspended, left);
        long before = okta.requests().size();
        List<User> enabled = new ArrayList<>();
        Page.stream(
                c -> users.listUsers(UserQuery.builder()
                        .status(StatusValue.ENABLED)
                        .cursor(c)
                        .build()),
                p -> enabled.addAll(p.items()));
        assertThat(enabled).extracting(User::remoteId).containsExactly(active);
        assertThat(okta.requests().subList((int) before, okta.requests().size()))
                .noneMatch(r -> r.queryParameter("filter").isPresent());
    }

    @Test
    void filtersByEmailAndLoginFindDeactivatedUsersToo() {
        String left = okta.addUser("left@acme.example", "left.mail@acme.example", "L", "L", "DEPROVISIONED");
        okta.addUser("other@acme.example", "other@acme.example", "O", "O", "ACTIVE");
        UserDirectory users = OktaFixture.users(OktaFixture.withToken(okta));
        var byEmail = users.listUsers(
                UserQuery.builder().email("LEFT.mail@acme.example").build());
        assertThat(byEmail.items()).extracting(User::remoteId).containsExactly(left);
        assertThat(byEmail.next()).isEmpty();
        var byLogin = users.listUsers(
                UserQuery.builder().username("left@acme.example").build());
        assertThat(byLogin.items()).extracting(User::remoteId).containsExactly(left);
    }
}
