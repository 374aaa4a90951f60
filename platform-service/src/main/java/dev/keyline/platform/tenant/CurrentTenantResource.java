package dev.keyline.platform.tenant;

import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.tenant.TenantDtos.TenantView;
import dev.keyline.platform.tenant.TenantDtos.UpdateTenantRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A tenant's own settings, such as the origins allowed to embed the connect UI. */
@Tag(name = "tenants")
@Path(ApiVersion.PREFIX + "/tenant")
@RolesAllowed(Roles.TENANT)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CurrentTenantResource {

    @Inject
    TenantService service;

    @Inject
    CurrentTenant tenant;

    @GET
    @Operation(operationId = "getCurrentTenant")
    public TenantView get() {
        return service.get(tenant.id());
    }

    @PATCH
    @Operation(
            operationId = "updateCurrentTenant",
            description = "Changes the tenant's settings; members left out are kept. `brand` is a JSON merge patch:"
                    + " a brand member given replaces it, one given as null goes back to its default (`\"logo\":"
                    + " null` removes the logo), `\"brand\": null` resets the brand. A bad brand member is 400"
                    + " `invalid_brand` with `field` naming it, and nothing is written.")
    public TenantView update(@Valid @NotNull UpdateTenantRequest request) {
        return service.update(tenant.id(), request);
    }
}
