package dev.keyline.platform.connectui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * axe-core (the {@code axe.min.js} that Deque's {@code com.deque.html.axe-core} test dependency carries) run on the document the driver is in: the connect
 * frame, a popup or a host page. WCAG 2.0/2.1 A and AA rules plus axe's best practices; any violation fails.
 * WebDriver's scripts are not held to the page's content security policy, so the pages need no exception for it.
 */
final class Axe {
    private static final String SOURCE = load();

    private Axe() {}

    /** Runs axe on the current document and fails, naming every rule and node, on any violation. */
    static void assertNoViolations(WebDriver driver, String screen) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object'"))) {
            js.executeScript(SOURCE);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> violations = (List<Map<String, Object>>) js.executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: 'tag',
                    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
                  .then(function (r) {
                    done(r.violations.map(function (v) {
                      return { id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(function (n) { return n.target.join(' ') + ': ' + n.failureSummary; }) };
                    }));
                  }, function (e) { done([{ id: 'axe-error', help: String(e), nodes: [] }]); });
                """);
        assertThat(violations)
                .as("axe-core on %s:%n%s", screen, describe(violations))
                .isEmpty();
    }

    private static String describe(List<Map<String, Object>> violations) {
        return violations.stream()
                .map(v -> v.get("id") + " (" + v.get("impact") + "): " + v.get("help") + "\n    " + v.get("nodes"))
                .collect(Collectors.joining("\n"));
    }

    /** axe-core's source, for tests that run it with options of their own. */
    static String source() {
        return SOURCE;
    }

    private static String load() {
        try (InputStream in = Axe.class.getResourceAsStream("/axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe.min.js is not on the test classpath (com.deque.html.axe-core)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
