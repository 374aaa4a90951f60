package dev.keyline.connector.spi;

/** Reads the provider's own health report (for example a self-hosted bridge's {@code /health}). */
public interface HealthProbe {
    HealthReport probe();
}
