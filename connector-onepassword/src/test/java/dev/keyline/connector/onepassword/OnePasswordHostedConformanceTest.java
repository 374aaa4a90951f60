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
 * The kit against an upstream in the hosted provisioning form ({@code …/scim/v2}), with the hosted
 * service's listing quirks switched on.
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
                Map.of(SCIM_URL, upstream.hostedBaseUrl(), BEARER_TOKEN, token), Set.of(BEARER_TOKEN));
    }
}
