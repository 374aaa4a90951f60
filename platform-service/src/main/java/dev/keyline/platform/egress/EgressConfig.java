package dev.keyline.platform.egress;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where connectors may connect. By default: https only, and only to ordinary public addresses. Operators who
 * run a SCIM bridge inside their own network allow it by name ({@code allow-hosts}) or block
 * ({@code allow-cidrs}).
 */
@ConfigMapping(prefix = "keyline.egress")
public interface EgressConfig {

    /** Lets connectors use plain http (development and tests; credentials then travel in clear). */
    @WithDefault("false")
    boolean allowHttp();

    /** Blocks (such as {@code 10.20.0.0/16}) contacted although they are private, local or reserved. */
    Optional<List<String>> allowCidrs();

    /**
     * Host names ({@code scim.corp.example}) or suffixes ({@code *.corp.example}) that may resolve to any
     * address, including private ones. Only {@code deny-cidrs} still applies to them.
     */
    Optional<List<String>> allowHosts();

    /** Blocks refused in any case, on top of the built-in ones; wins over every allowance. */
    Optional<List<String>> denyCidrs();

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
