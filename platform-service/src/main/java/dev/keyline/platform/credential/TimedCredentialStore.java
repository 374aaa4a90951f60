package dev.keyline.platform.credential;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.observe.KeylineMetrics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The configured store, each call timed ({@code keyline_credential_store_seconds}) and, when tracing is on, a span:
 * Vault or PostgreSQL latency shows beside the provider's. Spans carry the operation and namespace, never ids or
 * values.
 */
public final class TimedCredentialStore implements CredentialStore {
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("keyline.credentials.operation");
    private static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("keyline.credentials.namespace");

    private final CredentialStore delegate;
    private final KeylineMetrics metrics;
    private final Tracer tracer;

    public TimedCredentialStore(CredentialStore delegate, KeylineMetrics metrics, Tracer tracer) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.tracer = requireNonNull(tracer, "tracer is null");
    }

    @Override
    public String kind() {
        return delegate.kind();
    }

    @Override
    public void put(Namespace namespace, String tenantId, String id, Map<String, String> values) {
        timed("put", namespace, () -> {
            delegate.put(namespace, tenantId, id, values);
            return null;
        });
    }

    @Override
    public Optional<Map<String, String>> get(Namespace namespace, String tenantId, String id) {
        return timed("get", namespace, () -> delegate.get(namespace, tenantId, id));
    }

    @Override
    public void delete(Namespace namespace, String tenantId, String id) {
        timed("delete", namespace, () -> {
            delegate.delete(namespace, tenantId, id);
            return null;
        });
    }

    @Override
    public List<EntryKey> listEntries(Namespace namespace, EntryKey after, int limit) {
        return timed("list", namespace, () -> delegate.listEntries(namespace, after, limit));
    }

    @Override
    public Optional<Instant> writtenAt(Namespace namespace, String tenantId, String id) {
        return timed("written_at", namespace, () -> delegate.writtenAt(namespace, tenantId, id));
    }

    @Override
    public void deleteTenant(String tenantId) {
        timed("delete_tenant", null, () -> {
            delegate.deleteTenant(tenantId);
            return null;
        });
    }

    @Override
    public void ping() {
        timed("ping", null, () -> {
            delegate.ping();
            return null;
        });
    }

    private <T> T timed(String operation, Namespace namespace, Supplier<T> call) {
        Span span = tracer.spanBuilder("credential store " + operation)
                .setAttribute(OPERATION, operation)
                .setAttribute(NAMESPACE, namespace == null ? "" : namespace.segment())
                .startSpan();
        long started = System.nanoTime();
        boolean succeeded = false;
        try (Scope ignored = span.makeCurrent()) {
            T result = call.get();
            succeeded = true;
            return result;
        } finally {
            metrics.credentialStore(operation, succeeded, System.nanoTime() - started);
            if (!succeeded) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
    }
}
