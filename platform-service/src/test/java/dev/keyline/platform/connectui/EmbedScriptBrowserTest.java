package dev.keyline.platform.connectui;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.operator;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The embed script in a real browser, on a tenant's page of another origin: a connect page that cannot load
 * (wrong URL, an origin the tenant did not allow, Keyline down) is reported and closable; focus stays in the
 * dialog and comes back after it; axe-core finds nothing on the host page with the overlay open. Screenshots go
 * to {@code target/screenshots/embed-*.png}.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class EmbedScriptBrowserTest {
    /** Short, so a test waits little; the default (10 s) is the npm suite's to check. */
    private static final int LOAD_TIMEOUT_MS = 1500;

    private static HeadlessChromium browser;
    private static Host host;

    @TestHTTPResource("/")
    URL base;

    record Session(String token, String connectUrl) {}

    @BeforeAll
    static void startBrowser() {
        browser = HeadlessChromium.start();
    }

    @AfterAll
    static void stopEverything() {
        try (HeadlessChromium b = browser;
                Host h = host) {
            // closed in reverse order by try-with-resources
        }
    }

    @BeforeEach
    void freshWindow() {
        if (host == null) {
            host = Host.start(keylineBase());
        }
        browser.resize(1280, 900);
    }

    @Test
    void aWrongUrlShowsItsOwnMessageAndCloseButtonAndTheCloseButtonWorksByClick() {
        open(keylineBase() + "/connect/no-such-page/5f0c2d3e", "kcs_wrong");

        WebElement close = awaitLoadFailure();
        browser.screenshot("embed-01-load-failed-wrong-url");
        assertNoAxeViolations("the load failure");

        close.click();
        awaitOverlayGone();
        assertThat(browser.hostEvents()).extracting(e -> e.get("type")).containsExactly("error", "close");
        assertThat(activeId()).as("focus back on the button that opened it").isEqualTo("connect");
    }

    @Test
    void anOriginTheTenantDidNotAllowIsReportedAndClosesByKeyboard() {
        Session session = session(List.of("https://app.acme.test"));
        open(uiUrl(session), session.token());

        WebElement close = awaitLoadFailure();
        browser.screenshot("embed-02-load-failed-origin-not-allowed");

        close.sendKeys(Keys.ENTER);
        awaitOverlayGone();
        assertThat(browser.hostEvents()).extracting(e -> e.get("type")).containsExactly("error", "close");
        assertThat(activeId()).isEqualTo("connect");
    }

    @Test
    void keylineDownIsReportedAndEscapeClosesIt() {
        browser.resize(320, 640);
        open("http://127.0.0.1:" + unusedPort() + "/connect/ui/5f0c2d3e", "kcs_down");

        awaitLoadFailure();
        assertThat(((Number) browser.script("return document.querySelector('[role=dialog]').scrollWidth")).intValue())
                .as("the message fits 320 px")
                .isLessThanOrEqualTo(320);
        assertThat(((Number) browser.script("return document.documentElement.scrollWidth")).intValue())
                .isLessThanOrEqualTo(320);
        browser.screenshot("embed-03-load-failed-keyline-down-320px");
        assertNoAxeViolations("the load failure at 320 px");

        new Actions(browser.driver()).sendKeys(Keys.ESCAPE).perform();
        awaitOverlayGone();
        assertThat(browser.hostEvents()).extracting(e -> e.get("type")).containsExactly("error", "close");
        assertThat(activeId()).isEqualTo("connect");
    }

    @Test
    void tabAndShiftTabStayInTheFailedDialog() {
        open(keylineBase() + "/connect/no-such-page/5f0c2d3e", "kcs_wrong");
        awaitLoadFailure();

        for (CharSequence key : List.of(Keys.TAB, Keys.TAB, Keys.chord(Keys.SHIFT, Keys.TAB), Keys.TAB)) {
            new Actions(browser.driver()).sendKeys(key).perform();
            assertThat(activeText()).as("focus after " + key).isEqualTo("Close");
        }
    }

    @Test
    void tabFromTheLastControlOfTheLoadedPageReturnsIntoTheDialogNeverToThePageBehind() {
        Session session = session(List.of(host.origin()));
        open(uiUrl(session), session.token());
        browser.await("ready", d -> browser.hostEvents().stream().anyMatch(e -> "ready".equals(e.get("type"))));
        browser.driver().switchTo().frame(connectFrame());
        browser.await(
                "the connect form", ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#screen-form")));
        browser.driver().switchTo().defaultContent();
        assertThat(browser.driver().findElements(By.cssSelector("[data-keyline-connect] button")))
                .as("the page has its own close button once ready")
                .isEmpty();
        assertNoAxeViolations("the open overlay");
        browser.screenshot("embed-04-overlay-open");

        // Forward through every control of the page and round again; then backwards the same way.
        String first = focusInFrame();
        List<String> forward = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            new Actions(browser.driver()).sendKeys(Keys.TAB).perform();
            assertThat(focusInHost())
                    .as("host focus after Tab number " + (i + 1))
                    .isEqualTo("iframe");
            forward.add(focusInFrame());
        }
        assertThat(forward)
                .as("Tab went round the dialog to the first control again")
                .contains(first);
        assertThat(new HashSet<>(forward)).as("and through the others").hasSizeGreaterThan(2);
        List<String> backward = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            new Actions(browser.driver())
                    .keyDown(Keys.SHIFT)
                    .sendKeys(Keys.TAB)
                    .keyUp(Keys.SHIFT)
                    .perform();
            assertThat(focusInHost())
                    .as("host focus after Shift+Tab number " + (i + 1))
                    .isEqualTo("iframe");
            backward.add(focusInFrame());
        }
        assertThat(new HashSet<>(backward)).hasSizeGreaterThan(2);
        assertThat(browser.hostEvents()).extracting(e -> e.get("type")).containsExactly("ready");

        browser.script("document.querySelector('[data-keyline-connect] iframe').focus()");
        browser.driver()
                .switchTo()
                .frame(browser.driver().findElement(By.cssSelector("[data-keyline-connect] iframe")));
        browser.escapeInCurrentDocument();
        browser.driver().switchTo().defaultContent();
        awaitOverlayGone();
        assertThat(activeId()).as("focus restored after close").isEqualTo("connect");
    }

    // ---- helpers ----

    private String keylineBase() {
        return base.toString().replaceAll("/+$", "");
    }

    private static Session session(List<String> origins) {
        String key = operator()
                .body(Map.of("name", "Acme HR", "allowed_origins", origins))
                .post("/tenants")
                .then()
                .statusCode(201)
                .extract()
                .path("api_key.key");
        var body = as(key).body(
                        Map.of("origin_owner_id", "org-1", "origin_owner_name", "Org One", "provider", "onepassword"))
                .post("/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Session(body.getString("token"), body.getString("connect_url"));
    }

    private String uiUrl(Session session) {
        return keylineBase() + URI.create(session.connectUrl()).getPath();
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the host page and starts the connect UI by clicking its button, as a person would. */
    private void open(String url, String token) {
        browser.driver().switchTo().defaultContent();
        browser.driver().get(host.url());
        browser.await(
                "the embed script",
                d -> browser.script("return typeof window.Keyline").equals("object"));
        browser.script(
                "window.pendingConnect = {url: arguments[0], token: arguments[1], loadTimeout: arguments[2]}",
                url,
                token,
                LOAD_TIMEOUT_MS);
        browser.driver().findElement(By.id("connect")).click();
        assertThat(browser.driver().findElements(By.cssSelector("[data-keyline-connect] [role=dialog]")))
                .hasSize(1);
    }

    /** Waits for the embed's own failure message; checks what it says and reports, and returns its button. */
    private WebElement awaitLoadFailure() {
        WebElement failed = browser.await(
                "the load failure message",
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[data-keyline-load-failed]")));
        assertThat(failed.getText()).startsWith("The connect window could not be loaded");
        assertThat(browser.driver().findElements(By.cssSelector("[data-keyline-connect] iframe")))
                .as("the broken frame is gone")
                .isEmpty();
        WebElement close = failed.findElement(By.tagName("button"));
        assertThat(close.isDisplayed()).isTrue();
        assertThat(close.getText()).isEqualTo("Close");
        assertThat(activeText()).as("focus on the close button").isEqualTo("Close");
        List<Map<String, Object>> events = browser.hostEvents();
        assertThat(events).hasSize(1);
        assertThat(events.get(0))
                .containsEntry("type", "error")
                .containsEntry("code", "load_failed")
                .containsEntry("fatal", true);
        assertThat((String) events.get(0).get("message")).startsWith("The connect window could not be loaded");
        return close;
    }

    private void awaitOverlayGone() {
        browser.await(
                "the overlay to close",
                d -> d.findElements(By.cssSelector("[data-keyline-connect]")).isEmpty());
    }

    private WebElement connectFrame() {
        return browser.driver().findElement(By.cssSelector("[data-keyline-connect] iframe"));
    }

    /** Where the host document's focus is: in the connect frame, on a focus guard, or elsewhere (its tag and id). */
    private String focusInHost() {
        browser.driver().switchTo().defaultContent();
        return (String) browser.script("""
                var a = document.activeElement;
                if (a && a.tagName === 'IFRAME' && a.closest('[data-keyline-connect]')) return 'iframe';
                if (a && a.hasAttribute('data-keyline-focus-guard')) return 'guard';
                return a ? a.tagName + '#' + a.id : 'none';
                """);
    }

    /** The focused element inside the connect frame, as tag#id.class:text. */
    private String focusInFrame() {
        browser.driver().switchTo().defaultContent();
        browser.driver().switchTo().frame(connectFrame());
        String where = (String) browser.script("""
                var a = document.activeElement;
                return a.tagName + '#' + a.id + '.' + a.className + ':' + (a.textContent || '').trim().slice(0, 30);
                """);
        browser.driver().switchTo().defaultContent();
        return where;
    }

    private String activeId() {
        browser.driver().switchTo().defaultContent();
        return (String) browser.script("return document.activeElement && document.activeElement.id");
    }

    private String activeText() {
        browser.driver().switchTo().defaultContent();
        return (String) browser.script("return document.activeElement && document.activeElement.textContent");
    }

    /** axe-core on the host page as it is now; the connect page in the frame is the connect UI suite's to check. */
    private void assertNoAxeViolations(String what) {
        browser.driver().switchTo().defaultContent();
        browser.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        browser.script(Axe.source());
        Object violations = ((JavascriptExecutor) browser.driver()).executeAsyncScript("""
                        var done = arguments[arguments.length - 1];
                        axe.run(document, {iframes: false, resultTypes: ['violations']})
                          .then(function (r) {
                            done(r.violations.map(function (v) {
                              return v.id + ' (' + v.impact + '): '
                                + v.nodes.map(function (n) { return n.target.join(' '); }).join(', ');
                            }));
                          })
                          .catch(function (e) { done(['axe failed: ' + e]); });
                        """);
        assertThat((List<?>) violations).as("axe-core violations on " + what).isEmpty();
    }

    /**
     * A tenant's page on its own origin ({@code 127.0.0.1}; Keyline is on {@code localhost}) with the script tag
     * the README shows; the button starts the connect UI with {@code window.pendingConnect}, and every event
     * lands in {@code window.keylineEvents}.
     */
    static final class Host implements AutoCloseable {
        private final HttpServer server;

        private Host(HttpServer server) {
            this.server = server;
        }

        static Host start(String keylineBase) {
            return new Host(HostPage.serve(html(keylineBase)));
        }

        String origin() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        String url() {
            return origin() + "/settings/integrations";
        }

        @Override
        public void close() {
            server.stop(0);
        }

        private static String html(String keylineBase) {
            return """
                    <!doctype html>
                    <html lang="en">
                    <head>
                    <meta charset="utf-8">
                    <meta name="viewport" content="width=device-width, initial-scale=1">
                    <title>Acme HR · Integrations</title>
                    <style>
                      body { margin: 0; font: 15px/1.5 system-ui, sans-serif; color: #1d2433; background: #f3f4f6; }
                      header { background: #1f2a44; color: #fff; padding: 14px 24px; font-weight: 700; }
                      main { max-width: 760px; margin: 32px auto; padding: 0 20px; }
                      li { overflow-wrap: anywhere; }
                      button { font: inherit; padding: 9px 16px; border-radius: 8px; border: 0; background: #1f2a44;
                               color: #fff; cursor: pointer; }
                    </style>
                    <script src="%s/connect/embed.js"></script>
                    </head>
                    <body>
                    <header>Acme HR</header>
                    <main>
                      <h1>Integrations</h1>
                      <p>Sync your people and groups from 1Password.</p>
                      <button id="connect" type="button">Connect 1Password</button>
                      <h2>Events from Keyline</h2>
                      <ol id="events"></ol>
                    </main>
                    <script>
                      window.keylineEvents = [];
                      document.getElementById('connect').addEventListener('click', function () {
                        var p = window.pendingConnect;
                        Keyline.connect({ url: p.url, token: p.token, loadTimeout: p.loadTimeout,
                          onEvent: function (e) {
                            window.keylineEvents.push(e);
                            var li = document.createElement('li');
                            li.textContent = JSON.stringify(e);
                            document.getElementById('events').appendChild(li);
                          } });
                      });
                    </script>
                    </body>
                    </html>
                    """.formatted(keylineBase);
        }
    }
}
