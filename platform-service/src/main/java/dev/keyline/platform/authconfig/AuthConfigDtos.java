package dev.keyline.platform.authconfig;

import dev.keyline.platform.authconfig.AuthConfigStore.AuthConfig;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

public final class AuthConfigDtos {
    private AuthConfigDtos() {}

    /**
     * A tenant's OAuth app at a provider. {@code toString} leaves the secret out.
     *
     * @param scopes scopes to request instead of the connector's; absent or empty for the connector's own
     */
    public record CreateAuthConfigRequest(
            @Schema(required = true) @Size(max = 64) String provider,
            @Schema(required = true) @Size(max = 512) String clientId,

            @Schema(required = true, description = "Stored in the credential store; never returned") @Size(max = 4096)
            String clientSecret,

            @Size(max = 50) List<@Size(max = 200) String> scopes,
            @Size(max = 200) String name) {
        @Override
        public String toString() {
            return "CreateAuthConfigRequest[provider=" + provider + ", clientId=" + clientId + "]";
        }
    }

    /** Changes what is given; a {@code client_secret} replaces the stored one. {@code toString} leaves it out. */
    public record UpdateAuthConfigRequest(
            @Size(max = 512) String clientId,

            @Schema(description = "Replaces the stored secret; never returned") @Size(max = 4096)
            String clientSecret,

            @Size(max = 50) List<@Size(max = 200) String> scopes,
            @Size(max = 200) String name) {
        @Override
        public String toString() {
            return "UpdateAuthConfigRequest[clientId=" + clientId + ", secret "
                    + (clientSecret == null ? "kept" : "new") + "]";
        }
    }

    /**
     * An auth config as its tenant sees it: never the secret.
     *
     * @param hasClientSecret always true: a secret is registered with every config and is write-only
     * @param redirectUri what to register at the provider as the app's redirect (callback) URI
     */
    public record AuthConfigView(
            @Schema(required = true) String id,
            @Schema(required = true) String provider,
            @Schema(required = true, nullable = true) String name,
            @Schema(required = true) String clientId,
            @Schema(required = true) List<String> scopes,
            @Schema(required = true) boolean hasClientSecret,
            @Schema(required = true) String redirectUri,
            @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant updatedAt) {
        static AuthConfigView of(AuthConfig config, String redirectUri) {
            return new AuthConfigView(
                    config.id(),
                    config.provider(),
                    config.name(),
                    config.clientId(),
                    config.scopes(),
                    true,
                    redirectUri,
                    config.createdAt(),
                    config.updatedAt());
        }
    }

    public record AuthConfigPage(
            @Schema(required = true) List<AuthConfigView> data,
            @Schema(required = true, nullable = true) String next) {
        public AuthConfigPage {
            data = List.copyOf(data);
        }
    }
}
