package dev.keyline.platform.session;

import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.api.ProblemDocs;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.session.SessionDtos.ReconnectLink;
import dev.keyline.platform.session.SessionDtos.ReconnectLinkRequest;
import dev.keyline.platform.tenant.CurrentTenant;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Reconnect links: a connect session bound to an account, as a link the tenant sends to the account's origin owner.
 * Here rather than in the account package, which comes before sessions.
 */
@Tag(name = "accounts")
@Path(ApiVersion.PREFIX + "/accounts/{id}/reconnect-link")
@RolesAllowed(Roles.TENANT)
@Produces(MediaType.APPLICATION_JSON)
public class ReconnectLinkResource {

    @Inject
    ConnectSessionService service;

    @Inject
    CurrentTenant tenant;

    @APIResponse(
            responseCode = "201",
            description = "The link, shown this once, and when it expires",
            headers =
                    @Header(
                            name = "Location",
                            description = "The link's connect session, for its state",
                            schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ReconnectLink.class)))
    @APIResponse(
            responseCode = "409",
            description = "The account was unlinked (`account_unlinked`)",
            content = @Content(mediaType = ProblemDocs.MEDIA_TYPE, schema = @Schema(ref = ProblemDocs.SCHEMA)))
    @POST
    // The body is optional: a client that sends none sends no Content-Type either.
    @Consumes(MediaType.WILDCARD)
    @Operation(operationId = "createReconnectLink")
    public Response create(
            @PathParam("id") String accountId, @RequestBody(required = false) @Valid ReconnectLinkRequest request) {
        ReconnectLink link =
                service.createReconnectLink(tenant.id(), accountId, request == null ? null : request.expiresIn());
        return Response.created(UriBuilder.fromResource(ConnectSessionResource.class)
                        .path("sessions/{id}")
                        .build(link.sessionId()))
                .entity(link)
                .build();
    }
}
