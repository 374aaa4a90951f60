package dev.keyline.connector.keycloak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.tck.ConnectorConformanceTest;
import dev.keyline.connector.tck.Credentials;
import dev.keyline.connector.tck.ExpectedDirectory;
import dev.keyline.connector.tck.UpstreamDouble;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit against {@link KeycloakAdminDouble}, each configuration carrying a fixed client-credentials
 * token as the platform would attach one.
 */
class KeycloakConformanceTest extends ConnectorConformanceTest {

    @Override
    protected String connectorId() {
        return KeycloakConnectorFactory.ID;
    }

    /** Keycloak keeps one untyped address, no update time and no group dates; enabled is a boolean. */
    @Override
    protected ExpectedDirectory expectedDirectory() {
        ExpectedDirectory standard = ExpectedDirectory.standard()
                .mapUsers(u -> u.toBuilder()
                        .emails(List.of(new Email(u.primaryEmailAddress(), null, true)))
                        .status(
                                u.status().value() == StatusValue.ENABLED
                                        ? new UserStatus(StatusValue.ENABLED, "enabled")
                                        : new UserStatus(StatusValue.DISABLED, "disabled"))
                        .updatedAt(null)
                        .build());
        List<Group> groups = standard.groups().stream()
                .map(g -> new Group(g.remoteId(), g.name(), null, null, g.members(), g.memberCount(), null, null, null))
                .toList();
        return new ExpectedDirectory(standard.users(), groups);
    }

    @Override
    protected UpstreamDouble startUpstream(ExpectedDirectory directory) {
        return new KeycloakAdminDouble(
                "acme",
                directory.users(),
                directory.groups(),
                "kc-access-token-" + Long.toHexString(System.nanoTime()));
    }

    @Override
    protected ConnectorConfig configFor(UpstreamDouble upstream, Credentials credentials) {
        KeycloakAdminDouble keycloak = (KeycloakAdminDouble) upstream;
        String token = switch (credentials) {
            case VALID -> keycloak.validToken();
            case WRONG -> keycloak.wrongToken();
            case FORBIDDEN -> keycloak.forbiddenToken();
        };
        return new ConnectorConfig(
                        Map.of(
                                KeycloakConnectorFactory.BASE_URL, keycloak.rootUrl(),
                                KeycloakConnectorFactory.REALM, keycloak.realm()),
                        Set.of())
                .withAuthorization(Authorization.fixed(AuthKind.Type.OAUTH2_CLIENT_CREDENTIALS, "Bearer " + token));
    }

    /**
     * The kit wants a refused credential to name a secret field; an OAuth-only connector has none (the platform
     * holds the client secret and the tokens), so the refusal names no field and says what to do instead.
     */
    @Override
    @Test
    public void wrongCredentialsFailValidationWithInvalidCredentials() {
        Connector connector = connector(Credentials.WRONG);
        ConnectorException e = assertInvalidCredentials(() -> validate(connector));
        assertThat(e.field()).isEmpty();
        // Authorization.fixed cannot refresh, so the retry after the 401 reports that the grant is gone.
        assertThat(e.messageCode()).isEqualTo("auth.reauthorization_required");
    }

    @Override
    @Test
    public void forbiddenCredentialsFailValidationWithInvalidCredentials() {
        Connector connector = connector(Credentials.FORBIDDEN);
        ConnectorException e = assertInvalidCredentials(() -> validate(connector));
        assertThat(e.field()).isEmpty();
        assertThat(e.messageCode()).isEqualTo("keycloak.view_users_missing");
        assertThat(e.getMessage()).contains("view-users", "realm-management");
    }
}
