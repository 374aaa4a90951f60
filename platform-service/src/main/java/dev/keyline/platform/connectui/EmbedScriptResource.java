package dev.keyline.platform.connectui;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves the embed script (the script-tag build of connect-js, checked in as {@code connect/embed.js}) so that
 * a fix reaches browsers: {@code /connect/embed.js} must be revalidated on every use (an ETag makes that a 304),
 * and {@code /connect/embed-<version>.js} is the same bytes under a name that never changes meaning, cached for
 * a year. The version is the package's, read from the script's first line.
 *
 * <p>A Vert.x filter rather than a JAX-RS resource: it must answer before the static-resource handler, which
 * would cache the file for a day without validation, and it is not part of the versioned API.
 */
@ApplicationScoped
public class EmbedScriptResource {
    static final String SCRIPT = "META-INF/resources/connect/embed.js";
    static final String PATH = "/connect/embed.js";
    private static final Pattern BANNER =
            Pattern.compile("^/\\*! @keyline/connect ([0-9]+\\.[0-9]+\\.[0-9]+[0-9A-Za-z.+-]*) ");
    private static final String REVALIDATE = "no-cache";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final Script script = Script.load();

    /** The script's bytes, its ETag, and the versioned path it is also served at. */
    record Script(byte[] bytes, String etag, String version) {
        static Script load() {
            byte[] bytes;
            try (InputStream in = EmbedScriptResource.class.getClassLoader().getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IllegalStateException(SCRIPT + " is missing from the classpath");
                }
                bytes = in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String head = new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.UTF_8);
            Matcher banner = BANNER.matcher(head);
            if (!banner.find()) {
                throw new IllegalStateException(SCRIPT + " does not start with the @keyline/connect banner:"
                        + " copy it from connect-js with npm run sync");
            }
            return new Script(bytes, '"' + sha256(bytes).substring(0, 32) + '"', banner.group(1));
        }

        String versionedPath() {
            return "/connect/embed-" + version + ".js";
        }
    }

    void register(@Observes Filters filters) {
        filters.register(this::serve, 20);
    }

    String version() {
        return script.version();
    }

    private void serve(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        String path = ctx.normalizedPath();
        String cacheControl =
                PATH.equals(path) ? REVALIDATE : script.versionedPath().equals(path) ? IMMUTABLE : null;
        if (cacheControl == null || (method != HttpMethod.GET && method != HttpMethod.HEAD)) {
            ctx.next();
            return;
        }
        var response = ctx.response()
                .putHeader("Cache-Control", cacheControl)
                .putHeader("ETag", script.etag())
                .putHeader("Content-Type", "text/javascript; charset=utf-8")
                .putHeader("X-Content-Type-Options", "nosniff")
                // A public script: any page may load it, also with crossorigin for Subresource Integrity.
                .putHeader("Access-Control-Allow-Origin", "*");
        if (matches(ctx.request().getHeader("If-None-Match"), script.etag())) {
            response.setStatusCode(304).end();
        } else if (method == HttpMethod.HEAD) {
            response.putHeader("Content-Length", String.valueOf(script.bytes().length))
                    .end();
        } else {
            response.end(Buffer.buffer(script.bytes()));
        }
    }

    /** RFC 9110 If-None-Match: a list of entity tags, weak comparison, or {@code *}. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::strip)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
