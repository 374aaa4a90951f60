package dev.keyline.platform.session;

import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.api.ProblemDocs;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.base.Tokens;
import dev.keyline.platform.idempotency.Idempotent;
import dev.keyline.platform.session.SessionDtos.CreateSessionRequest;
import dev.keyline.platform.session.SessionDtos.CreatedSession;
import dev.keyline.platform.session.SessionDtos.OAuthStartRequest;
import dev.keyline.platform.session.SessionDtos.OAuthStartResult;
import dev.keyline.platform.session.SessionDtos.SessionLinkRequest;
import dev.keyline.platform.session.SessionDtos.SessionLinkResult;
import dev.keyline.platform.session.SessionDtos.SessionStatusView;
import dev.keyline.platform.session.SessionDtos.SessionView;
import dev.keyline.platform.tenant.CurrentTenant;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
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

/**
 * Connect sessions. The tenant's backend creates them with its API key; the connect UI then authenticates
 * with the session token alone, in the Authorization header (never in a URL, where it would reach logs and
 * browser history).
 */
@Tag(name = "connect")
@Path(ApiVersion.PREFIX + "/connect")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ConnectSessionResource {

    @Inject
    SessionViews views;

    @Inject
    ConnectSessionService service;

    @Inject
    CurrentTenant tenant;

    @Inject
    OAuthFlowService oauth;

    @APIResponse(
            responseCode = "201",
            description = "The session: its single-use token, the connect URL and when it expires",
            headers =
                    @Header(
                            name = "Location",
                            description = "The session's status, for the tenant's backend",
                            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CreatedSession.class)))
    @APIResponse(
            responseCode = "400",
            description = "An invalid option: unknown_provider (field providers[i]), unsupported_locale,"
                    + " return_url_not_allowed (not hosted, or not on an allowed origin), or conflicting options",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @APIResponse(
            responseCode = "409",
            description = "The account to re-link was unlinked, or belongs to another origin owner",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @POST
    @Path("/sessions")
    @RolesAllowed(Roles.TENANT)
    @Idempotent
    @Operation(operationId = "createConnectSession")
    public Response create(@Valid @NotNull CreateSessionRequest request) {
        CreatedSession created = service.create(tenant.id(), request);
        return Response.created(UriBuilder.fromResource(ConnectSessionResource.class)
                        .path("sessions/{id}")
                        .build(created.id()))
                .entity(created)
                .build();
    }

    /** Whether the origin owner has used the session yet, and which account it linked; never the token. */
    @GET
    @Path("/sessions/{id}")
    @RolesAllowed(Roles.TENANT)
    @Operation(operationId = "getConnectSessionStatus")
    public SessionStatusView status(@PathParam("id") String id) {
        return service.status(tenant.id(), id);
    }

    @GET
    @Path("/session")
    @PermitAll
    @APIResponse(
            responseCode = "200",
            description = "What the connect UI needs to draw its form",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = SessionView.class)))
    @APIResponse(
            responseCode = "410",
            description = "The session was used or has expired",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @Operation(operationId = "getConnectSession")
    public SessionView describe(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Parameter(
                            description = "The language the page would like (a BCP 47 tag, such as the browser's);"
                                    + " the session's own locale wins, an unsupported one gives null")
                    @QueryParam("locale")
                    String locale) {
        return views.describe(Tokens.bearer(authorization), locale);
    }

    @POST
    @Path("/session/link")
    @PermitAll
    @APIResponse(
            responseCode = "200",
            description = "Linked (or re-linked); the session is used",
            content =
                    @Content(
                            mediaType = "application/json",
                            schema = @Schema(implementation = SessionLinkResult.class)))
    @APIResponse(
            responseCode = "400",
            description = "account_id is not one of the session's existing accounts (account_mismatch), or the"
                    + " provider is not one the session allows",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @APIResponse(
            responseCode = "409",
            description = "The origin owner already has an account of the provider (account_exists, naming it in"
                    + " account_id): reconnect it by sending its account_id; nothing was stored",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @APIResponse(
            responseCode = "410",
            description = "The session was used or has expired",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @APIResponse(
            responseCode = "422",
            description = "The provider refused the credentials (the problem's field names the one to fix)",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @APIResponse(
            responseCode = "503",
            description = "The provider or the credential store cannot be reached now; retry later",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @Operation(operationId = "linkWithConnectSession")
    public SessionLinkResult link(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Valid @NotNull SessionLinkRequest request) {
        return service.link(Tokens.bearer(authorization), request);
    }

    /**
     * Starts signing in at the provider (the authorization code kind): open the answer's {@code authorize_url} in a
     * popup ({@code display: popup}) or navigate the page there ({@code display: redirect}); the provider sends the browser back to {@code <connect base>/oauth/callback}, which links the account
     * and tells the connect page. Starting again supersedes the earlier sign-in of the session.
     */
    @POST
    @Path("/session/oauth")
    @PermitAll
    @APIResponse(
            responseCode = "200",
            description = "Where to send the person to sign in",
            content =
                    @Content(mediaType = "application/json", schema = @Schema(implementation = OAuthStartResult.class)))
    @APIResponse(
            responseCode = "400",
            description = "A field the sign-in needs is missing or unknown, no OAuth app is set up for the provider,"
                    + " or account_id is not one of the session's existing accounts (account_mismatch)",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @APIResponse(
            responseCode = "409",
            description = "The origin owner already has an account of the provider (account_exists, naming it in"
                    + " account_id): reconnect it by sending its account_id",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @APIResponse(
            responseCode = "410",
            description = "The session was used or has expired",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @APIResponse(
            responseCode = "422",
            description = "The connector has no sign-in (auth_kind_unsupported), or the egress policy refuses the"
                    + " provider's authorization or token URL (egress_denied, on the field that made it)",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @Operation(operationId = "startConnectSessionOAuth")
    public OAuthStartResult startOAuth(
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Valid @NotNull OAuthStartRequest request) {
        return oauth.start(Tokens.bearer(authorization), request);
    }
}
