package dev.keyline.platform.tenant;

import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.idempotency.Idempotent;
import dev.keyline.platform.tenant.TenantDtos.ApiKeyPage;
import dev.keyline.platform.tenant.TenantDtos.ApiKeyView;
import dev.keyline.platform.tenant.TenantDtos.CreateApiKeyRequest;
import dev.keyline.platform.tenant.TenantDtos.CreateTenantRequest;
import dev.keyline.platform.tenant.TenantDtos.CreatedTenant;
import dev.keyline.platform.tenant.TenantDtos.IssuedApiKey;
import dev.keyline.platform.tenant.TenantDtos.TenantPage;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
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
            headers =
                    @Header(
                            name = "Location",
                            description = "The tenant's address",
                            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedTenant.class)))
    @POST
    @Idempotent
    @Operation(operationId = "createTenant")
    public Response create(@Valid @NotNull CreateTenantRequest request) {
        CreatedTenant created = service.createTenant(request.name(), request.allowedOrigins());
        return Response.created(UriBuilder.fromResource(TenantResource.class)
                        .path("{id}")
                        .build(created.tenant().id()))
                .entity(created)
                .build();
    }

    @GET
    @Operation(operationId = "listTenants")
    public TenantPage list(
            @Parameter(
                            description = "Tenants per page",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "" + TenantService.MAX_PAGE_SIZE,
                                            defaultValue = "" + TenantService.DEFAULT_PAGE_SIZE))
                    @QueryParam("page_size")
                    String pageSize,
            @Parameter(description = "The previous page's `next`; absent for the first page") @QueryParam("cursor")
                    String cursor) {
        return service.page(pageSize, cursor);
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
            headers =
                    @Header(
                            name = "Location",
                            description = "The key's address (its metadata; the secret is never shown again)",
                            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = IssuedApiKey.class)))
    @POST
    @Path("/{id}/api-keys")
    @Idempotent
    @Operation(operationId = "issueApiKey")
    public Response issueApiKey(@PathParam("id") String id, @Valid CreateApiKeyRequest request) {
        IssuedApiKey key = service.issueApiKey(id, request == null ? null : request.name());
        return Response.created(UriBuilder.fromResource(TenantResource.class)
                        .path("{id}/api-keys/{keyId}")
                        .build(id, key.id()))
                .entity(key)
                .build();
    }

    @GET
    @Path("/{id}/api-keys")
    @Operation(operationId = "listApiKeys")
    public ApiKeyPage listApiKeys(
            @PathParam("id") String id,
            @Parameter(
                            description = "Keys per page",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "" + TenantService.MAX_PAGE_SIZE,
                                            defaultValue = "" + TenantService.DEFAULT_PAGE_SIZE))
                    @QueryParam("page_size")
                    String pageSize,
            @Parameter(description = "The previous page's `next`; absent for the first page") @QueryParam("cursor")
                    String cursor) {
        return service.listApiKeys(id, pageSize, cursor);
    }

    /** One key's metadata (revoked keys too); its secret is never shown again. */
    @GET
    @Path("/{id}/api-keys/{keyId}")
    @Operation(operationId = "getApiKey")
    public ApiKeyView getApiKey(@PathParam("id") String id, @PathParam("keyId") String keyId) {
        return service.getApiKey(id, keyId);
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
