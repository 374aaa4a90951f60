package dev.keyline.platform.observe;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Spans kept in memory instead of sent over OTLP: Quarkus hands finished spans to every {@code SpanExporter} bean.
 * Only profiles that turn the SDK on ({@link TracingTest}) produce any.
 */
@ApplicationScoped
public class InMemorySpans {
    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
