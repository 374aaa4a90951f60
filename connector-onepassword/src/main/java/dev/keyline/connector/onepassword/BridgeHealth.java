package dev.keyline.connector.onepassword;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.connector.spi.HealthReport;
import dev.keyline.connector.spi.HealthReport.Check;
import dev.keyline.connector.spi.HealthReport.State;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a SCIM bridge's {@code GET /health}: {@code {build, version, reports: [{source, state, time,
 * expires}], retrievedAt}}. The overall state is the worst of the reports: {@code healthy} (or {@code ok})
 * is healthy, {@code degraded}/{@code warning} and any report past its {@code expires} are degraded,
 * anything else is unhealthy.
 */
final class BridgeHealth {
    private static final Set<String> GOOD = Set.of("healthy", "ok", "up", "pass");
    private static final Set<String> DEGRADED = Set.of("degraded", "warning", "warn");

    private BridgeHealth() {}

    /** The report, or empty when the JSON is not a bridge health report. */
    static Optional<HealthReport> parse(JsonNode body, Instant now) {
        if (!body.isObject() || !(body.has("reports") || body.has("version") || body.has("build"))) {
            return Optional.empty();
        }
        List<Check> checks = new ArrayList<>();
        State overall = State.HEALTHY;
        for (JsonNode report : body.path("reports")) {
            String source = text(report.path("source"));
            String state = text(report.path("state"));
            if (source == null || state == null) {
                continue;
            }
            Instant time = instant(report.path("time"));
            Instant expires = instant(report.path("expires"));
            checks.add(new Check(source, state, time, expires));
            State checkState = GOOD.contains(state.toLowerCase(Locale.ROOT))
                    ? State.HEALTHY
                    : DEGRADED.contains(state.toLowerCase(Locale.ROOT)) ? State.DEGRADED : State.UNHEALTHY;
            // A report the bridge has not renewed says nothing about now.
            if (checkState == State.HEALTHY && expires != null && expires.isBefore(now)) {
                checkState = State.DEGRADED;
            }
            if (checkState.ordinal() > overall.ordinal()) {
                overall = checkState;
            }
        }
        Instant retrievedAt = instant(body.path("retrievedAt"));
        return Optional.of(
                new HealthReport(overall, text(body.path("version")), checks, retrievedAt == null ? now : retrievedAt));
    }

    private static String text(JsonNode node) {
        if (!node.isValueNode() || node.isNull() || node.asText().isBlank()) {
            return null;
        }
        return node.asText().strip();
    }

    private static Instant instant(JsonNode node) {
        String text = text(node);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
