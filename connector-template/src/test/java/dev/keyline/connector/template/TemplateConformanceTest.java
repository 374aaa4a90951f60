package dev.keyline.connector.template;

import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.tck.ScimConformanceTest;
import dev.keyline.scimdouble.ScimUpstream;
import java.util.Map;
import java.util.Set;

/** The conformance kit: a connector is ready for the plugins directory when this passes. */
class TemplateConformanceTest extends ScimConformanceTest {

    @Override
    protected String connectorId() {
        return TemplateConnectorFactory.ID;
    }

    @Override
    protected ConnectorConfig configFor(ScimUpstream upstream, String token) {
        return new ConnectorConfig(
                Map.of(
                        TemplateConnectorFactory.SCIM_URL,
                        upstream.hostedBaseUrl(),
                        TemplateConnectorFactory.BEARER_TOKEN,
                        token),
                Set.of(TemplateConnectorFactory.BEARER_TOKEN));
    }
}
