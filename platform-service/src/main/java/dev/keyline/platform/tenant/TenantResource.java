package dev.keyline.platform.tenant;

import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.idempotency.Idempotent;
import dev.keyline.platform.tenant.TenantDtos.ApiKeyView;
import dev.keyline.platform.tenant.TenantDtos.CreateApiKeyRequest;
import dev.keyline.platform.tenant.TenantDtos.CreateTenantRequest;
import dev.keyline.platform.tenant.TenantDtos.CreatedTenant;
import dev.keyline.platform.tenant.TenantDtos.DataList;
import dev.keyline.platform.tenant.TenantDtos.IssuedApiKey;
import dev.keyline.platform.tenant.TenantDtos.TenantView;
import dev.keyline.platform.tenant.TenantDtos.UpdateTenantRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operator endpoints: tenants and their API keys. */
@Tag(name = "tenants")
@Path(ApiVersion.PREFIX + "/tenants")
@RolesAllowed(Roles.OPERATOR)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TenantResource {

    @Inject
    TenantService service;

    @APIResponse(
            responseCode = "201",
            description = "The tenant and its first API key, shown this once",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedTenant.class)))
    @POST
    @Idempotent
    @Operation(operationId = "createTenant")
    public Response create(@Valid @NotNull CreateTenantRequest request) {
        CreatedTenant created = service.createTenant(request.name(), request.allowedOrigins());
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    @Operation(operationId = "listTenants")
    public DataList<TenantView> list() {
        return new DataList<>(service.list());
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getTenant")
    public TenantView get(@PathParam("id") String id) {
        return service.get(id);
    }

    @PATCH
    @Path("/{id}")
    @Operation(operationId = "updateTenant")
    public TenantView update(@PathParam("id") String id, @Valid @NotNull UpdateTenantRequest request) {
        return service.update(id, request);
    }

    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @Operation(operationId = "deleteTenant")
    public Response delete(@PathParam("id") String id) {
        service.delete(id);
        return Response.noContent().build();
    }

    @APIResponse(
            responseCode = "201",
            description = "The new key, shown this once",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = IssuedApiKey.class)))
    @POST
    @Path("/{id}/api-keys")
    @Idempotent
    @Operation(operationId = "issueApiKey")
    public Response issueApiKey(@PathParam("id") String id, @Valid CreateApiKeyRequest request) {
        IssuedApiKey key = service.issueApiKey(id, request == null ? null : request.name());
        return Response.status(Response.Status.CREATED).entity(key).build();
    }

    @GET
    @Path("/{id}/api-keys")
    @Operation(operationId = "listApiKeys")
    public DataList<ApiKeyView> listApiKeys(@PathParam("id") String id) {
        return new DataList<>(service.listApiKeys(id));
    }

    @DELETE
    @Path("/{id}/api-keys/{keyId}")
    @APIResponse(responseCode = "204", description = "Revoked")
    @Operation(operationId = "revokeApiKey")
    public Response revokeApiKey(@PathParam("id") String id, @PathParam("keyId") String keyId) {
        service.revokeApiKey(id, keyId);
        return Response.noContent().build();
    }
}
