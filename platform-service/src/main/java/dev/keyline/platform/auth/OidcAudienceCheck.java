package dev.keyline.platform.auth;

import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses to start with OIDC on and no expected audience. Without {@code quarkus.oidc.token.audience}, quarkus-oidc
 * accepts any token its issuer signed, including one the IdP issued for another application: whoever holds a token
 * for any client of the realm could call Keyline with it. Failing at start-up makes the omission visible before a
 * single such token is honoured.
 */
@ApplicationScoped
public class OidcAudienceCheck {
    static final String AUDIENCE_KEY = "quarkus.oidc.token.audience";

    @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true")
    boolean enabled;

    @ConfigProperty(name = "quarkus.oidc.auth-server-url")
    Optional<String> authServerUrl;

    @ConfigProperty(name = "quarkus.oidc.public-key")
    Optional<String> publicKey;

    @ConfigProperty(name = AUDIENCE_KEY)
    Optional<List<String>> audience;

    // Before the other start-up work, so a refused start does nothing else first.
    void verify(@Observes @Priority(1) StartupEvent event) {
        problem(enabled, authServerUrl, publicKey, audience).ifPresent(message -> {
            throw new IllegalStateException(message);
        });
    }

    /** Why this OIDC configuration must not start, if it must not. */
    static Optional<String> problem(
            boolean enabled,
            Optional<String> authServerUrl,
            Optional<String> publicKey,
            Optional<List<String>> audience) {
        boolean on = enabled && (present(authServerUrl) || present(publicKey));
        if (!on) {
            return Optional.empty();
        }
        boolean anyAudience = audience.orElse(List.of()).stream().anyMatch(a -> a != null && !a.isBlank());
        if (anyAudience) {
            return Optional.empty();
        }
        return Optional.of(
                "OIDC is enabled (quarkus.oidc.tenant-enabled with an auth-server-url or public-key) but no"
                        + " token audience is set, so a token the IdP issued for any other application would be accepted."
                        + " Set " + AUDIENCE_KEY + " (QUARKUS_OIDC_TOKEN_AUDIENCE) to the audience your IdP puts in"
                        + " Keyline's access tokens, e.g. keyline-api, or turn OIDC off with quarkus.oidc.tenant-enabled=false.");
    }

    private static boolean present(Optional<String> value) {
        return value.filter(v -> !v.isBlank()).isPresent();
    }
}
