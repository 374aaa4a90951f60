package dev.keyline.platform.account;

import dev.keyline.platform.account.AccountDtos.AccountPage;
import dev.keyline.platform.account.AccountDtos.AccountView;
import dev.keyline.platform.account.AccountDtos.LinkAccountRequest;
import dev.keyline.platform.account.AccountDtos.UpdateAccountRequest;
import dev.keyline.platform.account.AccountLifecycle.LinkCommand;
import dev.keyline.platform.account.AccountLifecycle.LinkResult;
import dev.keyline.platform.api.ApiVersion;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Linked accounts of the calling tenant. */
@Tag(name = "accounts")
@Path(ApiVersion.PREFIX + "/accounts")
@RolesAllowed(Roles.TENANT)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AccountResource {

    @Inject
    AccountLifecycle lifecycle;

    @Inject
    AccountLookup lookup;

    @Inject
    AccountChecks checks;

    @Inject
    CurrentTenant tenant;

    /** Server-side link for headless onboarding: 201 for a new account, 200 when an existing one was re-linked. */
    @APIResponse(
            responseCode = "201",
            description = "A new linked account",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = AccountView.class)))
    @APIResponse(
            responseCode = "200",
            description = "An existing account of the same origin owner and provider, re-linked",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = AccountView.class)))
    @POST
    @Idempotent
    @Operation(operationId = "linkAccount")
    public Response link(@Valid @NotNull LinkAccountRequest request) {
        LinkResult result = lifecycle.link(
                tenant.id(),
                new LinkCommand(
                        request.originOwnerId(), request.originOwnerName(), request.provider(), request.credentials()));
        return Response.status(result.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(result.account())
                .build();
    }

    @GET
    @Operation(operationId = "listAccounts")
    public AccountPage list(
            @QueryParam("origin_owner_id") String originOwnerId,
            @QueryParam("provider") String provider,
            @QueryParam("status") String status,
            @QueryParam("page_size") Integer pageSize,
            @QueryParam("cursor") String cursor) {
        return lookup.list(tenant.id(), originOwnerId, provider, status, pageSize, cursor);
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getAccount")
    public AccountView get(@PathParam("id") String id) {
        return lookup.get(tenant.id(), id);
    }

    @PATCH
    @Path("/{id}")
    @Operation(operationId = "updateAccount")
    public AccountView update(@PathParam("id") String id, @Valid @NotNull UpdateAccountRequest request) {
        return lifecycle.update(tenant.id(), id, request.originOwnerName(), request.credentials());
    }

    @DELETE
    @Path("/{id}")
    @APIResponse(responseCode = "204", description = "Unlinked; its credentials are destroyed")
    @Operation(operationId = "unlinkAccount")
    public Response unlink(@PathParam("id") String id) {
        lifecycle.unlink(tenant.id(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/check")
    @Operation(operationId = "checkAccount")
    public AccountView check(@PathParam("id") String id) {
        return checks.check(tenant.id(), id);
    }
}
