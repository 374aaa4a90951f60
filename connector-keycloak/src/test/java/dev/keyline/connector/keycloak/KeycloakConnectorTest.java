package dev.keyline.connector.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import dev.keyline.connector.tck.ExpectedDirectory;
import dev.keyline.connector.tck.JdkHttpTransport;
import dev.keyline.connector.tck.KitRequest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeycloakConnectorTest {
    private final KeycloakConnectorFactory factory = new KeycloakConnectorFactory();
    private final ExpectedDirectory directory = ExpectedDirectory.generate(5, 2, 1, 0.2, 7);
    private final KeycloakAdminDouble keycloak =
            new KeycloakAdminDouble("acme", directory.users(), directory.groups(), "old-access-token-1");

    @AfterEach
    void stop() {
        keycloak.close();
    }

    /** An Authorization that hands out "old" until asked to refresh, then "new", counting the refreshes. */
    static final class Refreshing implements Authorization {
        final AtomicInteger refreshes = new AtomicInteger();
        final List<String> rejected = new ArrayList<>();
        private volatile String current;
        private final String next;

        Refreshing(String current, String next) {
            this.current = current;
            this.next = next;
        }

        @Override
        public AuthKind.Type kind() {
            return AuthKind.Type.OAUTH2_AUTHORIZATION_CODE;
        }

        @Override
        public String header() {
            return current;
        }

        @Override
        public String refreshAfterRejection(String rejectedHeader) {
            rejected.add(rejectedHeader);
            refreshes.incrementAndGet();
            current = next;
            return current;
        }

        @Override
        public Set<String> grantedScopes() {
            return Set.of("openid");
        }
    }

    private dev.keyline.connector.spi.Connector connector(String baseUrl, String realm, Authorization auth) {
        ConnectorConfig config = new ConnectorConfig(
                        Map.of(KeycloakConnectorFactory.BASE_URL, baseUrl, KeycloakConnectorFactory.REALM, realm),
                        Set.of())
                .withAuthorization(auth);
        return factory.create(
                factory.normalize(config),
                new ConnectorContext(
                        JdkHttpTransport.builder().build(), Clock.systemUTC(), ConnectorLogger.discarding()));
    }

    @Test
    void a401IsRetriedOnceWithTheRefreshedHeader() {
        keycloak.reject("old-access-token-1");
        keycloak.accept("new-access-token-2");
        Refreshing auth = new Refreshing("Bearer old-access-token-1", "Bearer new-access-token-2");
        var users = connector(keycloak.rootUrl(), "acme", auth)
                .require(Capability.USERS, dev.keyline.connector.spi.UserDirectory.class);

        assertThat(users.listUsers(UserQuery.all(2, false)).items()).hasSize(2);

        assertThat(auth.refreshes).hasValue(1);
        assertThat(auth.rejected).containsExactly("Bearer old-access-token-1");
        List<KitRequest> requests = keycloak.requests();
        assertThat(requests.get(0).header("Authorization")).containsExactly("Bearer old-access-token-1");
        assertThat(requests.get(1).header("Authorization")).containsExactly("Bearer new-access-token-2");
        assertThat(requests.get(1).path()).isEqualTo(requests.get(0).path());
    }

    @Test
    void aSecond401IsInvalidCredentialsWithoutAThirdTry() {
        keycloak.reject("old-access-token-1");
        Refreshing auth = new Refreshing("Bearer old-access-token-1", "Bearer still-refused-3");
        var validator = connector(keycloak.rootUrl(), "acme", auth)
                .require(Capability.CREDENTIAL_VALIDATION, dev.keyline.connector.spi.CredentialValidator.class);

        assertThatThrownBy(validator::validate).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
            assertThat(e.messageCode()).isEqualTo("keycloak.token_rejected");
            assertThat(e.getMessage()).doesNotContain("still-refused-3", "old-access-token-1");
        });
        assertThat(auth.refreshes).hasValue(1);
        assertThat(keycloak.requests()).hasSize(2);
    }

    @Test
    void validationSaysTheRealmAndItsUserCount() {
        Validation validation = connector(
                        keycloak.rootUrl(),
                        "acme",
                        Authorization.fixed(AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS, "Bearer old-access-token-1"))
                .require(Capability.CREDENTIAL_VALIDATION, dev.keyline.connector.spi.CredentialValidator.class)
                .validate();
        assertThat(validation.summary()).isEqualTo("Connected to realm acme (5 users).");
        assertThat(keycloak.requests())
                .extracting(KitRequest::path)
                .containsExactly("/admin/realms/acme/users", "/admin/realms/acme/users/count");
    }

    @Test
    void anUnknownRealmIsInvalidConfigOnTheRealmField() {
        var validator = connector(
                        keycloak.rootUrl(),
                        "acme-typo",
                        Authorization.fixed(AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS, "Bearer old-access-token-1"))
                .require(Capability.CREDENTIAL_VALIDATION, dev.keyline.connector.spi.CredentialValidator.class);
        assertThatThrownBy(validator::validate).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
            assertThat(e.field()).contains(KeycloakConnectorFactory.REALM);
            assertThat(e.messageCode()).isEqualTo("keycloak.realm_not_found");
            assertThat(e.getMessage()).contains("acme-typo");
        });
    }

    @Test
    void aForbiddenTokenSaysWhichRoleIsMissing() {
        var users = connector(
                        keycloak.rootUrl(),
                        "acme",
                        Authorization.fixed(
                                AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS, "Bearer " + keycloak.forbiddenToken()))
                .require(Capability.USERS, dev.keyline.connector.spi.UserDirectory.class);
        assertThatThrownBy(() -> users.listUsers(UserQuery.all(5, false)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
                    assertThat(e.messageCode()).isEqualTo("keycloak.view_users_missing");
                    assertThat(e.field()).isEmpty();
                    assertThat(e.getMessage()).contains("realm-management", "view-users");
                });
    }

    @Test
    void anHtmlPageAtTheBaseIsWrongUrlOnBaseUrl() {
        var validator = connector(
                        keycloak.rootUrl() + "/portal",
                        "acme",
                        Authorization.fixed(AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS, "Bearer old-access-token-1"))
                .require(Capability.CREDENTIAL_VALIDATION, dev.keyline.connector.spi.CredentialValidator.class);
        assertThatThrownBy(validator::validate).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.WRONG_URL);
            assertThat(e.field()).contains(KeycloakConnectorFactory.BASE_URL);
        });
    }

    @Test
    void aFieldsKindConfigurationIsRefused() {
        ConnectorConfig config = new ConnectorConfig(
                Map.of(KeycloakConnectorFactory.BASE_URL, keycloak.rootUrl(), KeycloakConnectorFactory.REALM, "acme"),
                Set.of());
        assertThatThrownBy(() -> factory.create(
                        config,
                        new ConnectorContext(
                                JdkHttpTransport.builder().build(), Clock.systemUTC(), ConnectorLogger.discarding())))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
                    assertThat(e.getMessage()).contains("authorized with OAuth");
                });
        assertThat(keycloak.requests()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "https://sso.example.com,                                        , https://sso.example.com, ",
        "https://SSO.example.com/,                                  acme , https://sso.example.com, acme",
        "https://sso.example.com/realms/acme/account/#/,                 , https://sso.example.com, acme",
        "https://sso.example.com/realms/acme,                       other, https://sso.example.com, other",
        "https://sso.example.com/auth/realms/acme/protocol/openid-connect/auth?x=1, , https://sso.example.com/auth, acme",
        "https://sso.example.com/admin/master/console/#/acme/users,      , https://sso.example.com, acme",
        "http://127.0.0.1:8180/admin/master/console/,               acme , http://127.0.0.1:8180, acme",
    })
    void pastedUrlsAreCutToTheServerAndGiveTheRealm(String pasted, String realm, String base, String expectedRealm) {
        Map<String, String> values = new java.util.HashMap<>();
        values.put(KeycloakConnectorFactory.BASE_URL, pasted);
        if (realm != null) {
            values.put(KeycloakConnectorFactory.REALM, realm);
        }
        ConnectorConfig input = new ConnectorConfig(values, Set.of());
        if (expectedRealm == null) {
            assertThatThrownBy(() -> factory.normalize(input))
                    .isInstanceOfSatisfying(
                            ConnectorException.class,
                            e -> assertThat(e.field()).contains(KeycloakConnectorFactory.REALM));
            return;
        }
        ConnectorConfig normalized = factory.normalize(input);
        assertThat(normalized.values())
                .containsEntry(KeycloakConnectorFactory.BASE_URL, base)
                .containsEntry(KeycloakConnectorFactory.REALM, expectedRealm);
        assertThat(factory.normalize(normalized)).isEqualTo(normalized);
    }

    @Test
    void aUrlWithAUserNameIsRefused() {
        ConnectorConfig input = new ConnectorConfig(
                Map.of(KeycloakConnectorFactory.BASE_URL, "https://admin@sso.example.com", "realm", "acme"), Set.of());
        assertThatThrownBy(() -> factory.normalize(input))
                .isInstanceOfSatisfying(
                        ConnectorException.class,
                        e -> assertThat(e.field()).contains(KeycloakConnectorFactory.BASE_URL));
    }

    @Test
    void theDescriptorOffersBothOAuthKindsOnTheRealmEndpoints() {
        var kinds = factory.descriptor().authKinds();
        assertThat(kinds)
                .extracting(AuthKind::type)
                .containsExactly(AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS, AuthKind.Type.OAUTH2_AUTHORIZATION_CODE);
        // The templates open with the whole base URL, which AuthKind.expand inserts unencoded.
        assertThat(kinds.get(0).tokenUrl()).contains("{base_url}/realms/{realm}/protocol/openid-connect/token");
        assertThat(kinds.get(1).tokenUrl()).contains("{base_url}/realms/{realm}/protocol/openid-connect/token");
        assertThat(kinds.get(1).authorizeUrl()).contains("{base_url}/realms/{realm}/protocol/openid-connect/auth");
        assertThat(kinds).allSatisfy(k -> assertThat(k.fieldKeys()).containsExactly("base_url", "realm"));
        assertThat(kinds.get(1).scopes()).containsExactly("openid");
        Map<String, String> values = Map.of("base_url", "https://sso.example.com/auth", "realm", "acme");
        assertThat(AuthKind.expand(kinds.get(0).tokenUrl().orElseThrow(), values))
                .isEqualTo("https://sso.example.com/auth/realms/acme/protocol/openid-connect/token");
        assertThat(AuthKind.expand(kinds.get(1).authorizeUrl().orElseThrow(), values))
                .isEqualTo("https://sso.example.com/auth/realms/acme/protocol/openid-connect/auth");
    }
}
