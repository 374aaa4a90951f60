package dev.keyline.connector.scim;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.HealthReport;
import java.time.Instant;
import java.util.List;

/** The health reports of a SCIM-based connector's probe, with one check named {@code scim}. */
public final class ScimHealth {

    private ScimHealth() {}

    /** {@code HEALTHY}, check {@code healthy}. */
    public static HealthReport healthy(Instant now) {
        return report(HealthReport.State.HEALTHY, "healthy", now);
    }

    /**
     * What a failed probe request says about the server: {@code UNHEALTHY} ({@code unavailable}) when it is
     * unavailable, {@code DEGRADED} ({@code rate_limited}) when it throttles.
     *
     * @throws ConnectorException {@code failure} itself for any other failure (a rejected token, say): that is
     *     not the server's health
     */
    public static HealthReport ofFailure(ConnectorException failure, Instant now) {
        if (failure.code() == ErrorCode.UPSTREAM_UNAVAILABLE) {
            return report(HealthReport.State.UNHEALTHY, "unavailable", now);
        }
        if (failure.code() == ErrorCode.RATE_LIMITED) {
            return report(HealthReport.State.DEGRADED, "rate_limited", now);
        }
        throw failure;
    }

    private static HealthReport report(HealthReport.State state, String check, Instant now) {
        return new HealthReport(state, null, List.of(new HealthReport.Check("scim", check, now, null)), now);
    }
}
