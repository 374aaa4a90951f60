package dev.keyline.connector.entraid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.UserChangeFeed;
import dev.keyline.connector.spi.UserChanges;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import dev.keyline.connector.tck.ExpectedDirectory;
import dev.keyline.connector.tck.entra.GraphDouble;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Behaviour beyond the kit: normalize, token diagnoses, optional permissions, throttling, the change feed. */
class EntraIdConnectorTest {
    private final EntraIdConnectorFactory factory = new EntraIdConnectorFactory();
    private final ExpectedDirectory directory = EntraFixtures.directory();
    private GraphDouble graph;

    @AfterEach
    void stop() {
        if (graph != null) {
            graph.close();
        }
    }

    private EntraIdConnector connector(GraphDouble.Builder builder) {
        graph = builder.start();
        return connectorFor(graph.validToken());
    }

    private EntraIdConnector connectorFor(String token) {
        ConnectorConfig config = factory.normalize(EntraFixtures.config(graph, token));
        return (EntraIdConnector) factory.create(
                config,
                new ConnectorContext(
                        EntraFixtures.transport(graph),
                        Clock.systemUTC(),
                        dev.keyline.connector.spi.ConnectorLogger.system("entra-test", Set.of())));
    }

    private static ConnectorConfig typed(String tenant, String cloud) {
        return new ConnectorConfig(
                cloud == null
                        ? Map.of(EntraIdConnectorFactory.TENANT_ID, tenant)
                        : Map.of(EntraIdConnectorFactory.TENANT_ID, tenant, EntraIdConnectorFactory.CLOUD, cloud),
                Set.of());
    }

    @ParameterizedTest
    @CsvSource({
        "contoso.onmicrosoft.com,,contoso.onmicrosoft.com,global",
        "https://login.microsoftonline.com/8B1C2A6E-3F4D-4E5A-9B7C-0D1E2F3A4B5C/oauth2/v2.0/token,,"
                + "8b1c2a6e-3f4d-4e5a-9b7c-0d1e2f3a4b5c,global",
        "https://portal.azure.com/#@contoso.onmicrosoft.com/resource/subscriptions,,contoso.onmicrosoft.com,global",
        "https://entra.microsoft.com/#view/Microsoft_AAD_IAM/TenantOverview.ReactView?tenantId="
                + "8b1c2a6e-3f4d-4e5a-9b7c-0d1e2f3a4b5c,,8b1c2a6e-3f4d-4e5a-9b7c-0d1e2f3a4b5c,global",
        "https://login.microsoftonline.us/contoso.onmicrosoft.us/v2.0,,contoso.onmicrosoft.us,us_gov",
        "https://login.chinacloudapi.cn/contoso.partner.onmschina.cn/,,contoso.partner.onmschina.cn,china",
        "contoso.onmicrosoft.us,us_gov_dod,contoso.onmicrosoft.us,us_gov_dod"
    })
    void normalizeTrimsPastedUrlsToTheTenantAndDerivesTheHosts(String typed, String cloud, String tenant, String want) {
        ConnectorConfig config = factory.normalize(typed(typed, cloud));
        EntraCloud expected = EntraCloud.fromWire(want).orElseThrow();
        assertThat(config.find(EntraIdConnectorFactory.TENANT_ID)).hasValue(tenant);
        assertThat(config.find(EntraIdConnectorFactory.CLOUD)).hasValue(want);
        assertThat(config.find(EntraIdConnectorFactory.LOGIN_HOST)).hasValue(expected.loginHost());
        assertThat(config.find(EntraIdConnectorFactory.GRAPH_HOST)).hasValue(expected.graphHost());
        assertThat(AuthKind.expand(EntraIdConnectorFactory.TOKEN_URL, config.values()))
                .isEqualTo("https://" + expected.loginHost() + "/" + tenant + "/oauth2/v2.0/token");
    }

    @Test
    void aTypedHostNeverOverridesTheCloudsHost() {
        ConnectorConfig config = factory.normalize(
                typed("contoso.onmicrosoft.com", "china").with(EntraIdConnectorFactory.LOGIN_HOST, "evil.example"));
        assertThat(config.find(EntraIdConnectorFactory.LOGIN_HOST)).hasValue("login.chinacloudapi.cn");
        assertThat(config.find(EntraIdConnectorFactory.GRAPH_HOST)).hasValue("microsoftgraph.chinacloudapi.cn");
    }

    @ParameterizedTest
    @CsvSource({
        "common,entra_id.tenant_alias",
        "not a tenant,entra_id.tenant_invalid",
        "https://example.com/x,entra_id.tenant_invalid"
    })
    void badTenantsAreRefusedOnTheTenantField(String typed, String code) {
        assertThatThrownBy(() -> factory.normalize(typed(typed, null)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.messageCode()).isEqualTo(code);
                    assertThat(e.field()).hasValue(EntraIdConnectorFactory.TENANT_ID);
                });
    }

    @Test
    void anUnknownCloudIsRefusedOnTheCloudField() {
        assertThatThrownBy(() -> factory.normalize(typed("contoso.onmicrosoft.com", "mars")))
                .isInstanceOfSatisfying(
                        ConnectorException.class, e -> assertThat(e.field()).hasValue("cloud"));
    }

    @ParameterizedTest
    @CsvSource({
        "invalid_request,400,90002,tenant_id,entra_id.tenant_not_found",
        "invalid_client,401,7000215,client_secret,entra_id.client_secret_invalid",
        "invalid_client,401,7000222,client_secret,entra_id.client_secret_expired",
        "unauthorized_client,400,700016,client_id,entra_id.client_not_found"
    })
    void tokenFailuresAreExplainedByTheirAadstsNumber(
            String error, int status, String number, String field, String code) {
        ConnectorException generic = ConnectorException.builder(
                        ErrorCode.INVALID_CREDENTIALS, "The token endpoint refused.")
                .messageCode("auth." + error)
                .param("error", error)
                .param("status", status)
                .param("error_description", "AADSTS" + number + ": something.")
                .param("error_codes", number)
                .build();
        AuthKind kind = factory.descriptor()
                .authKind(AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS)
                .orElseThrow();
        ConnectorException explained =
                factory.explainTokenFailure(kind, generic).orElseThrow();
        assertThat(explained.messageCode()).isEqualTo(code);
        assertThat(explained.field()).hasValue(field);
        assertThat(explained.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        // Without error_codes, the description's AADSTS number is enough.
        ConnectorException described = generic.toBuilder().build();
        assertThat(factory.explainTokenFailure(kind, described)).isPresent();
    }

    @Test
    void anUnknownTokenFailureKeepsTheGenericAnswer() {
        ConnectorException generic = ConnectorException.builder(ErrorCode.INVALID_CREDENTIALS, "refused")
                .messageCode("auth.invalid_grant")
                .param("error_codes", "50000")
                .build();
        assertThat(factory.explainTokenFailure(factory.descriptor().authKinds().get(0), generic))
                .isEmpty();
    }

    @Test
    void withoutAuditLogTheSignInAndMfaFieldsAreNullAndFactsSayWhy() {
        EntraIdConnector connector = connector(EntraFixtures.doubleFor(directory)
                .granted(Set.of(GraphDouble.USER_READ_ALL, GraphDouble.GROUP_MEMBER_READ_ALL)));
        Validation validation = connector.validate();
        assertThat(validation.facts())
                .containsEntry("missing_permission.last_login_at", "AuditLog.Read.All")
                .containsEntry("missing_permission.mfa", "AuditLog.Read.All")
                .containsEntry("missing_permission.roles", "RoleManagement.Read.Directory")
                .containsEntry("users", "23");
        List<User> users = connector.listUsers(UserQuery.all(100, false)).items();
        assertThat(users).hasSize(23).allSatisfy(u -> {
            assertThat(u.lastLoginAt()).isNull();
            assertThat(u.mfa().enrolled()).isNull();
            assertThat(u.privileged()).isNull();
        });
    }

    @Test
    void withoutAPremiumLicenceTheFactNamesTheLicence() {
        EntraIdConnector connector =
                connector(EntraFixtures.doubleFor(directory).premium(false));
        assertThat(connector.validate().facts().get("missing_permission.last_login_at"))
                .contains("P1 or P2");
        assertThat(connector.listUsers(UserQuery.all(5, false)).items())
                .allSatisfy(u -> assertThat(u.lastLoginAt()).isNull());
    }

    @Test
    void aListingRefusedForSignInsIsRetriedWithoutThem() {
        EntraIdConnector connector = connector(EntraFixtures.doubleFor(directory));
        assertThat(connector.validate().facts()).doesNotContainKey("missing_permission.last_login_at");
        graph.premium(false);
        List<User> users = connector.listUsers(UserQuery.all(100, false)).items();
        assertThat(users)
                .hasSize(23)
                .allSatisfy(u -> assertThat(u.lastLoginAt()).isNull());
        assertThat(graph.requests().get(graph.requests().size() - 1).query()).doesNotContain("signInActivity");
    }

    @Test
    void withEveryPermissionNoFactIsMissing() {
        Validation validation = connector(EntraFixtures.doubleFor(directory)).validate();
        assertThat(validation.facts().keySet()).noneMatch(k -> k.startsWith("missing_permission."));
    }

    @Test
    void pagesFollowTheNextLinkAndDisabledPeopleStayListed() {
        EntraIdConnector connector = connector(EntraFixtures.doubleFor(directory));
        List<User> all = new ArrayList<>();
        int pages = connector.streamUsers(10, false, p -> all.addAll(p.items()));
        assertThat(pages).isEqualTo(3);
        assertThat(all).hasSize(23);
        assertThat(all)
                .filteredOn(u -> u.status().value() == StatusValue.DISABLED)
                .isNotEmpty()
                .allSatisfy(u -> assertThat(u.status().sourceValue()).isEqualTo("accountEnabled=false"));
        assertThat(graph.requests()).anySatisfy(r -> assertThat(r.query()).contains("$skiptoken="));
    }

    @Test
    void aListingReadsMembershipsPerGroupNotPerUser() {
        EntraIdConnector connector = connector(EntraFixtures.doubleFor(directory));
        List<User> all = new ArrayList<>();
        connector.streamUsers(7, false, p -> all.addAll(p.items()));
        assertThat(all).hasSize(23).allSatisfy(u -> assertThat(u.groups()).hasSize(2));
        assertThat(graph.requests()).noneMatch(r -> r.path().contains("/memberOf"));
        assertThat(graph.requests().stream().filter(r -> r.path().endsWith("/members/microsoft.graph.user")))
                .hasSize(directory.groups().size());
    }

    @Test
    void aCursorForAnotherHostIsRefused() {
        EntraIdConnector connector = connector(EntraFixtures.doubleFor(directory));
        UserQuery query = UserQuery.all(5, false).withCursor("https://evil.example/v1.0/users?$skiptoken=x");
        assertThatThrownBy(() -> connector.listUsers(query))
                .isInstanceOfSatisfying(
                        ConnectorException.class,
                        e -> assertThat(e.messageCode()).isEqualTo("entra_id.cursor_invalid"));
    }

    @ParameterizedTest
    @CsvSource({"429", "503", "504"})
    void throttlingHonoursRetryAfter(int status) {
        EntraIdConnector connector = connector(EntraFixtures.doubleFor(directory));
        graph.throttleNext(status, Duration.ofSeconds(11));
        assertThatThrownBy(() -> connector.listUsers(UserQuery.all(5, false)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
                    assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(11));
                });
    }

    @Test
    void theChangeFeedReportsChangesAndDeletionsSinceTheWatermark() {
        EntraIdConnector connector = connector(EntraFixtures.doubleFor(directory));
        String watermark = connector.currentWatermark();
        assertThat(connector.userChanges(watermark, null, 10, false).changed()).isEmpty();
        List<User> users = directory.users();
        graph.setAccountEnabled(users.get(0).remoteId(), false);
        graph.deleteUser(users.get(1).remoteId(), false);
        graph.deleteUser(users.get(2).remoteId(), true);
        List<User> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        String cursor = null;
        String next;
        do {
            UserChanges page = connector.userChanges(watermark, cursor, 1, false);
            changed.addAll(page.changed());
            removed.addAll(page.removed());
            cursor = page.nextCursor();
            next = page.watermark();
        } while (cursor != null);
        assertThat(changed).singleElement().satisfies(u -> {
            assertThat(u.remoteId()).isEqualTo(users.get(0).remoteId());
            assertThat(u.status().value()).isEqualTo(StatusValue.DISABLED);
        });
        assertThat(removed)
                .containsExactlyInAnyOrder(users.get(1).remoteId(), users.get(2).remoteId());
        // Graph's @removed is enough: a removed user is not read again.
        assertThat(graph.requests())
                .noneMatch(r -> r.path().endsWith("/users/" + users.get(1).remoteId())
                        || r.path().endsWith("/users/" + users.get(2).remoteId()));
        assertThat(connector.userChanges(next, null, 10, false).changed()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"false", "true"})
    void anExpiredDeltaLinkAsksForAFullWalk(boolean resync) {
        EntraIdConnector connector = connector(EntraFixtures.doubleFor(directory));
        String watermark = connector.currentWatermark();
        if (resync) {
            graph.requireResync();
        } else {
            graph.expireDeltaTokens();
        }
        assertThatThrownBy(() -> connector.userChanges(watermark, null, 10, false))
                .isInstanceOfSatisfying(
                        ConnectorException.class,
                        e -> assertThat(e.messageCode()).isEqualTo(UserChangeFeed.WATERMARK_EXPIRED));
    }

    @Test
    void missingConsentIsDiagnosedWithThePermissionsToGrant() {
        EntraIdConnector connector =
                connector(EntraFixtures.doubleFor(directory).granted(Set.of()));
        assertThatThrownBy(connector::validate).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.messageCode()).isEqualTo("entra_id.admin_consent_missing");
            assertThat(e.getMessage()).contains("Authorization_RequestDenied", "User.Read.All", "grant admin consent");
        });
    }
}
