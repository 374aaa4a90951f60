package dev.keyline.connector.genericscim;

import static dev.keyline.connector.genericscim.GenericScimConnectorFactory.BEARER_TOKEN;
import static dev.keyline.connector.genericscim.GenericScimConnectorFactory.SCIM_URL;

import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.tck.ScimConformanceTest;
import dev.keyline.scimdouble.Quirk;
import dev.keyline.scimdouble.ScimUpstream;
import java.util.Map;
import java.util.Set;

/**
 * The kit against a plain SCIM 2.0 server under {@code /scim/v2}, with the listing quirks real service
 * providers show (groups listed without members, {@code startIndex: 0}, {@code $ref} spelled without the
 * dollar).
 */
class GenericScimConformanceTest extends ScimConformanceTest {

    @Override
    protected String connectorId() {
        return GenericScimConnectorFactory.ID;
    }

    @Override
    protected ScimUpstream.Builder upstreamBuilder() {
        return super.upstreamBuilder()
                .quirks(Quirk.START_INDEX_ZERO, Quirk.GROUP_REF_WITHOUT_DOLLAR, Quirk.GROUPS_LISTED_WITHOUT_MEMBERS);
    }

    @Override
    protected ConnectorConfig configFor(ScimUpstream upstream, String token) {
        return new ConnectorConfig(
                Map.of(SCIM_URL, upstream.hostedBaseUrl(), BEARER_TOKEN, token), Set.of(BEARER_TOKEN));
    }
}
