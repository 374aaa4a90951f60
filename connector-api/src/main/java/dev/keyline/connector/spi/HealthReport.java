package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * The provider's view of its own health.
 *
 * @param version the provider software's version, or null when not reported
 * @param checks the individual reports, as the provider gives them
 * @param retrievedAt when the provider produced the report (or when we read it, if it does not say)
 */
public record HealthReport(State state, String version, List<Check> checks, Instant retrievedAt) {
    public enum State {
        HEALTHY,
        DEGRADED,
        UNHEALTHY
    }

    /** One source's report; {@code time} and {@code expires} are null when the provider omits them. */
    public record Check(String source, String state, Instant time, Instant expires) {
        public Check {
            requireNonNull(source, "source is null");
            requireNonNull(state, "state is null");
        }
    }

    public HealthReport {
        requireNonNull(state, "state is null");
        checks = List.copyOf(checks);
        requireNonNull(retrievedAt, "retrievedAt is null");
    }
}
