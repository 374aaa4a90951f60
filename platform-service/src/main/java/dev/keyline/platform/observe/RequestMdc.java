package dev.keyline.platform.observe;

import dev.keyline.platform.problem.RequestIds;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Puts the request's ids in the MDC for every line logged while it is handled: {@code request_id}, the
 * {@code account_id} it names ({@code x-account-id}), and {@code trace_id} / {@code span_id} when tracing is on. The
 * tenant is added when it is known ({@code auth.RequestCurrentTenant}). Quarkus keeps the MDC per request (on its
 * Vert.x context), so nothing here leaks into another request.
 */
public class RequestMdc {
    public static final String REQUEST_ID = "request_id";
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";
    public static final String REQUEST_LOG_ID = RequestIds.REQUEST_LOG_ID;

    /** The shape of Keyline's ids; a header that is anything else is not copied into logs. */
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    @ServerRequestFilter(preMatching = true)
    public void identify(ContainerRequestContext request) {
        MDC.put(REQUEST_ID, RequestIds.of(request));
        String account = request.getHeaderString("x-account-id");
        if (account != null && PLAIN_ID.matcher(account).matches()) {
            MDC.put(OperatorLog.ACCOUNT_ID, account);
        } else {
            MDC.remove(OperatorLog.ACCOUNT_ID);
        }
        MDC.remove(OperatorLog.TENANT_ID);
        // A failed link's upstream entry (reqlog), set later in the request: never one of an earlier request's.
        MDC.remove(REQUEST_LOG_ID);
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            MDC.put(TRACE_ID, span.getTraceId());
            MDC.put(SPAN_ID, span.getSpanId());
        }
    }
}
