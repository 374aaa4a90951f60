package dev.keyline.connector.onepassword;

import static dev.keyline.connector.onepassword.OnePasswordConnectorFactory.BEARER_TOKEN;
import static dev.keyline.connector.onepassword.OnePasswordConnectorFactory.SCIM_URL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.tck.ReroutingTransport;
import dev.keyline.connector.tck.ScimConformanceTest;
import dev.keyline.scimdouble.Quirk;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kit against an upstream in the hosted provisioning form ({@code …/scim/v2}), with the hosted
 * service's listing quirks switched on, at 1Password's hosted provisioning address: the kit's transport routes
 * that host to the double, so the connector runs as it does against hosted provisioning.
 */
class OnePasswordHostedConformanceTest extends ScimConformanceTest {

    @Override
    protected String connectorId() {
        return OnePasswordConnectorFactory.ID;
    }

    @Override
    protected ScimUpstream.Builder upstreamBuilder() {
        return super.upstreamBuilder()
                .urlForms(UrlForm.HOSTED)
                .quirks(
                        Quirk.START_INDEX_ZERO,
                        Quirk.GROUP_REF_WITHOUT_DOLLAR,
                        Quirk.SINGULAR_USER_ENDPOINT,
                        Quirk.SORT_BY_REJECTED);
    }

    @Override
    protected ConnectorConfig configFor(ScimUpstream upstream, String token) {
        return new ConnectorConfig(
                Map.of(SCIM_URL, OnePasswordUrl.HOSTED_URL, BEARER_TOKEN, token), Set.of(BEARER_TOKEN));
    }

    @Override
    protected HttpTransport transport() {
        return new ReroutingTransport(
                super.transport(),
                URI.create(OnePasswordUrl.HOSTED_URL),
                URI.create(scimUpstream().rootUrl()));
    }

    @Test
    void theConnectorRunsAsHostedProvisioning() {
        OnePasswordConnector connector = (OnePasswordConnector) connector();

        assertThat(connector.deployment()).isEqualTo(OnePasswordUrl.Deployment.HOSTED);
        assertThat(validate(connector).facts()).containsEntry("deployment", "hosted");
    }
}
