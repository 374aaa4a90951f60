package dev.keyline.connector.template;

import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.tck.ConnectorConformanceTest;
import dev.keyline.scimdouble.ScimUpstream;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The conformance kit: a connector is ready for the plugins directory when this passes. */
class TemplateConformanceTest extends ConnectorConformanceTest {

    @Override
    protected String connectorId() {
        return TemplateConnectorFactory.ID;
    }

    @Override
    protected Set<Capability> expectedCapabilities() {
        return EnumSet.of(Capability.CREDENTIAL_VALIDATION, Capability.USERS, Capability.GROUPS);
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
