package dev.keyline.connector.okta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.http.HttpResponse;
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
import dev.keyline.connector.spi.Validation;
import dev.keyline.connector.tck.okta.OktaDouble;
import dev.keyline.connector.tck.okta.OktaFault;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What Okta's answers to a bad link say in Keyline's terms: a code, the field to fix, one plain sentence. */
class OktaDiagnosesTest {
    private final OktaDouble okta = OktaDouble.builder().start();

    @AfterEach
    void stop() {
        okta.close();
    }

    private static Validation validate(Connector connector) {
        return connector
                .require(Capability.CREDENTIAL_VALIDATION, CredentialValidator.class)
                .validate();
    }

    private static ConnectorException failure(Connector connector) {
        return catchThrowableOfType(ConnectorException.class, () -> validate(connector));
    }

    @Test
    void aRevokedApiTokenPointsAtTheTokenField() {
        String old = okta.apiToken();
        okta.apiToken("00rotated-token-value-xyz");
        ConnectorException e = failure(OktaFixture.withToken(okta, old, Map.of()));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.messageCode()).isEqualTo("okta.api_token_invalid");
        assertThat(e.field()).hasValue(OktaConnectorFactory.API_TOKEN);
        assertThat(e.params()).containsEntry("okta_error", "E0000011");
        assertThat(e.getMessage()).contains("Security > API > Tokens").doesNotContain(old);
    }

    @Test
    void aTokenWhoseAdministratorMayNotReadPointsAtTheTokenField() {
        ConnectorException e = failure(OktaFixture.withToken(okta, okta.forbiddenApiToken(), Map.of()));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.messageCode()).isEqualTo("okta.permission_denied");
        assertThat(e.field()).hasValue(OktaConnectorFactory.API_TOKEN);
        assertThat(e.params()).containsEntry("okta_error", "E0000006");
        assertThat(e.getMessage()).contains("Read-only Administrator");
    }

    @Test
    void anOrgThatDoesNotExistPointsAtTheDomainField() {
        // Okta answers an unknown org's subdomain with a 404 page, not its API's JSON.
        ConnectorConfig config = new ConnectorConfig(
                Map.of(OktaConnectorFactory.OKTA_DOMAIN, "nosuchorg.okta.com", OktaConnectorFactory.API_TOKEN, "00t"),
                Set.of(OktaConnectorFactory.API_TOKEN));
        Connector connector = new OktaConnectorFactory()
                .create(
                        config,
                        new ConnectorContext(
                                request -> new HttpResponse(
                                        404,
                                        request.uri(),
                                        Map.of("Content-Type", List.of("text/html")),
                                        "<html>Not found</html>".getBytes(StandardCharsets.UTF_8)),
                                Clock.systemUTC(),
                                ConnectorLogger.discarding()));
        ConnectorException e = failure(connector);
        assertThat(e.code()).isEqualTo(ErrorCode.WRONG_URL);
        assertThat(e.messageCode()).isEqualTo("okta.org_not_found");
        assertThat(e.field()).hasValue(OktaConnectorFactory.OKTA_DOMAIN);
    }

    @Test
    void anUnknownHostPointsAtTheDomainField() {
        ConnectorConfig config = new ConnectorConfig(
                Map.of(OktaConnectorFactory.OKTA_DOMAIN, "nosuchorg.okta.com", OktaConnectorFactory.API_TOKEN, "00t"),
                Set.of(OktaConnectorFactory.API_TOKEN));
        Connector connector = new OktaConnectorFactory()
                .create(
                        config,
                        new ConnectorContext(
                                request -> {
                                    throw new ConnectorException(ErrorCode.HOST_NOT_FOUND, "unknown host");
                                },
                                Clock.systemUTC(),
                                ConnectorLogger.discarding()));
        ConnectorException e = failure(connector);
        assertThat(e.code()).isEqualTo(ErrorCode.HOST_NOT_FOUND);
        assertThat(e.field()).hasValue(OktaConnectorFactory.OKTA_DOMAIN);
    }

    @Test
    void validationCountsUsersAndSaysWhichPermissionWouldFillRolesAndMfa() {
        okta.addUser("ada@acme.example", "ada@acme.example", "Ada", "L", "ACTIVE");
        okta.addUser("bob@acme.example", "bob@acme.example", "Bob", "B", "SUSPENDED");
        Validation full = validate(
                OktaFixture.withToken(okta, okta.apiToken(), Map.of(OktaConnectorFactory.READ_FACTORS, "yes")));
        assertThat(full.facts())
                .containsEntry("users", "2")
                .containsEntry("okta_domain", OktaFixture.DOMAIN)
                .doesNotContainKeys("missing_permission.roles", "missing_permission.mfa");
        assertThat(full.summary()).contains("acme.okta.com", "2 users");

        okta.inject(OktaFault.forbidden().on("/api/v1/iam/.*"));
        okta.inject(OktaFault.forbidden().on(".*/factors"));
        Validation partial = validate(
                OktaFixture.withToken(okta, okta.apiToken(), Map.of(OktaConnectorFactory.READ_FACTORS, "yes")));
        assertThat(partial.facts().get("missing_permission.roles")).contains("Read-only Administrator");
        assertThat(partial.facts().get("missing_permission.mfa")).contains("Read-only Administrator");
    }

    @Test
    void aServiceAppWithoutTheRolesScopeLinksAndSaysWhichScopeIsMissing() {
        okta.addUser("ada@acme.example", "ada@acme.example", "Ada", "L", "ACTIVE");
        String token = OktaTokens.token(okta, "0oaservice", Set.of("okta.users.read", "okta.groups.read"));
        Validation validation = validate(OktaFixture.withOauth(
                okta, Authorization.fixed(AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS, "Bearer " + token)));
        assertThat(validation.facts()).containsEntry("missing_permission.roles", "okta.roles.read");
        assertThat(validation.facts()).containsEntry("users", "1");
    }

    @Test
    void aServiceAppWithoutTheUsersScopeIsToldWhereToGrantIt() {
        String token = OktaTokens.token(okta, "0oaservice", Set.of("okta.groups.read"));
        ConnectorException e = failure(OktaFixture.withOauth(
                okta, Authorization.fixed(AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS, "Bearer " + token)));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.messageCode()).isEqualTo("okta.app_permission_denied");
        assertThat(e.field()).isEmpty();
        assertThat(e.getMessage()).contains("okta.users.read", "Okta API Scopes");
    }

    @Test
    void anExpiredAccessTokenIsRefreshedOnceThenReported() {
        ConnectorException e = failure(OktaFixture.withOauth(
                okta, Authorization.fixed(AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS, "Bearer eyJexpired")));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CREDENTIALS);
        assertThat(e.messageCode()).isEqualTo("auth.reauthorization_required");
        assertThat(okta.requests()).hasSize(1);
    }

    @Test
    void requestsAndNextLinksGoToTheOrgHostWithTheSswsScheme() {
        okta.addUser("ada@acme.example", "ada@acme.example", "Ada", "L", "ACTIVE");
        List<URI> seen = new java.util.ArrayList<>();
        var transport = OktaFixture.transport(okta);
        ConnectorConfig config = new ConnectorConfig(
                Map.of(
                        OktaConnectorFactory.OKTA_DOMAIN,
                        "acme-admin.okta.com",
                        OktaConnectorFactory.API_TOKEN,
                        okta.apiToken()),
                Set.of(OktaConnectorFactory.API_TOKEN));
        Connector connector = new OktaConnectorFactory()
                .create(
                        config,
                        new ConnectorContext(
                                request -> {
                                    seen.add(request.uri());
                                    assertThat(request.headers().get("Authorization"))
                                            .isEqualTo("SSWS " + okta.apiToken());
                                    return transport.send(request);
                                },
                                Clock.systemUTC(),
                                ConnectorLogger.discarding()));
        validate(connector);
        okta.addUser("bob@acme.example", "bob@acme.example", "Bob", "B", "ACTIVE");
        okta.addUser("eve@acme.example", "eve@acme.example", "Eve", "E", "ACTIVE");
        List<String> listed = new java.util.ArrayList<>();
        OktaFixture.users(connector).streamUsers(1, false, page -> page.items().forEach(u -> listed.add(u.remoteId())));
        assertThat(listed).hasSize(3);
        // The double's next links name its own loopback address; only their path and query are followed.
        assertThat(seen)
                .hasSizeGreaterThan(4)
                .allSatisfy(uri -> assertThat(uri.toString()).startsWith("https://acme.okta.com/api/v1/"));
    }
}
