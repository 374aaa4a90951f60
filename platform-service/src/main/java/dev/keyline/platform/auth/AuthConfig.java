package dev.keyline.platform.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
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

    /**
     * How long a tenant API key the database confirmed is trusted without asking it again. A key revoked on
     * another replica keeps working there for at most this long (at once on the replica that revoked it);
     * {@code 0s} asks the database on every request.
     */
    @WithDefault("5s")
    Duration apiKeyCacheTtl();
}
