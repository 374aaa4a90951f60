package dev.keyline.connector.onepassword;

import static dev.keyline.connector.onepassword.OnePasswordConnectorFactory.BEARER_TOKEN;
import static dev.keyline.connector.onepassword.OnePasswordConnectorFactory.SCIM_URL;

import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.tck.ExpectedDirectory;
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

    /**
     * Two groups are 1Password's built-in Administrators and Team Members, so the kit checks the privilege marks
     * round-trip: on the groups, on users' references to them, and on the administrators themselves.
     */
    @Override
    protected ExpectedDirectory expectedDirectory() {
        ExpectedDirectory standard = super.expectedDirectory();
        return standard.renameGroup(standard.groups().get(0).remoteId(), "Administrators")
                .renameGroup(standard.groups().get(1).remoteId(), "Team Members")
                .markGroups(g -> switch (g.name()) {
                    case "Administrators" -> Boolean.TRUE;
                    case "Team Members" -> Boolean.FALSE;
                    default -> null;
                })
                .mapUsers(u -> u.groups().stream().anyMatch(r -> Boolean.TRUE.equals(r.privileged()))
                        ? u.toBuilder().privileged(true).build()
                        : u);
    }

    @Override
    protected ConnectorConfig configFor(ScimUpstream upstream, String token) {
        return new ConnectorConfig(
                Map.of(SCIM_URL, upstream.bridgeBaseUrl() + "/", BEARER_TOKEN, token), Set.of(BEARER_TOKEN));
    }
}
