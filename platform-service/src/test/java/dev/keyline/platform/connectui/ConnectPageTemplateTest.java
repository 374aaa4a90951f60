package dev.keyline.platform.connectui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.connectui.EmbedPolicy.EmbedContext;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every value the connect page's template takes is text, never markup or template syntax. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class ConnectPageTemplateTest {
    private static final String HOSTILE = "<script>alert('x')</script>\" onload=\"{{origins}}{tenant}{#if}&amp;";
    private static final String ESCAPED =
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot; onload=&quot;" + "{{origins}}{tenant}{#if}&amp;amp;";

    @Test
    void hostileValuesAreEscapedInEverySlot() {
        String html = ConnectPage.html(Optional.of(new EmbedContext(
                "session " + HOSTILE,
                "tenant " + HOSTILE,
                List.of("https://app.acme.test", "https://x.test\"><script>", "{{tenant}}"))));

        assertThat(html)
                .contains("data-state=\"session\"")
                .contains("data-session=\"session " + ESCAPED + "\"")
                .contains("data-tenant=\"tenant " + ESCAPED + "\"")
                // Only well-formed origins reach the page; the others are dropped, not escaped.
                .contains("data-origins=\"[&quot;https://app.acme.test&quot;]\"")
                .doesNotContain("<script>")
                .doesNotContain("'x'")
                .doesNotContain("\" onload");
    }

    @Test
    void anUnknownSessionsPageHasEmptySlots() {
        String html = ConnectPage.html(Optional.empty());

        assertThat(html)
                .startsWith("<!doctype html>\n<html lang=\"en\" data-appearance=\"system\" data-state=\"unknown\""
                        + " data-session=\"\" data-tenant=\"\" data-origins=\"[]\">\n<head>")
                .contains("<title>Connect your account · Keyline</title>")
                .endsWith("</html>\n");
        // Beyond its four slots the page is the template's text, byte for byte, as before Qute rendered it.
        assertThat(html)
                .isEqualTo(template()
                        .replace("{state}", "unknown")
                        .replace("{session}", "")
                        .replace("{tenant}", "")
                        .replace("{origins}", "[]"));
    }

    private static String template() {
        try (InputStream in = ConnectPageTemplateTest.class.getResourceAsStream("/templates/ConnectPage/page.html")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
