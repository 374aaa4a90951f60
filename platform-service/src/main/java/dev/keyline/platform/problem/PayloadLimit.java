package dev.keyline.platform.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a body announced larger than {@code quarkus.http.limits.max-body-size} with a 413 problem document.
 * Quarkus refuses such a request itself, but with an empty body, before any JAX-RS mapper could see it; this
 * route runs just ahead of that check. Bodies that grow past the limit without announcing their length are
 * refused while being read, and reach {@link ProblemMapper} as a 413.
 */
@ApplicationScoped
public class PayloadLimit {
    // Quarkus's own check runs at order -2.
    private static final int ORDER = -3;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    void install(@Observes Router router) {
        if (maxBodySize.isEmpty()) {
            return;
        }
        long limit = maxBodySize.get().asLongValue();
        router.route().order(ORDER).handler(rc -> check(rc, limit));
    }

    private void check(RoutingContext rc, long limit) {
        String announced = rc.request().getHeader("Content-Length");
        long length;
        try {
            length = announced == null ? -1 : Long.parseLong(announced.strip());
        } catch (NumberFormatException e) {
            // Vert.x refuses a malformed Content-Length on its own.
            rc.next();
            return;
        }
        if (length <= limit) {
            rc.next();
            return;
        }
        ApiProblem problem = ApiProblem.of(
                413,
                "payload_too_large",
                "Payload too large",
                "The request body is larger than the " + limit + " bytes this service accepts.");
        String body;
        try {
            body = mapper.writeValueAsString(
                    ProblemMapper.body(problem, rc.request().path()));
        } catch (JsonProcessingException e) {
            body = "{\"status\":413,\"code\":\"payload_too_large\"}";
        }
        // The unread body would otherwise have to be drained; closing is cheaper and what Quarkus does too.
        rc.response()
                .setStatusCode(413)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(body);
    }
}
