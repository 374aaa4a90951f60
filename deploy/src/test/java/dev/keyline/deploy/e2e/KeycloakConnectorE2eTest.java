package dev.keyline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built Keycloak connector plugin against a real Keycloak 26 (realm {@code acme} of
 * {@code deploy/keycloak/connector-realm.json}), with tokens obtained the way the platform's auth kinds obtain them:
 * the client credentials grant of the service-account client {@code keyline-reader}, and a user token of
 * {@code reviewer} (the password grant stands in for the browser's consent here; {@link KeycloakAuthKindsE2eTest}
 * runs the real authorization code flow through Keyline). Also proves the realm's refresh token rotation and the
 * counting proxy the Keyline runs rely on. Needs no Keyline process.
 */
class KeycloakConnectorE2eTest {
    private static final String REALM = KeycloakProcess.CONNECTOR_REALM;

    private static KeycloakProcess keycloak;
    private static CountingProxy proxy;
    private static ConnectorFactory factory;

    @BeforeAll
    static void start() {
        long started = System.nanoTime();
        keycloak = new KeycloakProcess().start();
        factory = KeycloakPlugin.load();
        keycloak.awaitReady();
        proxy = new CountingProxy(keycloak.baseUrl());
        E2e.timing("keycloak connector: keycloak ready", started);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    private static Connector connector(String baseUrl, String realm, AuthKind.Type kind, String accessToken) {
        ConnectorConfig config = new ConnectorConfig(Map.of("base_url", baseUrl, "realm", realm), Set.of())
                .withAuthorization(Authorization.fixed(kind, "Bearer " + accessToken));
        return factory.create(
                factory.normalize(config),
                new ConnectorContext(KeycloakPlugin.transport(), Clock.systemUTC(), ConnectorLogger.discarding()));
    }

    private static String serviceAccountToken() {
        return keycloak.tokens(
                        REALM,
                        Map.of(
                                "grant_type", "client_credentials",
                                "client_id", "keyline-reader",
                                "client_secret", "keyline-reader-e2e-secret"))
                .path("access_token")
                .asText();
    }

    private static JsonNode passwordTokens(String tokenBase, String username) {
        var response = KeycloakProcess.post(
                tokenBase + "/realms/" + REALM + "/protocol/openid-connect/token",
                Map.of(
                        "grant_type", "password",
                        "client_id", "keyline-connect",
                        "client_secret", "keyline-connect-e2e-secret",
                        "username", username,
                        "password", username + "-e2e-password",
                        "scope", "openid"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return KeycloakProcess.json(response.body());
    }

    private static List<User> allUsers(Connector connector, int pageSize) {
        List<User> users = new ArrayList<>();
        connector.require(Capability.USERS, UserDirectory.class).streamUsers(pageSize, false, page -> {
            assertThat(page.items()).hasSizeLessThanOrEqualTo(pageSize);
            users.addAll(page.items());
        });
        return users;
    }

    @Test
    void theServiceAccountReadsUsersGroupsAndSubgroups() {
        // The admin console's address, pasted as is: the realm comes from its fragment.
        Connector connector = connector(
                keycloak.baseUrl() + "/admin/master/console/#/" + REALM + "/users",
                "",
                AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS,
                serviceAccountToken());

        String summary = connector
                .require(Capability.CREDENTIAL_VALIDATION, CredentialValidator.class)
                .validate()
                .summary();
        assertThat(summary).matches("Connected to realm acme \\(\\d+ users\\)\\.");

        List<User> users = allUsers(connector, 2);
        Map<String, User> byName = users.stream().collect(Collectors.toMap(User::username, u -> u));
        assertThat(byName).containsKeys("reviewer", "alice", "bob", "carol", "dave");
        assertThat(users.stream().map(User::remoteId)).doesNotHaveDuplicates();
        User alice = byName.get("alice");
        assertThat(alice.primaryEmailAddress()).isEqualTo("alice@acme.example");
        assertThat(alice.name()).isEqualTo("Alice Archer");
        assertThat(alice.status().value()).isEqualTo(StatusValue.ENABLED);
        assertThat(alice.createdAt()).isNotNull();
        assertThat(alice.groups()).extracting(GroupRef::name).containsExactly("Engineering");
        assertThat(byName.get("bob").groups()).extracting(GroupRef::name).containsExactly("Platform");
        assertThat(byName.get("carol").status().value()).isEqualTo(StatusValue.DISABLED);
        assertThat(byName.get("dave").groups()).isEmpty();

        List<Group> groups = new ArrayList<>();
        connector.require(Capability.GROUPS, GroupDirectory.class).streamGroups(1, true, false, page -> {
            assertThat(page.items()).hasSizeLessThanOrEqualTo(1);
            groups.addAll(page.items());
        });
        Map<String, Group> byGroup = groups.stream().collect(Collectors.toMap(Group::name, g -> g));
        assertThat(byGroup).containsOnlyKeys("Engineering", "Platform", "Finance");
        assertThat(byGroup.get("Engineering").members())
                .extracting(MemberRef::username)
                .containsExactly("alice");
        assertThat(byGroup.get("Platform").members())
                .extracting(MemberRef::username)
                .containsExactly("bob");
        assertThat(byGroup.get("Finance").members())
                .extracting(MemberRef::username)
                .containsExactly("carol");

        assertThat(connector.require(Capability.USERS, UserDirectory.class).getUser(alice.remoteId(), false))
                .hasValueSatisfying(u -> assertThat(u.username()).isEqualTo("alice"));
        assertThat(connector
                        .require(Capability.USERS, UserDirectory.class)
                        .listUsers(UserQuery.builder()
                                .pageSize(10)
                                .email("ALICE@acme.example")
                                .build())
                        .items())
                .extracting(User::username)
                .containsExactly("alice");
    }

    @Test
    void aPersonsTokenReadsThroughTheProxyAndRefreshTokensRotate() {
        int passwordGrants = proxy.grants("password");
        JsonNode tokens = passwordTokens(proxy.url(), "reviewer");
        assertThat(proxy.grants("password")).isEqualTo(passwordGrants + 1);
        // The connect client's access tokens live 20 s, so a linked account refreshes during the Keyline runs.
        assertThat(tokens.path("expires_in").asInt()).isEqualTo(20);

        Connector connector = connector(
                proxy.url(),
                REALM,
                AuthKind.Type.OAUTH2_AUTHORIZATION_CODE,
                tokens.path("access_token").asText());
        assertThat(allUsers(connector, 50)).extracting(User::username).contains("reviewer", "alice");

        // Rotation: a refresh answers a new refresh token, and the old one is refused from then on.
        int refreshes = proxy.grants("refresh_token");
        String first = tokens.path("refresh_token").asText();
        Map<String, String> refresh = Map.of(
                "grant_type", "refresh_token",
                "client_id", "keyline-connect",
                "client_secret", "keyline-connect-e2e-secret",
                "refresh_token", first);
        var rotated =
                KeycloakProcess.post(proxy.url() + "/realms/" + REALM + "/protocol/openid-connect/token", refresh);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        assertThat(KeycloakProcess.json(rotated.body()).path("refresh_token").asText())
                .isNotEqualTo(first);
        var reused = KeycloakProcess.post(proxy.url() + "/realms/" + REALM + "/protocol/openid-connect/token", refresh);
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(KeycloakProcess.json(reused.body()).path("error").asText()).isEqualTo("invalid_grant");
        assertThat(proxy.grants("refresh_token")).isEqualTo(refreshes + 2);
    }

    @Test
    void aPersonWithoutViewUsersIsToldWhichRoleIsMissing() {
        Connector connector = connector(
                keycloak.baseUrl(),
                REALM,
                AuthKind.Type.OAUTH2_AUTHORIZATION_CODE,
                passwordTokens(keycloak.baseUrl(), "alice").path("access_token").asText());
        assertThatThrownBy(() ->
                        connector.require(Capability.USERS, UserDirectory.class).listUsers(UserQuery.all(5, false)))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
                    assertThat(e.messageCode()).isEqualTo("keycloak.view_users_missing");
                });
    }

    @Test
    void aWrongRealmOrAWrongUrlNamesTheFieldToFix() {
        String token = serviceAccountToken();
        CredentialValidator wrongRealm = connector(
                        keycloak.baseUrl(), "acme-typo", AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS, token)
                .require(Capability.CREDENTIAL_VALIDATION, CredentialValidator.class);
        assertThatThrownBy(wrongRealm::validate).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.INVALID_CONFIG);
            assertThat(e.field()).contains("realm");
        });
        CredentialValidator wrongUrl = connector(
                        keycloak.baseUrl() + "/sso", REALM, AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS, token)
                .require(Capability.CREDENTIAL_VALIDATION, CredentialValidator.class);
        assertThatThrownBy(wrongUrl::validate).isInstanceOfSatisfying(ConnectorException.class, e -> {
            assertThat(e.code()).as(e.getMessage()).isEqualTo(ErrorCode.WRONG_URL);
            assertThat(e.field()).contains("base_url");
        });
        CredentialValidator revoked = connector(
                        keycloak.baseUrl(), REALM, AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS, token + "x")
                .require(Capability.CREDENTIAL_VALIDATION, CredentialValidator.class);
        // Authorization.fixed cannot refresh: the retry after Keycloak's 401 reports that the grant is gone.
        assertThatThrownBy(revoked::validate)
                .isInstanceOfSatisfying(
                        ConnectorException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS));
    }
}
