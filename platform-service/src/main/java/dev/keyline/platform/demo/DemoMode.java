package dev.keyline.platform.demo;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.account.AccountLifecycle;
import dev.keyline.platform.account.AccountLifecycle.LinkCommand;
import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.egress.HostOverrides;
import dev.keyline.platform.tenant.TenantDtos.TenantView;
import dev.keyline.platform.tenant.TenantService;
import dev.keyline.scimdouble.ScimUpstream;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Sets up the demo: starts a scriptable SCIM upstream that answers like a 1Password SCIM bridge, links it to the
 * oldest tenant through the ordinary link flow (validation included), and issues a fresh API key to read it with.
 * When the generic SCIM connector is installed (`./keyline demo` puts its plugin in place), a second app — an HR
 * directory over SCIM sharing some of the same people ({@link DemoPeople}) — is linked for the same origin owner,
 * so the people view has one person across providers; and with the Okta connector installed and an operator's host
 * override sending {@link #OKTA_HOST} to a local port (as `./keyline demo` does), the identity provider: a double of
 * Okta's API on that port, linked through the Okta plugin like a real org. Each run links again, which updates the
 * same accounts rather than adding others.
 */
@ApplicationScoped
public class DemoMode {
    private static final Logger LOG = Logger.getLogger(DemoMode.class);
    static final String ORIGIN_OWNER_ID = "demo-org";
    /** The generic SCIM connector's provider id: a plugin, so the second app is linked only when it is installed. */
    static final String SECOND_PROVIDER = "scim";
    /** The identity provider's connector, a plugin too. */
    static final String IDP_PROVIDER = "okta";
    /**
     * The demo org's Okta host. `./keyline demo` sends it to 127.0.0.1 with an operator's host override, and the Okta
     * double listens on that override's port: the connector talks to "Okta" exactly as it would in production.
     */
    static final String OKTA_HOST = "keyline-demo.okta.com";

    /** What the demo set up; the key is shown to the person running the demo and nowhere else. */
    public record DemoSetup(
            String tenantName,
            String apiKey,
            String accountId,
            String upstreamUrl,
            String upstreamToken,
            int users,
            String secondAccountId,
            String idpAccountId) {
        @Override
        public String toString() {
            return "DemoSetup[tenant=" + tenantName + ", account=" + accountId + "]";
        }
    }

    private final DemoConfig config;
    private final TenantService tenants;
    private final AccountLifecycle accounts;
    private final ConnectorRegistry connectors;
    private final HostOverrides hostOverrides;
    private ScimUpstream upstream;
    private ScimUpstream secondApp;
    private DemoOkta okta;

    DemoMode(
            DemoConfig config,
            TenantService tenants,
            AccountLifecycle accounts,
            ConnectorRegistry connectors,
            HostOverrides hostOverrides) {
        this.config = requireNonNull(config, "config is null");
        this.tenants = requireNonNull(tenants, "tenants is null");
        this.accounts = requireNonNull(accounts, "accounts is null");
        this.connectors = requireNonNull(connectors, "connectors is null");
        this.hostOverrides = requireNonNull(hostOverrides, "hostOverrides is null");
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
                .setup(DemoPeople::onePassword)
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
        String secondAccountId = linkSecondApp(tenant.id());
        String idpAccountId = linkIdentityProvider(tenant.id());
        String apiKey = tenants.issueApiKey(tenant.id(), "demo").key();
        LOG.infof("Demo upstream at %s linked as account %s", upstream.bridgeBaseUrl(), accountId);
        return new DemoSetup(
                tenant.name(),
                apiKey,
                accountId,
                upstream.bridgeBaseUrl(),
                upstream.token(),
                upstream.directory().userCount(),
                secondAccountId,
                idpAccountId);
    }

    /**
     * The identity provider's account id, or null when the Okta connector is not installed or no host override sends
     * {@link #OKTA_HOST} to a local port (as `./keyline demo` sets up).
     */
    private String linkIdentityProvider(String tenantId) {
        if (connectors.find(IDP_PROVIDER).isEmpty()) {
            LOG.warnf(
                    "The demo's identity provider needs the Okta connector (provider %s) in the plugins directory.",
                    IDP_PROVIDER);
            return null;
        }
        Optional<URI> local = hostOverrides
                .baseFor(OKTA_HOST)
                .filter(base -> "127.0.0.1".equals(base.getHost()) && base.getPort() > 0);
        if (local.isEmpty()) {
            LOG.warnf(
                    "The demo's identity provider needs keyline.egress.host-overrides.\"%s\"=http://127.0.0.1:<port>;"
                            + " ./keyline demo sets it. The people view shows no identity provider.",
                    OKTA_HOST);
            return null;
        }
        Optional<DemoOkta> started = DemoOkta.start(config.kitJar(), local.get().getPort(), "demo-" + randomToken());
        if (started.isEmpty()) {
            LOG.warnf(
                    "The demo's identity provider needs the conformance kit's Okta double (keyline.demo.kit-jar, which"
                            + " ./keyline demo sets); the people view shows no identity provider.");
            return null;
        }
        okta = started.get();
        DemoPeople.okta(okta, upstream.directory().users(), Instant.now());
        return accounts.link(
                        tenantId,
                        new LinkCommand(
                                ORIGIN_OWNER_ID,
                                "Demo Org (Okta)",
                                IDP_PROVIDER,
                                Map.of("okta_domain", OKTA_HOST, "api_token", okta.apiToken(), "read_factors", "yes")))
                .account()
                .id();
    }

    /** The second app's account id, or null when the generic SCIM connector is not installed. */
    private String linkSecondApp(String tenantId) {
        if (connectors.find(SECOND_PROVIDER).isEmpty()) {
            LOG.warnf(
                    "The demo's second app needs the generic SCIM connector (provider %s) in the plugins directory;"
                            + " ./keyline demo installs it. The people view shows one provider only.",
                    SECOND_PROVIDER);
            return null;
        }
        List<dev.keyline.scimdouble.ScimUser> bridgeUsers = upstream.directory().users();
        secondApp = ScimUpstream.builder()
                .users(0)
                .groups(0)
                .seed(43)
                .token("demo-" + randomToken())
                .setup(d -> DemoPeople.secondApp(d, bridgeUsers))
                .start();
        return accounts.link(
                        tenantId,
                        new LinkCommand(
                                ORIGIN_OWNER_ID,
                                "Demo Org (HR directory over SCIM)",
                                SECOND_PROVIDER,
                                Map.of("scim_url", secondApp.bridgeBaseUrl(), "bearer_token", secondApp.token())))
                .account()
                .id();
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (upstream != null) {
            upstream.close();
            upstream = null;
        }
        if (secondApp != null) {
            secondApp.close();
            secondApp = null;
        }
        if (okta != null) {
            okta.close();
            okta = null;
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
                + "/v1/iam/users?cursor=<next>'\n"
                + "  Access reviews (docs/access-reviews.md):\n"
                + "    curl -s " + auth + " '" + base + "/v1/iam/users?is_privileged=true'\n"
                + "    curl -s -H 'Authorization: Bearer " + demo.apiKey() + "' '" + base
                + "/v1/people?origin_owner_id="
                + ORIGIN_OWNER_ID + "'\n"
                + (demo.secondAccountId() == null
                        ? "  (The second demo app was not linked: the generic SCIM connector is not installed.)\n"
                        : "  A second app (an HR directory over SCIM) sharing some of these people is account "
                                + demo.secondAccountId() + ".\n")
                + (demo.idpAccountId() == null
                        ? "  (The identity provider was not linked: see the log.)\n"
                        : "  The identity provider (a local Okta double at " + OKTA_HOST
                                + ", with everyone, admin roles,"
                                + " MFA factors and sign-ins) is account " + demo.idpAccountId() + ":\n"
                                + "    curl -s -H 'Authorization: Bearer " + demo.apiKey() + "' -H 'x-account-id: "
                                + demo.idpAccountId() + "' '" + base + "/v1/iam/users?is_privileged=true'\n")
                + "\n"
                // The demo double's own token, made for this run: printing it exposes nothing real.
                + "  To link the bridge by hand through the connect UI (POST /v1/connect/sessions, open its connect_url):\n"
                + "    SCIM bridge URL: " + demo.upstreamUrl() + "\n"
                + "    bearer token:    " + demo.upstreamToken() + "\n";
    }
}
