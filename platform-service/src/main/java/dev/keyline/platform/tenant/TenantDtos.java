package dev.keyline.platform.tenant;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The tenant API's request and response bodies. */
public final class TenantDtos {
    private TenantDtos() {}

    public record CreateTenantRequest(
            @NotBlank @Size(max = 200) String name,
            @Size(max = 50) List<String> allowedOrigins) {}

    /**
     * Settings a tenant (or an operator for it) may change; absent members are left as they are.
     *
     * @param brand a JSON merge patch (RFC 7396) of the brand, kept as JSON so that {@code "logo": null} (remove the
     *     logo) and no {@code logo} (keep it) differ; see {@link BrandPatch}
     */
    public record UpdateTenantRequest(
            @Size(min = 1, max = 200) String name,
            @Size(max = 50) List<String> allowedOrigins,

            @Schema(
                    implementation = Brand.class,
                    nullable = true,
                    description = "Changes to the connect page's brand, as a JSON merge patch: a member that is"
                            + " absent is left as it is, a member given replaces it, a member given as null goes back"
                            + " to its default (`\"logo\": null` removes the logo), and `\"brand\": null` resets"
                            + " the whole brand.")
            JsonNode brand) {
        public UpdateTenantRequest(String name, List<String> allowedOrigins) {
            this(name, allowedOrigins, null);
        }
    }

    public record CreateApiKeyRequest(@Size(max = 200) String name) {}

    public record TenantView(
            @Schema(required = true) String id,
            @Schema(required = true) String name,
            @Schema(required = true) List<String> allowedOrigins,

            @Schema(
                    required = true,
                    description = "The connect page's brand with the defaults filled in: `appearance` is `system`"
                            + " and `hide_keyline` false unless set; `logo` and `primary_color` are null unless set.")
            Brand brand,

            @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant updatedAt) {
        public TenantView {
            requireNonNull(id, "id is null");
            requireNonNull(brand, "brand is null");
            allowedOrigins = List.copyOf(allowedOrigins);
        }

        static TenantView of(Tenant tenant) {
            return new TenantView(
                    tenant.id,
                    tenant.name,
                    tenant.allowedOrigins,
                    Brand.effective(null, tenant.brand()),
                    tenant.createdAt,
                    tenant.updatedAt);
        }
    }

    /** An API key without its secret: what listing shows. */
    public record ApiKeyView(
            @Schema(required = true) String id,
            @Schema(required = true) String prefix,
            @Schema(required = true, nullable = true) String name,
            @Schema(required = true) Instant createdAt,
            @Schema(required = true, nullable = true) Instant lastUsedAt,
            @Schema(required = true, nullable = true) Instant revokedAt) {
        static ApiKeyView of(ApiKey key) {
            return new ApiKeyView(key.id, key.displayPrefix, key.name, key.createdAt, key.lastUsedAt, key.revokedAt);
        }
    }

    /**
     * A newly issued API key, the only time the key is ever shown in clear.
     *
     * @param key the secret to send as {@code Authorization: Bearer <key>}
     */
    public record IssuedApiKey(
            @Schema(required = true) String id,
            @Schema(required = true) String key,
            @Schema(required = true) String prefix,
            @Schema(required = true, nullable = true) String name,
            @Schema(required = true) Instant createdAt) {
        public IssuedApiKey {
            requireNonNull(id, "id is null");
            requireNonNull(key, "key is null");
        }

        @Override
        public String toString() {
            return "IssuedApiKey[id=" + id + ", prefix=" + prefix + "]";
        }
    }

    /** The answer to creating a tenant: the tenant and its first API key, in clear this once. */
    public record CreatedTenant(
            @Schema(required = true) TenantView tenant,
            @Schema(required = true) IssuedApiKey apiKey) {
        public CreatedTenant {
            requireNonNull(tenant, "tenant is null");
            requireNonNull(apiKey, "apiKey is null");
        }
    }

    /** A page of tenants; {@code next} is the cursor of the following page, null on the last. */
    public record TenantPage(
            @Schema(required = true) List<TenantView> data,
            @Schema(required = true, nullable = true) String next) {
        public TenantPage {
            data = List.copyOf(data);
        }
    }

    /** A page of a tenant's API keys; {@code next} is null on the last. */
    public record ApiKeyPage(
            @Schema(required = true) List<ApiKeyView> data,
            @Schema(required = true, nullable = true) String next) {
        public ApiKeyPage {
            data = List.copyOf(data);
        }
    }

    /** Who an API key belongs to, for authentication. */
    public record KeyOwner(String keyId, String tenantId) {}
}
