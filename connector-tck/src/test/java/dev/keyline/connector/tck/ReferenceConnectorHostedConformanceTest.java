package dev.keyline.connector.tck;

import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** The kit passes a correct connector on the hosted URL form. */
class ReferenceConnectorHostedConformanceTest extends ConnectorConformanceTest {
    @Override
    protected String connectorId() {
        return ReferenceScimConnectorFactory.ID;
    }

    @Override
    protected Set<Capability> expectedCapabilities() {
        return EnumSet.of(Capability.CREDENTIAL_VALIDATION, Capability.USERS, Capability.GROUPS);
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
