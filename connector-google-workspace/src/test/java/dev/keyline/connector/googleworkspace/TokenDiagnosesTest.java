package dev.keyline.connector.googleworkspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.tck.google.GoogleDirectoryDouble;
import java.net.URI;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token endpoint's refusals, as the double answers them for the JWT bearer grant, explained by the factory the
 * way the platform asks it to ({@code explainTokenFailure}).
 */
class TokenDiagnosesTest {
    private static final String SCOPES = String.join(" ", GoogleWorkspaceConnectorFactory.SCOPES);

    private final GoogleWorkspaceConnectorFactory factory = new GoogleWorkspaceConnectorFactory();
    private final KeyPair key = ServiceAccountAssertions.keyPair();
    private GoogleDirectoryDouble google;
    private AuthKind jwt;

    @BeforeEach
    void start() {
        google = GoogleDirectoryDouble.builder()
                .serviceAccount(ServiceAccountAssertions.ISSUER, key.getPublic())
                .delegatedScopes(Set.copyOf(GoogleWorkspaceConnectorFactory.SCOPES))
                .start();
        google.putUser(GoogleDirectoryDouble.user("100", "ada@acme.example")
                .admin(true)
                .build());
        google.putUser(GoogleDirectoryDouble.user("101", "bob@acme.example").build());
        google.superAdmin("ada@acme.example");
        jwt = factory.descriptor().authKinds().stream()
                .filter(k -> k.type() == AuthKind.Type.JWT_BEARER)
                .findFirst()
                .orElseThrow();
    }

    @AfterEach
    void stop() {
        google.close();
    }

    private ConnectorException refusal(String subject) {
        try {
            ServiceAccountAssertions.exchange(
                    URI.create(google.rootUrl() + "/token"),
                    ServiceAccountAssertions.assertion(
                            key.getPrivate(), ServiceAccountAssertions.ISSUER, subject, SCOPES, Instant.now()));
        } catch (ConnectorException e) {
            return e;
        }
        throw new AssertionError("the token endpoint accepted the assertion");
    }

    private ConnectorException explained(ConnectorException failure) {
        Optional<ConnectorException> diagnosis = factory.explainTokenFailure(jwt, failure);
        assertThat(diagnosis).as("diagnosis of %s", failure.params()).isPresent();
        ConnectorException e = diagnosis.get();
        assertThat(e.code()).isEqualTo(failure.code());
        assertThat(e.params()).containsEntry("error", failure.params().get("error"));
        return e;
    }

    @Test
    void theDoubleIssuesATokenForADelegatedAdministrator() {
        String token = ServiceAccountAssertions.exchange(
                URI.create(google.rootUrl() + "/token"),
                ServiceAccountAssertions.assertion(
                        key.getPrivate(), ServiceAccountAssertions.ISSUER, "ada@acme.example", SCOPES, Instant.now()));
        assertThat(token).startsWith("ya29.");
    }

    @Test
    void scopesNotDelegatedAskToAuthoriseTheClientIdInTheAdminConsole() {
        google.delegatedScopes(Set.of(GoogleWorkspaceConnectorFactory.SCOPE_USERS));
        ConnectorException failure = refusal("ada@acme.example");
        assertThat(failure.params())
                .containsEntry("error", "unauthorized_client")
                .containsEntry("status", "401");
        ConnectorException e = explained(failure);
        assertThat(e.messageCode()).isEqualTo("google_workspace.delegation_missing");
        assertThat(e.field()).isEmpty();
        assertThat(e.getMessage())
                .contains("Domain-wide delegation", "client ID", GoogleWorkspaceConnectorFactory.SCOPE_ROLES);
    }

    @Test
    void anUnknownSubjectIsBlamedOnTheSubjectField() {
        ConnectorException failure = refusal("nobody@acme.example");
        assertThat(failure.params()).containsEntry("error_description", "Invalid email or User ID");
        ConnectorException e = explained(failure);
        assertThat(e.messageCode()).isEqualTo("google_workspace.subject_unknown");
        assertThat(e.field()).contains("subject");
    }

    @Test
    void aDeletedKeyAsksForANewKey() {
        google.deleteKey();
        ConnectorException e = explained(refusal("ada@acme.example"));
        assertThat(e.messageCode()).isEqualTo("google_workspace.key_invalid");
        assertThat(e.field()).contains("service_account_key");
    }

    @Test
    void aDisabledServiceAccountIsBlamedOnTheKey() {
        google.disableServiceAccount();
        ConnectorException failure = refusal("ada@acme.example");
        assertThat(failure.params()).containsEntry("error", "invalid_client");
        ConnectorException e = explained(failure);
        assertThat(e.messageCode()).isEqualTo("google_workspace.service_account_disabled");
        assertThat(e.field()).contains("service_account_key");
    }

    @Test
    void aSubjectWhoIsNoAdministratorGetsATokenButTheApiRefusesIt() {
        // Google issues the token (bob is a user); the Directory answers 403, diagnosed by the connector itself.
        String token = ServiceAccountAssertions.exchange(
                URI.create(google.rootUrl() + "/token"),
                ServiceAccountAssertions.assertion(
                        key.getPrivate(), ServiceAccountAssertions.ISSUER, "bob@acme.example", SCOPES, Instant.now()));
        assertThat(token).isNotBlank();
    }

    @Test
    void otherRefusalsKeepThePlatformsGenericAnswer() {
        ConnectorException other = ConnectorException.builder(ErrorCode.INVALID_CREDENTIALS, "generic")
                .messageCode("auth.invalid_grant")
                .param("error", "invalid_grant")
                .param("error_description", "Bad Request")
                .build();
        assertThat(factory.explainTokenFailure(jwt, other)).isEmpty();
        AuthKind code = factory.descriptor().authKinds().stream()
                .filter(k -> k.type() == AuthKind.Type.OAUTH2_AUTHORIZATION_CODE)
                .findFirst()
                .orElseThrow();
        ConnectorException blocked = ConnectorException.builder(ErrorCode.INVALID_CREDENTIALS, "generic")
                .messageCode("auth.admin_policy_enforced")
                .param("error", "admin_policy_enforced")
                .build();
        assertThat(factory.explainTokenFailure(code, blocked))
                .hasValueSatisfying(e -> assertThat(e.messageCode()).isEqualTo("google_workspace.app_blocked"));
    }
}
