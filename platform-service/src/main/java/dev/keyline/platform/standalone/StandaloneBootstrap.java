package dev.keyline.platform.standalone;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.tenant.TenantDtos.CreatedTenant;
import dev.keyline.platform.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Gives a fresh standalone installation a tenant to work with, so the API is usable from the first start. */
@ApplicationScoped
public class StandaloneBootstrap {
    static final String TENANT_NAME = "Standalone";

    private final TenantService tenants;

    StandaloneBootstrap(TenantService tenants) {
        this.tenants = requireNonNull(tenants, "tenants is null");
    }

    /**
     * Creates the bootstrap tenant when there is no tenant at all, returning its one-time API key; empty on every
     * later start. Keyed on the database rather than a marker file, so the state cannot drift from the data.
     */
    public Optional<Banner.FirstTenant> createFirstTenantIfNone() {
        if (tenants.any()) {
            return Optional.empty();
        }
        CreatedTenant created = tenants.createTenant(TENANT_NAME);
        return Optional.of(new Banner.FirstTenant(
                created.tenant().id(), created.tenant().name(), created.apiKey().key()));
    }
}
