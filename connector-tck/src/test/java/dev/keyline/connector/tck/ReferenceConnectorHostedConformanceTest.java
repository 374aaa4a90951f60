package dev.keyline.connector.tck;

import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import java.util.Map;
import java.util.Set;

/** The kit passes a correct connector on the hosted URL form. */
class ReferenceConnectorHostedConformanceTest extends ScimConformanceTest {
    @Override
    protected String connectorId() {
        return ReferenceScimConnectorFactory.ID;
    }

    @Override
    protected ScimUpstream.Builder upstreamBuilder() {
        return super.upstreamBuilder().urlForms(UrlForm.HOSTED);
    }

    @Override
    protected ConnectorConfig configFor(ScimUpstream upstream, String token) {
        return new ConnectorConfig(
                Map.of("scim_url", upstream.hostedBaseUrl() + "/", "bearer_token", token), Set.of("bearer_token"));
    }
}
