package dev.keyline.platform.problem;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Refuses a request whose path, query parameters or the API's own headers are not UTF-8 text, with
 * {@code 400 invalid_unicode} naming the parameter. Decoders downstream would replace such bytes with U+FFFD, so
 * different values would be read as one. Runs with the size limits, before anything reads the request.
 */
@ApplicationScoped
public class UnicodeRequestTarget {
    // With RequestLimits, ahead of Quarkus's body handling (-2) and of every resource.
    private static final int ORDER = -3;
    /** Headers whose values the API reads as text; others are the HTTP stack's business. */
    private static final List<String> API_HEADERS = List.of("x-account-id", "Keyline-Connect-Session");

    @Inject
    RequestLimits limits;

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    private void check(RoutingContext rc) {
        String field = invalidField(rc.request().uri());
        if (field == null) {
            for (String header : API_HEADERS) {
                String value = rc.request().getHeader(header);
                if (value != null && !InvalidUnicode.isUtf8(value)) {
                    field = header.toLowerCase(java.util.Locale.ROOT);
                    break;
                }
            }
        }
        if (field == null) {
            rc.next();
            return;
        }
        limits.refuse(rc, InvalidUnicode.problem(field));
    }

    /** The first part of the request target that is not UTF-8 (a query parameter's name, or "path"), or null. */
    static String invalidField(String uri) {
        if (uri == null) {
            return null;
        }
        int question = uri.indexOf('?');
        String path = question < 0 ? uri : uri.substring(0, question);
        if (!InvalidUnicode.isUtf8(path)) {
            return "path";
        }
        if (question < 0) {
            return null;
        }
        for (String pair : uri.substring(question + 1).split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            if (!InvalidUnicode.isUtf8(name)) {
                return "query";
            }
            if (equals >= 0 && !InvalidUnicode.isUtf8(pair.substring(equals + 1))) {
                return nameOf(name);
            }
        }
        return null;
    }

    private static String nameOf(String rawName) {
        try {
            return URLDecoder.decode(rawName, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "query";
        }
    }
}
