package dev.keyline.platform.problem;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Gives every request an id, answered as {@code X-Request-Id} on everything the router answers (the API, {@code /q/*},
 * the size limits' refusals, 404s of unknown paths) and quoted in problem bodies as {@code request_id}. A client's
 * own id is kept when it is a plain token, so it can correlate its logs with ours; anything else is replaced,
 * because an echoed header is a place to smuggle text (newlines, markup) into someone's logs or pages.
 *
 * <p>The checked id replaces the client's in the request's headers, so whatever reads {@code X-Request-Id} further
 * down reads the id that is answered.
 */
@ApplicationScoped
public class RequestIds {
    public static final String HEADER = "X-Request-Id";

    /** The MDC key of the failing upstream request's log entry, quoted as {@code request_log_id}. */
    public static final String REQUEST_LOG_ID = "request_log_id";

    /** Above Quarkus's CORS (300) and authentication (200) filters, so their answers carry the id too. */
    private static final int PRIORITY = 1000;

    private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    void register(@Observes Filters filters) {
        filters.register(this::assign, PRIORITY);
    }

    private void assign(RoutingContext rc) {
        String id = accepted(rc.request().getHeader(HEADER));
        rc.request().headers().set(HEADER, id);
        rc.response().putHeader(HEADER, id);
        // Set again just before the headers go out: a handler that rebuilt the headers must not drop it.
        rc.addHeadersEndHandler(ignored -> rc.response().headers().set(HEADER, id));
        rc.next();
    }

    /** The client's id when it is acceptable, else a fresh one. */
    static String accepted(String sent) {
        return sent != null && ACCEPTED.matcher(sent).matches()
                ? sent
                : UUID.randomUUID().toString();
    }

    /** The request's id as {@link #assign} left it; a fresh one for a request that never passed the router. */
    public static String of(ContainerRequestContext request) {
        return accepted(request.getHeaderString(HEADER));
    }

    /** Problem bodies quote the id, so a client that logs only bodies can still quote it to support. */
    @ServerResponseFilter
    public void quoteInProblems(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getEntity() instanceof Problem problem) {
            Problem quoted = problem.requestId() == null ? problem.withRequestId(of(request)) : problem;
            String trace = traceId();
            if (quoted.traceId() == null && trace != null) {
                quoted = quoted.withTraceId(trace);
            }
            // Put by account.LinkValidation when a validation failed on an upstream request
            // (reqlog.RequestLog.MDC_KEY).
            Object logged = MDC.get(REQUEST_LOG_ID);
            if (quoted.requestLogId() == null && logged != null) {
                quoted = quoted.withRequestLogId(logged.toString());
            }
            if (quoted != problem) {
                response.setEntity(quoted, null, response.getMediaType());
            }
        }
    }

    /** The current trace's id when tracing is on (a sampled or recorded span is current), else null. */
    public static String traceId() {
        SpanContext span = Span.current().getSpanContext();
        return span.isValid() ? span.getTraceId() : null;
    }
}
