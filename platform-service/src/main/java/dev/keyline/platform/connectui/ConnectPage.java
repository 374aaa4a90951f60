package dev.keyline.platform.connectui;

import dev.keyline.platform.connectui.EmbedPolicy.EmbedContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The connect page's HTML. It carries only what the page needs before the token arrives: the tenant's name,
 * the origins it may talk to, and the session id. Everything else comes from the session API.
 */
final class ConnectPage {
    /** Scripts, styles and frames: nothing inline, nothing from elsewhere, nothing posted by a form. */
    static final String BASE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ";

    private static final String TEMPLATE = load("/connectui/connect.html");

    private ConnectPage() {}

    static String html(Optional<EmbedContext> context) {
        return TEMPLATE.replace("{{state}}", context.isPresent() ? "session" : "unknown")
                .replace(
                        "{{session}}",
                        escape(context.map(EmbedContext::sessionId).orElse("")))
                .replace(
                        "{{tenant}}",
                        escape(context.map(EmbedContext::tenantName).orElse("")))
                .replace(
                        "{{origins}}",
                        escape(Origins.jsonArray(
                                context.map(EmbedContext::allowedOrigins).orElse(List.of()))));
    }

    static String contentSecurityPolicy(Optional<EmbedContext> context) {
        return BASE_POLICY
                + Origins.frameAncestors(
                        context.map(EmbedContext::allowedOrigins).orElse(List.of()));
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String load(String resource) {
        try (InputStream in = ConnectPage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
