package dev.keyline.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses requests past the service's size limits with a problem document. Quarkus refuses them itself, but with an
 * empty body, in the HTTP codec or before any JAX-RS mapper could see them, and Quarkus offers no hook there. So
 * its own limits are set above Keyline's ({@code quarkus.http.limits.max-initial-line-length} and
 * {@code max-header-size} in application.properties) and this route, ahead of everything else, applies Keyline's:
 *
 * <ul>
 *   <li>a request target longer than {@code keyline.http.max-uri-length}: 414 {@code uri_too_long};
 *   <li>headers larger than {@code keyline.http.max-header-size} in all: 431 {@code headers_too_large};
 *   <li>a body announced larger than {@code quarkus.http.limits.max-body-size}: 413 {@code payload_too_large}.
 *       Bodies that grow past it without announcing their length are refused while being read, and reach
 *       {@link ProblemMapper} as a 413.
 * </ul>
 *
 * A request beyond even Quarkus' limits still gets Quarkus' empty answer, with the same status.
 */
@ApplicationScoped
public class RequestLimits {
    // Quarkus's own body check runs at order -2.
    private static final int ORDER = -3;
    // A path echoed in the problem is cut to this: the client sent it, and it may be kilobytes long.
    private static final int ECHOED_PATH = 200;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    @ConfigProperty(name = "keyline.http.max-uri-length", defaultValue = "8K")
    MemorySize maxUriLength;

    @ConfigProperty(name = "keyline.http.max-header-size", defaultValue = "20K")
    MemorySize maxHeaderSize;

    void install(@Observes Router router) {
        long body = maxBodySize.map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        long uri = maxUriLength.asLongValue();
        long headers = maxHeaderSize.asLongValue();
        router.route().order(ORDER).handler(rc -> check(rc, uri, headers, body));
    }

    private void check(RoutingContext rc, long uriLimit, long headerLimit, long bodyLimit) {
        if (rc.request().uri().length() > uriLimit) {
            refuse(
                    rc,
                    414,
                    KeylineException.of(
                            Kind.TOO_LARGE,
                            FailureCode.URI_TOO_LONG,
                            "URI too long",
                            "The request target is longer than the " + uriLimit
                                    + " characters this service accepts. Send fewer or shorter query parameters."));
            return;
        }
        if (headerSize(rc.request().headers(), headerLimit) > headerLimit) {
            refuse(
                    rc,
                    431,
                    KeylineException.of(
                            Kind.TOO_LARGE,
                            FailureCode.HEADERS_TOO_LARGE,
                            "Request header fields too large",
                            "The request's headers are larger than the " + headerLimit
                                    + " bytes this service accepts in all."));
            return;
        }
        String announced = rc.request().getHeader("Content-Length");
        long length;
        try {
            length = announced == null ? -1 : Long.parseLong(announced.strip());
        } catch (NumberFormatException e) {
            // Vert.x refuses a malformed Content-Length on its own.
            rc.next();
            return;
        }
        if (length <= bodyLimit) {
            rc.next();
            return;
        }
        refuse(
                rc,
                KeylineException.of(
                        Kind.TOO_LARGE,
                        FailureCode.PAYLOAD_TOO_LARGE,
                        "Payload too large",
                        "The request body is larger than the " + bodyLimit + " bytes this service accepts."));
    }

    /** The headers' size as sent (name, ": ", value, CRLF), counted only until it passes the limit. */
    private static long headerSize(MultiMap headers, long limit) {
        long size = 0;
        for (Map.Entry<String, String> header : headers) {
            size += header.getKey().length() + header.getValue().length() + 4;
            if (size > limit) {
                break;
            }
        }
        return size;
    }

    /** Answers the request with the failure and closes the connection; nothing else sees the request. */
    void refuse(RoutingContext rc, KeylineException failure) {
        refuse(rc, ProblemMapper.status(failure.kind()), failure);
    }

    /**
     * As {@link #refuse(RoutingContext, KeylineException)}, with a status of the HTTP exchange itself (414, 431) that
     * no kind of failure names.
     */
    private void refuse(RoutingContext rc, int status, KeylineException failure) {
        String path = rc.request().path();
        if (path != null && path.length() > ECHOED_PATH) {
            path = path.substring(0, ECHOED_PATH) + "…";
        }
        String body;
        try {
            body = mapper.writeValueAsString(
                    ProblemMapper.body(status, failure, path, rc.request().getHeader(RequestIds.HEADER)));
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + status + ",\"code\":\"" + failure.code() + "\"}";
        }
        // Whatever of the request is still unread would have to be drained; closing is cheaper, as Quarkus does.
        rc.response()
                .setStatusCode(status)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(body);
    }
}
