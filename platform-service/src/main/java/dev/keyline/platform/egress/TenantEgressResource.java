package dev.keyline.platform.egress;

import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.egress.TenantEgressStore.Allowances;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Operator endpoints: the networks one tenant's connectors may reach although the egress policy refuses them by
 * default (that customer's SCIM bridge). Tenants cannot read or change them.
 */
@Tag(name = "tenants")
@Path(ApiVersion.PREFIX + "/tenants/{id}/egress")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TenantEgressResource {

    /** Replaces the tenant's allowances; an empty or missing list allows nothing beyond the operator's rules. */
    public record EgressSettings(List<String> allowCidrs, List<String> allowHosts) {}

    /** The tenant's own allowances; the operator-wide {@code keyline.egress.*} rules apply on top. */
    public record EgressView(
            @Schema(required = true) String tenantId,
            @Schema(required = true) List<String> allowCidrs,
            @Schema(required = true) List<String> allowHosts,
            @Schema(required = true, nullable = true) Instant updatedAt) {
        static EgressView of(String tenantId, Allowances allowances) {
            return new EgressView(tenantId, allowances.allowCidrs(), allowances.allowHosts(), allowances.updatedAt());
        }
    }

    @Inject
    TenantEgress egress;

    @GET
    @Operation(operationId = "getTenantEgress")
    public EgressView get(@PathParam("id") String id) {
        return EgressView.of(id, egress.get(id));
    }

    @PUT
    @Operation(operationId = "putTenantEgress")
    public EgressView put(@PathParam("id") String id, @Valid @NotNull EgressSettings settings) {
        return EgressView.of(id, egress.put(id, settings.allowCidrs(), settings.allowHosts()));
    }
}
