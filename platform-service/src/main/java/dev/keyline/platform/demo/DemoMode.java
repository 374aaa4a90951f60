package dev.keyline.platform.demo;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.account.AccountLifecycle;
import dev.keyline.platform.account.AccountLifecycle.LinkCommand;
import dev.keyline.platform.tenant.TenantDtos.TenantView;
import dev.keyline.platform.tenant.TenantService;
import dev.keyline.scimdouble.ScimUpstream;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Sets up the demo: starts a scriptable SCIM upstream that answers like a 1Password SCIM bridge, links it to the
 * oldest tenant through the ordinary link flow (validation included), and issues a fresh API key to read it with.
 * Each run links again, which updates the same account rather than adding one.
 */
@ApplicationScoped
public class DemoMode {
    private static final Logger LOG = Logger.getLogger(DemoMode.class);
    static final String ORIGIN_OWNER_ID = "demo-org";

    /** What the demo set up; the key is shown to the person running the demo and nowhere else. */
    public record DemoSetup(
            String tenantName, String apiKey, String accountId, String upstreamUrl, String upstreamToken, int users) {
        @Override
        public String toString() {
            return "DemoSetup[tenant=" + tenantName + ", account=" + accountId + "]";
        }
    }

    private final DemoConfig config;
    private final TenantService tenants;
    private final AccountLifecycle accounts;
    private ScimUpstream upstream;

    DemoMode(DemoConfig config, TenantService tenants, AccountLifecycle accounts) {
        this.config = requireNonNull(config, "config is null");
        this.tenants = requireNonNull(tenants, "tenants is null");
        this.accounts = requireNonNull(accounts, "accounts is null");
    }

    public boolean enabled() {
        return config.enabled();
    }

    public synchronized DemoSetup setUp() {
        stop(null);
        TenantView tenant = tenants.list().stream()
                .min(Comparator.comparing(TenantView::createdAt))
                .orElseThrow(() -> new IllegalStateException("the demo needs a tenant; start in standalone mode"));
        upstream = ScimUpstream.builder()
                .users(config.users())
                .groups(config.groups())
                .membershipsPerUser(3)
                .seed(42)
                .port(config.upstreamPort())
                .token("demo-" + randomToken())
                .start();
        String accountId = accounts.link(
                        tenant.id(),
                        new LinkCommand(
                                ORIGIN_OWNER_ID,
                                "Demo Org (local SCIM bridge)",
                                "onepassword",
                                Map.of("scim_url", upstream.bridgeBaseUrl(), "bearer_token", upstream.token())))
                .account()
                .id();
        String apiKey = tenants.issueApiKey(tenant.id(), "demo").key();
        LOG.infof("Demo upstream at %s linked as account %s", upstream.bridgeBaseUrl(), accountId);
        return new DemoSetup(
                tenant.name(), apiKey, accountId, upstream.bridgeBaseUrl(), upstream.token(), config.users());
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The console text: where the demo directory is and the commands that read it. */
    public static String banner(int httpPort, DemoSetup demo) {
        String base = "http://localhost:" + httpPort;
        String auth = "-H 'Authorization: Bearer " + demo.apiKey() + "' -H 'x-account-id: " + demo.accountId() + "'";
        return "\n"
                + "  Demo: a local 1Password-like SCIM bridge with " + demo.users() + " users at " + demo.upstreamUrl()
                + "\n"
                + "  is linked to tenant \"" + demo.tenantName() + "\" as account " + demo.accountId() + ".\n"
                + "  A new API key for this demo (shown once): " + demo.apiKey() + "\n\n"
                + "  Try:\n"
                + "    curl -s " + auth + " '" + base + "/v1/iam/users?page_size=5'\n"
                + "    curl -s " + auth + " '" + base + "/v1/iam/users?status=disabled&page_size=5'\n"
                + "    curl -s " + auth + " '" + base + "/v1/iam/groups?page_size=3'\n"
                + "    curl -s -H 'Authorization: Bearer " + demo.apiKey() + "' '" + base + "/v1/accounts/"
                + demo.accountId() + "'\n"
                + "  Pass a page's `next` as `cursor` for the one after it: '" + base
                + "/v1/iam/users?cursor=<next>'\n\n"
                // The demo double's own token, made for this run: printing it exposes nothing real.
                + "  To link the bridge by hand through the connect UI (POST /v1/connect/sessions, open its connect_url):\n"
                + "    SCIM bridge URL: " + demo.upstreamUrl() + "\n"
                + "    bearer token:    " + demo.upstreamToken() + "\n";
    }
}
