package dev.keyline.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus rules in deploy/monitoring have the shape their tools load. That every
 * metric they name exists is checked against a real scrape by platform-service's DeployMonitoringTest.
 */
class MonitoringFilesTest {
    static final Path RULES = DeployFiles.DEPLOY.resolve("monitoring/prometheus-rules.yaml");
    static final Path DASHBOARD = DeployFiles.DEPLOY.resolve("monitoring/grafana-dashboard.json");
    private static final Pattern DURATION = Pattern.compile("\\d+[smhdwy]");
    private static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");

    @Test
    void everyAlertRuleHasAnExpressionADurationASeverityAndASummary() {
        JsonNode rules = Yaml.document(RULES);
        assertThat(rules.path("groups").isArray()).as("groups").isTrue();
        assertThat(rules.path("groups")).isNotEmpty();
        Set<String> names = new HashSet<>();
        for (JsonNode group : rules.path("groups")) {
            assertThat(group.path("name").asText()).as("group name").isNotBlank();
            assertThat(group.path("rules")).as("rules of " + group.path("name")).isNotEmpty();
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                assertThat(alert).as("alert name").matches("[A-Za-z_][A-Za-z0-9_]*");
                assertThat(names.add(alert))
                        .as("alert names are unique: " + alert)
                        .isTrue();
                assertThat(rule.path("expr").asText()).as(alert + " expr").isNotBlank();
                assertBalanced(alert, rule.path("expr").asText());
                assertThat(rule.path("for").asText()).as(alert + " for").matches(DURATION);
                assertThat(rule.path("labels").path("severity").asText())
                        .as(alert + " severity")
                        .isIn(SEVERITIES);
                assertThat(rule.path("annotations").path("summary").asText())
                        .as(alert + " summary")
                        .isNotBlank();
            }
        }
        // The alerts operators asked for (issue #23): syncs failing, accounts going to error, the webhook backlog,
        // token renewals failing, and providers answering 5xx or 429.
        assertThat(names)
                .contains(
                        "KeylineSyncsFailing",
                        "KeylineAccountsInErrorRising",
                        "KeylineWebhookBacklog",
                        "KeylineTokenRefreshFailures",
                        "KeylineUpstreamErrors",
                        "KeylineUpstreamRateLimited");
    }

    @Test
    void theDashboardHasAUidAndEveryPanelQueriesPrometheus() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).as("uid").matches("[A-Za-z0-9_-]{1,40}");
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("panels")).as("panels").isNotEmpty();
        Set<Integer> ids = new HashSet<>();
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asText();
            assertThat(title).as("panel title").isNotBlank();
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("panel ids are unique: " + title)
                    .isTrue();
            assertThat(panel.path("gridPos").path("w").asInt())
                    .as(title + " width")
                    .isBetween(1, 24);
            assertThat(panel.path("targets")).as(title + " targets").isNotEmpty();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                assertThat(refIds.add(target.path("refId").asText()))
                        .as(title + " refIds")
                        .isTrue();
                String expr = target.path("expr").asText();
                assertThat(expr).as(title + " expr").isNotBlank();
                assertBalanced(title, expr);
                expressions.add(expr);
            }
        }
        assertThat(expressions).anyMatch(e -> e.contains("keyline_upstream_requests_seconds"));
    }

    @Test
    void anUnbalancedExpressionIsCaught() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertBalanced("broken", "sum(rate(x[5m])"))
                .isInstanceOf(AssertionError.class);
    }

    /** Brackets pair up outside string literals: what a PromQL parser refuses first, cheaply checked offline. */
    static void assertBalanced(String where, String expr) {
        StringBuilder open = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '"' && (i == 0 || expr.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && "([{".indexOf(c) >= 0) {
                open.append(c);
            } else if (!quoted && ")]}".indexOf(c) >= 0) {
                char expected = "([{".charAt(")]}".indexOf(c));
                if (open.isEmpty() || open.charAt(open.length() - 1) != expected) {
                    throw new AssertionError(where + ": unbalanced '" + c + "' at " + i + " in " + expr);
                }
                open.setLength(open.length() - 1);
            }
        }
        if (quoted || !open.isEmpty()) {
            throw new AssertionError(where + ": unclosed " + (quoted ? "string" : open) + " in " + expr);
        }
    }
}
