package dev.keyline.connector.entraid;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.tck.ConnectorConformanceTest;
import dev.keyline.connector.tck.Credentials;
import dev.keyline.connector.tck.ExpectedDirectory;
import dev.keyline.connector.tck.UpstreamDouble;
import dev.keyline.connector.tck.entra.GraphDouble;
import org.junit.jupiter.api.Test;

/** The conformance kit against {@link GraphDouble}, with access-review facts and directory roles. */
class EntraIdConformanceTest extends ConnectorConformanceTest {

    @Override
    protected String connectorId() {
        return EntraIdConnectorFactory.ID;
    }

    @Override
    protected ExpectedDirectory expectedDirectory() {
        return EntraFixtures.directory();
    }

    @Override
    protected UpstreamDouble startUpstream(ExpectedDirectory directory) {
        return EntraFixtures.doubleFor(directory).start();
    }

    @Override
    protected ConnectorConfig configFor(UpstreamDouble upstream, Credentials credentials) {
        GraphDouble graph = (GraphDouble) upstream;
        String token = switch (credentials) {
            case VALID -> graph.validToken();
            case WRONG -> graph.wrongToken();
            case FORBIDDEN -> graph.forbiddenToken();
        };
        return EntraFixtures.config(graph, token);
    }

    @Override
    protected HttpTransport transport() {
        return EntraFixtures.transport((GraphDouble) upstream());
    }

    /** One request for the user count, one probe per optional permission (sign-ins, MFA report, roles). */
    @Override
    protected int validationRequestBudget() {
        return 4;
    }

    @Override
    @Test
    public void wrongCredentialsFailValidationWithInvalidCredentials() {
        Connector connector = connector(Credentials.WRONG);
        ConnectorException e = assertInvalidCredentials(() -> validate(connector));
        assertThat(e.field()).isEmpty();
        assertThat(e.messageCode()).isEqualTo("auth.reauthorization_required");
    }

    @Override
    @Test
    public void forbiddenCredentialsFailValidationWithInvalidCredentials() {
        Connector connector = connector(Credentials.FORBIDDEN);
        ConnectorException e = assertInvalidCredentials(() -> validate(connector));
        assertThat(e.field()).isEmpty();
        assertThat(e.messageCode()).isEqualTo("entra_id.admin_consent_missing");
        assertThat(e.getMessage()).contains("grant admin consent", "User.Read.All", "API permissions");
    }
}
