package dev.keyline.connector.onepassword;

import static dev.keyline.connector.onepassword.OnePasswordConnectorFactory.BEARER_TOKEN;
import static dev.keyline.connector.onepassword.OnePasswordConnectorFactory.SCIM_URL;

import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.tck.ScimConformanceTest;
import dev.keyline.scimdouble.Quirk;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import java.util.Map;
import java.util.Set;

/**
 * The kit against an upstream in the self-hosted SCIM bridge form (its root URL, typed with a trailing
 * slash as people do), listing groups without members as bridges do.
 */
class OnePasswordBridgeConformanceTest extends ScimConformanceTest {

    @Override
    protected String connectorId() {
        return OnePasswordConnectorFactory.ID;
    }

    @Override
    protected ScimUpstream.Builder upstreamBuilder() {
        return super.upstreamBuilder()
                .urlForms(UrlForm.BRIDGE)
                .quirks(Quirk.GROUPS_LISTED_WITHOUT_MEMBERS, Quirk.SORT_BY_REJECTED);
    }

    @Override
    protected ConnectorConfig configFor(ScimUpstream upstream, String token) {
        return new ConnectorConfig(
                Map.of(SCIM_URL, upstream.bridgeBaseUrl() + "/", BEARER_TOKEN, token), Set.of(BEARER_TOKEN));
    }
}
