package dev.keyline.platform.connectui;

import dev.keyline.platform.connectui.EmbedPolicy.EmbedContext;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The connect page of one session ({@code connect_url}). It may be framed only by the session's tenant's
 * allowed origins; an unknown session gets a page that nobody may frame.
 *
 * <p>Not versioned: its address is handed to browsers inside {@code connect_url}, never built by clients. It stays
 * in the OpenAPI document, as HTML, so the suites that walk the document (isolation, hygiene, fuzzing) cover it.
 */
@Tag(name = "connect")
@Path("/connect/ui")
public class ConnectPageResource {

    @Inject
    EmbedPolicy policy;

    @GET
    @Path("/{sessionId}")
    @Produces(MediaType.TEXT_HTML)
    @PermitAll
    @Operation(
            operationId = "getConnectPage",
            summary = "The connect page a browser opens at connect_url (HTML, not part of the versioned API)")
    @APIResponse(
            responseCode = "200",
            description = "The page, framable by the tenant's allowed origins only",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(
            responseCode = "404",
            description = "No such session: a page that says so and that nobody may frame",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    public Response page(@PathParam("sessionId") String sessionId) {
        Optional<EmbedContext> context = policy.forSessionId(sessionId);
        return Response.status(context.isPresent() ? 200 : 404)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .entity(ConnectPage.html(context))
                .header("Content-Security-Policy", ConnectPage.contentSecurityPolicy(context))
                // The tenant may change its origins at any time; a cached page would keep the old policy.
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }
}
