package dev.keyline.platform.authconfig;

import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.api.ProblemDocs;
import dev.keyline.platform.authconfig.AuthConfigDtos.AuthConfigPage;
import dev.keyline.platform.authconfig.AuthConfigDtos.AuthConfigView;
import dev.keyline.platform.authconfig.AuthConfigDtos.CreateAuthConfigRequest;
import dev.keyline.platform.authconfig.AuthConfigDtos.UpdateAuthConfigRequest;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.idempotency.Idempotent;
import dev.keyline.platform.tenant.CurrentTenant;
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

/** The calling tenant's own OAuth apps (auth configs), per provider, for the authorization code kind. */
@Tag(
        name = "auth-configs",
        description = "The tenant's own OAuth apps per provider, used by connect sessions for the authorization code"
                + " kind; client secrets are write-only.")
@Path(ApiVersion.PREFIX + "/auth-configs")
@RolesAllowed(Roles.TENANT)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AuthConfigResource {

    @Inject
    AuthConfigService service;

    @Inject
    CurrentTenant tenant;

    @APIResponse(
            responseCode = "201",
            description = "The auth config, without its secret, and the redirect URI to register at the provider",
            headers =
                    @Header(
                            name = "Location",
                            description = "The auth config's address",
                            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = AuthConfigView.class)))
    @APIResponse(
            responseCode = "422",
            description = "The provider is not connected with the authorization code kind (`auth_kind_unsupported`)",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @POST
    @Idempotent
    @Operation(operationId = "createAuthConfig")
    public Response create(@Valid @NotNull CreateAuthConfigRequest request) {
        AuthConfigView created = service.create(tenant.id(), request);
        return Response.created(UriBuilder.fromResource(AuthConfigResource.class)
                        .path("{id}")
                        .build(created.id()))
                .entity(created)
                .build();
    }

    @GET
    @Operation(operationId = "listAuthConfigs")
    public AuthConfigPage list(
            @Parameter(description = "Only the configs of this provider (connector id)") @QueryParam("provider")
                    String provider,
            @Parameter(
                            description = "Auth configs per page",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "" + AuthConfigService.MAX_PAGE_SIZE,
                                            defaultValue = "" + AuthConfigService.DEFAULT_PAGE_SIZE))
                    @QueryParam("page_size")
                    String pageSize,
            @Parameter(description = "The previous page's `next`; absent for the first page") @QueryParam("cursor")
                    String cursor) {
        return service.list(tenant.id(), provider, pageSize, cursor);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getAuthConfig")
    public AuthConfigView get(@PathParam("id") String id) {
        return service.get(tenant.id(), id);
    }

    @PATCH
    @Path("/{id}")
    @Operation(operationId = "updateAuthConfig")
    public AuthConfigView update(@PathParam("id") String id, @Valid @NotNull UpdateAuthConfigRequest request) {
        return service.update(tenant.id(), id, request);
    }

    /** Accounts that consented with this app can no longer refresh and must be reconnected. */
    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "204", description = "Deleted, with its client secret")
    @Operation(operationId = "deleteAuthConfig")
    public Response delete(@PathParam("id") String id) {
        service.delete(tenant.id(), id);
        return Response.noContent().build();
    }
}
