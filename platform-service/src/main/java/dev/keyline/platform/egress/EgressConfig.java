package dev.keyline.platform.egress;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where connectors may connect. By default: https only, and only to ordinary public addresses. A customer's SCIM
 * bridge inside its own network is allowed for that customer's tenant alone, by an operator
 * ({@code PUT /tenants/{id}/egress}). {@code allow-hosts} and {@code allow-cidrs} here are operator-wide: they
 * open a network to every tenant's connectors (a developer's loopback, a bridge all tenants share), and never to
 * webhook URLs ({@code keyline.webhooks.allow-*} are separate).
 */
@ConfigMapping(prefix = "keyline.egress")
public interface EgressConfig {

    /** Lets connectors use plain http (development and tests; credentials then travel in clear). */
    @WithDefault("false")
    boolean allowHttp();

    /**
     * Blocks (such as {@code 10.20.0.0/16}) every tenant's connectors may contact although they are private, local
     * or reserved. One tenant's network belongs in that tenant's egress settings instead.
     */
    Optional<List<String>> allowCidrs();

    /**
     * Host names ({@code scim.corp.example}) or suffixes ({@code *.corp.example}) that every tenant's connectors may
     * reach at any address, including private ones. Only {@code deny-cidrs} still applies to them.
     */
    Optional<List<String>> allowHosts();

    /** Blocks refused in any case, on top of the built-in ones; wins over every allowance. */
    Optional<List<String>> denyCidrs();

    /**
     * Where requests for a provider's host go instead, host name to base URL: a national cloud
     * ({@code "graph.microsoft.com"=https://graph.microsoft.us}), a custom domain, a simulated upstream. Applies to
     * every request a connector or the platform's OAuth client makes, and to the authorization URLs people are sent
     * to; the policy then judges the new destination.
     */
    Map<String, String> hostOverrides();

    @WithDefault("5")
    int maxRedirects();

    @WithDefault("5s")
    Duration connectTimeout();

    /** For a whole request, redirects included, unless the connector asks for another. */
    @WithDefault("20s")
    Duration requestTimeout();

    /** Larger answers fail with {@code RESPONSE_TOO_LARGE} instead of exhausting memory. 16 MiB. */
    @WithDefault("16777216")
    long maxResponseBytes();

    /**
     * How long a replica uses its cached view of a tenant's egress allowances. A change made on this replica
     * applies at once; one made on another replica within this time.
     */
    @WithDefault("5s")
    Duration tenantCacheTtl();

    default EgressPolicy.Rules rules() {
        return new EgressPolicy.Rules(
                allowHttp(),
                allowCidrs().orElse(List.of()),
                allowHosts().orElse(List.of()),
                denyCidrs().orElse(List.of()));
    }

    default EgressTransport.Limits limits() {
        return new EgressTransport.Limits(connectTimeout(), requestTimeout(), maxResponseBytes(), maxRedirects());
    }
}
