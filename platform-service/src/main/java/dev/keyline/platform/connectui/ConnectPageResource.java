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

/**
 * The connect page of one session ({@code connect_url}). It may be framed only by the session's tenant's
 * allowed origins; an unknown session gets a page that nobody may frame.
 */
@Path("/connect/ui")
public class ConnectPageResource {

    @Inject
    EmbedPolicy policy;

    @GET
    @Path("/{sessionId}")
    @Produces(MediaType.TEXT_HTML)
    @PermitAll
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
