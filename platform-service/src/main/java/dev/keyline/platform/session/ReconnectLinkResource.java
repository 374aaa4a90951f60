package dev.keyline.platform.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.api.ApiVersion;
import dev.keyline.platform.api.ProblemDocs;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.session.SessionDtos.ReconnectLink;
import dev.keyline.platform.session.SessionDtos.ReconnectLinkRequest;
import dev.keyline.platform.tenant.CurrentTenant;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
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

    @Inject
    ObjectMapper mapper;

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
    @Operation(
            operationId = "createReconnectLink",
            summary = "A single-use, expiring link that repairs the account in place, for its origin owner",
            description = "The body is optional: a bare POST gives a link valid for keyline.connect.reconnect-link-ttl"
                    + " (7 days by default). The token is in the URL's fragment, which browsers never send to a"
                    + " server.")
    public Response create(
            @PathParam("id") String accountId,
            @RequestBody(
                            required = false,
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON,
                                            schema = @Schema(implementation = ReconnectLinkRequest.class)))
                    String body) {
        ReconnectLinkRequest request = parse(body);
        ReconnectLink link =
                service.createReconnectLink(tenant.id(), accountId, request == null ? null : request.expiresIn());
        return Response.created(UriBuilder.fromResource(ConnectSessionResource.class)
                        .path("sessions/{id}")
                        .build(link.sessionId()))
                .entity(link)
                .build();
    }

    // Read here, not by JAX-RS: a bare POST sends no Content-Type, which a typed body parameter refuses (415).
    private ReconnectLinkRequest parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return mapper.readValue(body, ReconnectLinkRequest.class);
        } catch (JsonProcessingException e) {
            throw KeylineException.invalid(
                    FailureCode.INVALID_REQUEST,
                    "The body must be empty or a JSON object such as {\"expires_in\": 86400}.");
        }
    }
}
