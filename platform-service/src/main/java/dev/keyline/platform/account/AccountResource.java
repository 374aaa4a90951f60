package dev.keyline.platform.account;

import dev.keyline.platform.account.AccountDtos.AccountPage;
import dev.keyline.platform.account.AccountDtos.AccountView;
import dev.keyline.platform.account.AccountDtos.LinkAccountRequest;
import dev.keyline.platform.account.AccountDtos.UpdateAccountRequest;
import dev.keyline.platform.account.AccountLifecycle.LinkCommand;
import dev.keyline.platform.account.AccountLifecycle.LinkResult;
import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.api.ProblemDocs;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.idempotency.Idempotent;
import dev.keyline.platform.reqlog.RequestLogDtos.RequestLogPage;
import dev.keyline.platform.reqlog.RequestLogQueries;
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
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
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

    @Inject
    RequestLogQueries requestLogs;

    /**
     * Server-side link for headless onboarding: 201 for a new account, 200 when an existing one was re-linked; both
     * name the account in {@code Location}.
     */
    @APIResponse(
            responseCode = "201",
            description = "A new linked account",
            headers =
                    @Header(
                            name = "Location",
                            description = "The account's address",
                            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = AccountView.class)))
    @APIResponse(
            responseCode = "200",
            description = "An existing account of the same origin owner and provider, re-linked",
            headers =
                    @Header(
                            name = "Location",
                            description = "The account's address",
                            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = AccountView.class)))
    @APIResponse(
            responseCode = "422",
            description = "The provider refused the credentials (the problem's field names the one to fix)",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @APIResponse(
            responseCode = "503",
            description = "The provider or the credential store cannot be reached now; retry later",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @APIResponse(
            responseCode = "504",
            description = "The provider did not answer in time",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @POST
    @Idempotent
    @Operation(operationId = "linkAccount")
    public Response link(@Valid @NotNull LinkAccountRequest request) {
        LinkResult result = lifecycle.link(
                tenant.id(),
                new LinkCommand(
                        request.originOwnerId(),
                        request.originOwnerName(),
                        request.provider(),
                        request.credentials(),
                        request.authKind(),
                        null));
        return Response.status(result.created() ? Response.Status.CREATED : Response.Status.OK)
                .location(location(result.account().id()))
                .entity(result.account())
                .build();
    }

    static URI location(String accountId) {
        return UriBuilder.fromResource(AccountResource.class).path("{id}").build(accountId);
    }

    @GET
    @Operation(operationId = "listAccounts")
    public AccountPage list(
            @QueryParam("origin_owner_id") String originOwnerId,
            @QueryParam("provider") String provider,
            @Parameter(
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {"active", "error", "unlinked"}))
                    @QueryParam("status")
                    String status,
            @Parameter(
                            description = "Accounts per page",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "200",
                                            defaultValue = "50"))
                    @QueryParam("page_size")
                    String pageSize,
            @Parameter(description = "The previous page's `next`; absent for the first page") @QueryParam("cursor")
                    String cursor) {
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
    @APIResponse(
            responseCode = "200",
            description = "The account as changed (its credentials re-validated when given)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = AccountView.class)))
    @APIResponse(
            responseCode = "409",
            description = "The account was unlinked",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @APIResponse(
            responseCode = "422",
            description = "The provider refused the new credentials; the stored ones are kept",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @APIResponse(
            responseCode = "503",
            description = "The provider or the credential store cannot be reached now; retry later",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
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
    // No body: a client that sends none sends no Content-Type either, which the class-level JSON would refuse (415).
    @Consumes(MediaType.WILDCARD)
    @Path("/{id}/check")
    @APIResponse(
            responseCode = "200",
            description = "The account with the check's outcome",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = AccountView.class)))
    @APIResponse(
            responseCode = "409",
            description = "The account was unlinked",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @Operation(operationId = "checkAccount")
    public AccountView check(@PathParam("id") String id) {
        return checks.check(tenant.id(), id);
    }

    @GET
    @Path("/{id}/logs")
    @Operation(
            operationId = "listAccountLogs",
            summary = "The account's request log",
            description = "The requests its connector sent to the provider (`upstream`) and the API calls made for it"
                    + " (`api`), newest first, kept for the operator's retention (7 days by default). Never headers,"
                    + " bodies or query values.")
    public RequestLogPage logs(
            @PathParam("id") String id,
            @Parameter(description = "Entries at or after this instant (RFC 3339)") @QueryParam("since") String since,
            @Parameter(description = "Entries before this instant (RFC 3339)") @QueryParam("until") String until,
            @Parameter(
                            description = "A status class (`4xx`, `5xx`), an exact code (`429`), or `error` for"
                                    + " upstream requests that got no answer")
                    @QueryParam("status")
                    String status,
            @Parameter(
                            schema =
                                    @Schema(
                                            type = SchemaType.STRING,
                                            enumeration = {"upstream", "api"}))
                    @QueryParam("kind")
                    String kind,
            @Parameter(
                            description = "Entries per page",
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "200",
                                            defaultValue = "50"))
                    @QueryParam("page_size")
                    String pageSize,
            @Parameter(description = "The previous page's `next`; absent for the first page") @QueryParam("cursor")
                    String cursor) {
        String tenantId = tenant.id();
        // 404 for an account of another tenant, before anything of the log is read.
        lookup.get(tenantId, id);
        return requestLogs.page(tenantId, id, since, until, status, kind, pageSize, cursor);
    }
}
