package dev.keyline.platform.connectui;

import dev.keyline.platform.problem.AnyQueryParameters;
import dev.keyline.platform.session.ConnectBase;
import dev.keyline.platform.session.ConnectSession;
import dev.keyline.platform.session.ConnectSessionRepository;
import dev.keyline.platform.session.OAuthFlowService;
import dev.keyline.platform.session.OAuthFlowService.Outcome;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Where a provider sends the browser back after a sign-in ({@code redirect_uri}). The page tells the connect page
 * that opened it (its {@code window.opener}, on Keyline's own origin only) how it went and closes; opened without one
 * it shows the outcome itself. Its URL carries the code and state, so it is never cached, framed or sent as a
 * referrer, and the page carries neither.
 */
@Tag(name = "connect")
@Path("/connect/oauth")
public class OAuthCallbackResource {
    /** Like the connect page's, but nobody may frame it and it talks to no API. */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @Inject
    OAuthFlowService flows;

    @Inject
    ConnectBase connectBase;

    @Inject
    ConnectSessionRepository sessions;

    @CheckedTemplate
    static final class Templates {
        private Templates() {}

        static native TemplateInstance callback(
                String outcome,
                String origin,
                String accountId,
                String provider,
                String providerName,
                String code,
                String message,
                boolean relink,
                String back,
                String display,
                boolean hosted,
                String returnUrl,
                String session,
                String origins,
                String locale,
                String appearance);
    }

    /**
     * The session's own appearance when it set one; else the page follows the browser (the tenant's brand is the
     * connect page's business: this page is seen for a moment).
     */
    private static String appearance(ConnectSession session) {
        Object appearance = session.brand == null ? null : session.brand.get("appearance");
        return appearance instanceof String a
                        && Set.of("light", "dark", "system").contains(a)
                ? a
                : "system";
    }

    @GET
    @Path("/callback")
    @AnyQueryParameters
    @Produces(MediaType.TEXT_HTML)
    @PermitAll
    @Operation(
            operationId = "getOAuthCallbackPage",
            summary =
                    "Where the provider sends the browser back after signing in (HTML, not part of the versioned API)")
    @APIResponse(
            responseCode = "200",
            description = "The outcome, posted to the connect page that opened the sign-in",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(
            responseCode = "400",
            description = "The sign-in failed: unknown, used or expired state, declined, or refused by the provider",
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    public Response callback(
            @QueryParam("code") String code,
            @QueryParam("state") String state,
            @QueryParam("error") String error,
            @QueryParam("error_description") String errorDescription) {
        Outcome outcome = flows.complete(code, state, error, errorDescription);
        String base = connectBase.url();
        Optional<ConnectSession> session = outcome.sessionId() == null
                ? Optional.empty()
                : QuarkusTransaction.requiringNew().call(() -> sessions.findByIdOptional(outcome.sessionId()));
        String html = Templates.callback(
                        outcome.success() ? "success" : "error",
                        Origins.originOf(base),
                        outcome.accountId() == null ? "" : outcome.accountId(),
                        outcome.provider() == null ? "" : outcome.provider(),
                        outcome.providerName() == null ? "" : outcome.providerName(),
                        outcome.code() == null ? "" : outcome.code(),
                        outcome.message() == null ? "" : outcome.message(),
                        outcome.relink(),
                        outcome.sessionId() == null ? "" : base + "/ui/" + outcome.sessionId(),
                        outcome.display() == null ? "popup" : outcome.display(),
                        outcome.hosted(),
                        outcome.returnUrl() == null ? "" : outcome.returnUrl(),
                        outcome.sessionId() == null ? "" : outcome.sessionId(),
                        Origins.jsonArray(outcome.allowedOrigins()),
                        session.map(s -> s.locale).orElse(""),
                        session.map(OAuthCallbackResource::appearance).orElse("system"))
                .render();
        return Response.status(outcome.success() ? 200 : 400)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .entity(html)
                .header("Content-Security-Policy", POLICY)
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .build();
    }
}
