package dev.keyline.platform.egress;

import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.platform.observe.KeylineMetrics;
import dev.keyline.platform.observe.UpstreamScope;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Times every request the egress transport sends and, when tracing is on, gives it a client span: the JDK-free
 * Vert.x exchange under the transport is not instrumented by anything else. Redirects followed inside one
 * {@code send} are one request here. Attributes are the method, the host, the status and the connector: never the
 * path or query (they may carry customer data) nor any header.
 */
@ApplicationScoped
public class UpstreamTelemetry implements UpstreamObserver {
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> SERVER = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> CONNECTOR = AttributeKey.stringKey("keyline.connector");
    static final AttributeKey<String> OPERATION = AttributeKey.stringKey("keyline.operation");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final KeylineMetrics metrics;
    private final Tracer tracer;

    /**
     * The tracer of Quarkus's {@link OpenTelemetry}, which honours {@code quarkus.otel.sdk.disabled}; not the
     * {@code Tracer} bean, which asks {@code GlobalOpenTelemetry} and so may configure an SDK of its own.
     */
    public UpstreamTelemetry(KeylineMetrics metrics, OpenTelemetry openTelemetry) {
        this.metrics = metrics;
        this.tracer = tracer(openTelemetry);
    }

    public static Tracer tracer(OpenTelemetry openTelemetry) {
        return openTelemetry.getTracer("dev.keyline.platform");
    }

    @Override
    public HttpResponse observe(String method, URI uri, Supplier<HttpResponse> send) {
        UpstreamScope.Current scope = UpstreamScope.current();
        Span span = tracer.spanBuilder(method)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(METHOD, method)
                .setAttribute(SERVER, uri.getHost() == null ? "" : uri.getHost())
                .setAttribute(CONNECTOR, scope.provider())
                .setAttribute(OPERATION, scope.operation())
                .startSpan();
        long started = System.nanoTime();
        try (Scope ignored = span.makeCurrent()) {
            HttpResponse response = send.get();
            metrics.upstreamRequest(scope, KeylineMetrics.statusClass(response.status()), System.nanoTime() - started);
            span.setAttribute(STATUS, (long) response.status());
            if (response.status() >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            return response;
        } catch (RuntimeException e) {
            metrics.upstreamRequest(scope, "error", System.nanoTime() - started);
            span.setStatus(StatusCode.ERROR);
            // The code, not the message: a connector's message is for people and may name the customer's host.
            span.setAttribute(
                    ERROR_TYPE,
                    e instanceof ConnectorException ce
                            ? ce.code().name().toLowerCase(Locale.ROOT)
                            : e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }
}
