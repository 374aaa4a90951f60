package dev.keyline.platform.account;

import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.HealthReport;
import dev.keyline.platform.account.AccountDtos.BridgeHealthView;
import dev.keyline.platform.account.AccountDtos.HealthCheckView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rules of account health, and the stored form of a provider's health report. */
final class AccountHealth {
    private AccountHealth() {}

    /**
     * Whether a failure is the provider's passing fault rather than something the account's owner must fix.
     * These only count towards {@link HealthConfig#unavailableThreshold()}; everything else flips at once.
     */
    static boolean temporary(ErrorCode code) {
        return code != null && code.retryable();
    }

    /** The report as a JSON column: snake_case keys, instants as ISO text, so it reads back exactly. */
    static Map<String, Object> reportJson(HealthReport report) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("state", report.state().name().toLowerCase(java.util.Locale.ROOT));
        json.put("version", report.version());
        List<Map<String, Object>> checks = new ArrayList<>();
        for (HealthReport.Check check : report.checks()) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("source", check.source());
            c.put("state", check.state());
            c.put("time", text(check.time()));
            c.put("expires", text(check.expires()));
            checks.add(c);
        }
        json.put("checks", checks);
        json.put("retrieved_at", text(report.retrievedAt()));
        return json;
    }

    static BridgeHealthView view(Map<String, Object> json) {
        if (json == null) {
            return null;
        }
        List<HealthCheckView> checks = new ArrayList<>();
        Object raw = json.get("checks");
        if (raw instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> c) {
                    checks.add(new HealthCheckView(
                            string(c.get("source")),
                            string(c.get("state")),
                            instant(c.get("time")),
                            instant(c.get("expires"))));
                }
            }
        }
        return new BridgeHealthView(
                string(json.get("state")), string(json.get("version")), checks, instant(json.get("retrieved_at")));
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }

    private static Instant instant(Object value) {
        return value == null ? null : Instant.parse(value.toString());
    }
}
