package dev.keyline.connector.googleworkspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.connector.model.Mfa;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import dev.keyline.connector.tck.JdkHttpTransport;
import dev.keyline.connector.tck.KitRequest;
import dev.keyline.connector.tck.ReroutingTransport;
import dev.keyline.connector.tck.google.GoogleDirectoryDouble;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The connector against the double: paging, status and access-review mapping, deletion, throttling, diagnoses. */
class GoogleWorkspaceConnectorTest {
    private static final Set<String> ALL = Set.of(
            GoogleDirectoryDouble.SCOPE_USERS, GoogleDirectoryDouble.SCOPE_GROUPS, GoogleDirectoryDouble.SCOPE_ROLES);
    private static final Instant LOGIN = Instant.parse("2026-01-05T08:30:00Z");

    private final GoogleWorkspaceConnectorFactory factory = new GoogleWorkspaceConnectorFactory();
    private GoogleDirectoryDouble google;

    @BeforeEach
    void start() {
        google = GoogleDirectoryDouble.builder().customerId("C01acme42").start();
        google.putUser(GoogleDirectoryDouble.user("100", "ada@acme.example")
                .name("Ada", "Lovelace")
                .admin(true)
                .enrolledIn2Sv(true)
                .lastLogin(LOGIN)
                .organization("Engineering", "Engineer")
                .build());
        google.putUser(GoogleDirectoryDouble.user("101", "grace@acme.example")
                .name("Grace", "Hopper")
                .suspended(true)
                .delegatedAdmin(true)
                .build());
        google.putUser(GoogleDirectoryDouble.user("102", "alan@acme.example")
                .name("Alan", "Turing")
                .archived(true)
                .enforcedIn2Sv(true)
                .manager("ada@acme.example")
                .build());
        for (int i = 0; i < 7; i++) {
            google.putUser(GoogleDirectoryDouble.user("2" + i, "user" + i + "@acme.example")
                    .build());
        }
        google.superAdmin("ada@acme.example");
    }

    @AfterEach
    void stop() {
        google.close();
    }

    private Connector connector(String token, String customer) {
        ConnectorConfig config = factory.normalize(
                        new ConnectorConfig(Map.of(GoogleWorkspaceConnectorFactory.CUSTOMER_ID, customer), Set.of()))
                .withAuthorization(Authorization.fixed(AuthKind.Type.JWT_BEARER, "Bearer " + token));
        ReroutingTransport transport = new ReroutingTransport(
                JdkHttpTransport.builder()
                        .requestTimeout(Duration.ofSeconds(10))
                        .build(),
                URI.create("https://admin.googleapis.com"),
                URI.create(google.rootUrl()));
        return factory.create(config, new ConnectorContext(transport, Clock.systemUTC(), ConnectorLogger.discarding()));
    }

    private Connector connector(String token) {
        return connector(token, "");
    }

    private static UserDirectory users(Connector connector) {
        return connector.require(Capability.USERS, UserDirectory.class);
    }

    private static Validation validate(Connector connector) {
        return connector
                .require(Capability.CREDENTIAL_VALIDATION, CredentialValidator.class)
                .validate();
    }

    private List<User> all(UserDirectory users, int pageSize) {
        List<User> listed = new ArrayList<>();
        users.streamUsers(pageSize, false, page -> listed.addAll(page.items()));
        return listed;
    }

    @Test
    void pagesFollowNextPageTokenAndNeverAskForMoreThanGoogleAllows() {
        UserDirectory users = users(connector(google.validToken()));
        assertThat(all(users, 4)).hasSize(10);
        List<KitRequest> listings = google.requests().stream()
                .filter(r -> r.path().endsWith("/users"))
                .toList();
        assertThat(listings).hasSize(3);
        assertThat(listings.get(1).queryParameter("pageToken")).isPresent();
        google.clearRequests();
        assertThat(all(users, 1000)).hasSize(10);
        // The double answers 400 above Google's documented maximum of 500, as Google does.
        assertThat(google.requests().get(0).queryParameter("maxResults")).contains("500");
    }

    @Test
    void suspendedAndArchivedPeopleAreDisabledWithTheReasonAndDeletedPeopleAreGone() {
        UserDirectory users = users(connector(google.validToken()));
        assertThat(users.getUser("100", false).orElseThrow().status().value()).isEqualTo(StatusValue.ENABLED);
        User suspended = users.getUser("101", false).orElseThrow();
        assertThat(suspended.status().value()).isEqualTo(StatusValue.DISABLED);
        assertThat(suspended.status().sourceValue()).isEqualTo("suspended");
        User archived = users.getUser("102", false).orElseThrow();
        assertThat(archived.status().value()).isEqualTo(StatusValue.DISABLED);
        assertThat(archived.status().sourceValue()).isEqualTo("archived");
        google.deleteUser("102");
        assertThat(users.getUser("102", false)).isEmpty();
        assertThat(all(users, 100))
                .extracting(User::remoteId)
                .doesNotContain("102")
                .contains("101");
    }

    @Test
    void accessReviewFactsComeFromTheUserRecord() {
        UserDirectory users = users(connector(google.validToken()));
        User ada = users.getUser("ada@acme.example", false).orElseThrow();
        assertThat(ada.privileged()).isTrue();
        assertThat(ada.mfa()).isEqualTo(new Mfa(true, null));
        assertThat(ada.lastLoginAt()).isEqualTo(LOGIN);
        assertThat(ada.department()).isEqualTo("Engineering");
        assertThat(ada.title()).isEqualTo("Engineer");
        assertThat(users.getUser("101", false).orElseThrow().privileged()).isTrue();
        User alan = users.getUser("102", false).orElseThrow();
        // Enforcement is a policy, not an enrolment; the epoch last login means "never signed in".
        assertThat(alan.mfa()).isEqualTo(new Mfa(false, null));
        assertThat(alan.lastLoginAt()).isNull();
        assertThat(alan.privileged()).isFalse();
        assertThat(alan.managerRemoteId()).isNull();
    }

    @Test
    void filtersByEmailLookUpOneUserWithoutAScan() {
        UserDirectory users = users(connector(google.validToken()));
        assertThat(users.listUsers(
                                UserQuery.builder().email("GRACE@acme.example").build())
                        .items())
                .extracting(User::remoteId)
                .containsExactly("101");
        assertThat(google.requests()).extracting(KitRequest::path).noneMatch(p -> p.endsWith("/users"));
    }

    @Test
    void throttlingIsRateLimitedWithGooglesRetryAfterOrABackoff() {
        UserDirectory users = users(connector(google.validToken()));
        google.rateLimitNext(Duration.ofSeconds(7));
        ConnectorException throttled = failure(() -> users.listUsers(UserQuery.all(10, false)));
        assertThat(throttled.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(throttled.retryAfter()).contains(Duration.ofSeconds(7));
        google.userRateLimitNext();
        ConnectorException old = failure(() -> users.listUsers(UserQuery.all(10, false)));
        assertThat(old.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(old.retryAfter()).contains(DirectoryApi.DEFAULT_BACKOFF);
    }

    @Test
    void rolesTheGrantCannotReadAreAFactNotAFailure() {
        Validation full = validate(connector(google.validToken()));
        assertThat(full.facts()).containsEntry("users", "10").doesNotContainKey("missing_permission.roles");
        String noRoleScope = google.issueToken(
                "ada@acme.example", Set.of(GoogleDirectoryDouble.SCOPE_USERS, GoogleDirectoryDouble.SCOPE_GROUPS));
        Validation withoutScope = validate(connector(noRoleScope));
        assertThat(withoutScope.facts().get("missing_permission.roles"))
                .contains(GoogleWorkspaceConnectorFactory.SCOPE_ROLES);
        google.delegatedAdmin("grace@acme.example", Set.of("users", "groups"));
        Validation helpdesk = validate(connector(google.issueToken("grace@acme.example", ALL)));
        assertThat(helpdesk.facts()).containsKey("missing_permission.roles");
        assertThat(helpdesk.summary()).contains("admin roles cannot be read");
    }

    @Test
    void aPageOfMoreThanFiveHundredUsersIsCountedAsAtLeast() {
        for (int i = 0; i < 495; i++) {
            google.putUser(GoogleDirectoryDouble.user("3" + i, "bulk" + i + "@acme.example")
                    .build());
        }
        assertThat(validate(connector(google.validToken())).facts()).containsEntry("users_at_least", "500");
    }

    @Test
    void theAdminSdkApiSwitchedOffIsApiDisabled() {
        google.apiDisabled(true);
        ConnectorException e = failure(() -> validate(connector(google.validToken())));
        assertThat(e.code()).isEqualTo(ErrorCode.API_DISABLED);
        assertThat(e.messageCode()).isEqualTo("google_workspace.api_disabled");
        assertThat(e.getMessage()).contains("Admin SDK API");
    }

    @Test
    void anUnknownCustomerIdIsAConfigurationMistakeOnThatField() {
        ConnectorException e = failure(() -> validate(connector(google.validToken(), "C0999zzzz")));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.field()).contains(GoogleWorkspaceConnectorFactory.CUSTOMER_ID);
        assertThat(e.messageCode()).isEqualTo("google_workspace.customer_not_found");
        assertThat(validate(connector(google.validToken(), "C01acme42")).facts())
                .containsEntry("users", "10");
    }

    @Test
    void aMissingScopeOnARequiredListingSaysWhichScopes() {
        String usersOnly = google.issueToken("ada@acme.example", Set.of(GoogleDirectoryDouble.SCOPE_GROUPS));
        ConnectorException e = failure(() -> validate(connector(usersOnly)));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.messageCode()).isEqualTo("google_workspace.scope_missing");
        assertThat(e.getMessage()).contains(GoogleWorkspaceConnectorFactory.SCOPE_USERS);
    }

    private static ConnectorException failure(Runnable call) {
        try {
            call.run();
        } catch (ConnectorException e) {
            return e;
        }
        throw new AssertionError("the call did not fail");
    }

    @Test
    void pastedCustomerIdsAreNormalized() {
        assertThat(GoogleWorkspaceConnectorFactory.customer(java.util.Optional.empty()))
                .isEqualTo("my_customer");
        assertThat(GoogleWorkspaceConnectorFactory.customer(java.util.Optional.of("MY_CUSTOMER")))
                .isEqualTo("my_customer");
        assertThat(GoogleWorkspaceConnectorFactory.customer(java.util.Optional.of(" C01abc2de ")))
                .isEqualTo("C01abc2de");
        assertThat(GoogleWorkspaceConnectorFactory.customer(java.util.Optional.of("Customer ID: C01abc2de")))
                .isEqualTo("C01abc2de");
        assertThat(GoogleWorkspaceConnectorFactory.customer(java.util.Optional.of(
                        "https://admin.googleapis.com/admin/directory/v1/customer/C01abc2de/roles?maxResults=5")))
                .isEqualTo("C01abc2de");
        assertThat(GoogleWorkspaceConnectorFactory.customer(java.util.Optional.of(
                        "https://admin.googleapis.com/admin/directory/v1/users?customer=C03az79cb")))
                .isEqualTo("C03az79cb");
        for (String wrong : List.of("acme.com", "ada@acme.example", "https://admin.google.com/ac/home")) {
            assertThatThrownBy(() -> GoogleWorkspaceConnectorFactory.customer(java.util.Optional.of(wrong)))
                    .as(wrong)
                    .isInstanceOfSatisfying(ConnectorException.class, e -> {
                        assertThat(e.field()).contains(GoogleWorkspaceConnectorFactory.CUSTOMER_ID);
                        assertThat(e.messageCode()).isEqualTo("google_workspace.customer_id_invalid");
                    });
        }
    }
}
