package dev.keyline.platform.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "keyline.auth")
public interface AuthConfig {

    /** The access-token claim that names the tenant an OIDC caller acts for. */
    @WithDefault("keyline_tenant")
    String tenantClaim();

    /**
     * Lower-case hex SHA-256 hashes of the operator API keys (e.g. {@code printf %s "$KEY" | sha256sum}). The
     * keys themselves never appear in configuration.
     */
    Optional<List<String>> operatorKeySha256();
}
