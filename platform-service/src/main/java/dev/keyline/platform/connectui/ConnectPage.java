package dev.keyline.platform.connectui;

import dev.keyline.platform.connectui.EmbedPolicy.EmbedContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;
import java.util.Optional;

/**
 * The connect page's HTML ({@code templates/ConnectPage/page.html}). It carries only what the page needs before
 * the token arrives: the tenant's name, the origins it may talk to, and the session id. Everything else comes from
 * the session API. Qute escapes every value for HTML (the template is {@code .html}), attributes included.
 */
final class ConnectPage {
    /** Scripts, styles and frames: nothing inline, nothing from elsewhere, nothing posted by a form. */
    static final String BASE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ";

    private ConnectPage() {}

    /** Checked when the application is built: a slot the template names and no method passes fails the build. */
    @CheckedTemplate
    static final class Templates {
        private Templates() {}

        static native TemplateInstance page(String state, String session, String tenant, String origins);
    }

    static String html(Optional<EmbedContext> context) {
        return Templates.page(
                        context.isPresent() ? "session" : "unknown",
                        context.map(EmbedContext::sessionId).orElse(""),
                        context.map(EmbedContext::tenantName).orElse(""),
                        Origins.jsonArray(
                                context.map(EmbedContext::allowedOrigins).orElse(List.of())))
                .render();
    }

    static String contentSecurityPolicy(Optional<EmbedContext> context) {
        return BASE_POLICY
                + Origins.frameAncestors(
                        context.map(EmbedContext::allowedOrigins).orElse(List.of()));
    }
}
