package dev.keyline.platform.connectui;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.operator;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.LogCapture;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The connect UI in a real browser: a tenant's page on another origin embeds it with the embed script, and a
 * person links 1Password against the scriptable SCIM upstream. Screenshots of each state go to
 * {@code target/screenshots/}.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class ConnectUiBrowserTest {
    private static final String TENANT_NAME = "Acme HR";

    private static HeadlessChromium browser;
    private static ScimUpstream upstream;
    private static HostPage host;

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource dataSource;

    record Tenant(String id, String apiKey) {}

    record Session(String token, String connectUrl) {}

    @BeforeAll
    static void startBrowserAndUpstream() {
        browser = HeadlessChromium.start();
        upstream = ScimUpstream.builder()
                .users(12)
                .groups(3)
                .seed(4)
                .token("good-scim-token-" + UUID.randomUUID())
                .start();
    }

    @AfterAll
    static void stopEverything() {
        try (HeadlessChromium b = browser;
                ScimUpstream u = upstream;
                HostPage h = host) {
            // closed in reverse order by try-with-resources
        }
    }

    @BeforeEach
    void freshWindow() {
        if (host == null) {
            host = HostPage.start(keylineBase());
        }
        browser.resize(1280, 900);
        browser.consoleMessages(); // forget what earlier tests logged
    }

    @Test
    void aWrongTokenIsExplainedNextToTheTokenFieldAndCreatesNothing() {
        Tenant tenant = tenant(List.of(host.origin()));
        Session session = session(tenant, Map.of());
        embed(session);
        WebDriver frame = enterConnectFrame();

        browser.awaitVisible("#screen-form");
        assertThat(browser.text("#form-title")).isEqualTo("Connect 1Password");
        assertThat(browser.text(".brand-for")).isEqualTo(TENANT_NAME);
        assertThat(frame.findElements(By.cssSelector(".setup-title")))
                .extracting(WebElement::getText)
                .containsExactly("Hosted provisioning", "Self-hosted SCIM bridge");
        assertThat(browser.input("scim_url").getAttribute("placeholder")).isEqualTo("e.g. https://scim.example.com");
        browser.screenshot("01-form-desktop");
        Axe.assertNoViolations(frame, "the 1Password form");
        WebElement hosted = frame.findElement(By.cssSelector(".setup summary"));
        hosted.sendKeys(Keys.ENTER);
        assertThat(browser.text(".setup[open] p")).contains("https://provisioning.1password.com/scim/v2");
        browser.screenshot("01b-setup-help-open");
        hosted.sendKeys(Keys.ENTER);

        browser.input("scim_url").sendKeys(upstream.hostedBaseUrl());
        browser.input("bearer_token").sendKeys("wrong-token-0123456789", Keys.ENTER);

        WebElement error = browser.awaitVisible("#field-bearer_token-error");
        assertThat(error.getText()).startsWith("The SCIM server at 127.0.0.1 did not accept the token");
        assertThat(browser.input("bearer_token").getAttribute("value")).isEmpty();
        assertThat(browser.input("bearer_token").getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(browser.input("bearer_token").getAttribute("aria-describedby"))
                .contains("field-bearer_token-error");
        assertThat(frame.switchTo().activeElement().getAttribute("id")).isEqualTo("field-bearer_token");
        assertThat(browser.input("scim_url").getAttribute("value")).isEqualTo(upstream.hostedBaseUrl());
        assertThat(frame.findElement(By.id("field-scim_url-error")).isDisplayed())
                .isFalse();
        browser.screenshot("02-wrong-token");
        Axe.assertNoViolations(frame, "the form with a wrong token");

        assertThat(browser.hostEvents()).extracting(e -> e.get("type")).containsExactly("ready", "error");
        assertThat(browser.hostEvents().get(1)).containsEntry("code", "invalid_credentials");
        assertThat(browser.pageMessages().get(1))
                .containsEntry("code", "invalid_credentials")
                .containsEntry("fatal", false);
        as(tenant.apiKey()).get("/accounts").then().statusCode(200).body("data.size()", org.hamcrest.Matchers.is(0));
        assertThat(upstream.requests().writes()).isEmpty();
    }

    @Test
    void aGoodTokenLinksTheAccountAndTheHostReceivesSuccess() {
        Tenant tenant = tenant(List.of(host.origin()));
        Session session = session(tenant, Map.of());
        LogCapture log = LogCapture.install();
        embed(session);
        WebDriver frame = enterConnectFrame();
        browser.awaitVisible("#screen-form");

        browser.input("scim_url").sendKeys(upstream.bridgeBaseUrl());
        browser.input("bearer_token").sendKeys(upstream.token());
        WebElement toggle = frame.findElement(By.cssSelector(".toggle"));
        toggle.click();
        assertThat(browser.input("bearer_token").getAttribute("type")).isEqualTo("text");
        assertThat(toggle.getAttribute("aria-pressed")).isEqualTo("true");
        browser.screenshot("03-token-shown");
        toggle.click();
        assertThat(browser.input("bearer_token").getAttribute("type")).isEqualTo("password");
        frame.findElement(By.id("submit")).click();

        WebElement success = browser.awaitVisible("#screen-success");
        assertThat(browser.text("#screen-success h1")).isEqualTo("1Password is connected");
        browser.screenshot("04-success");
        Axe.assertNoViolations(browser.driver(), "the success screen");

        String accountId = as(tenant.apiKey())
                .get("/accounts")
                .then()
                .statusCode(200)
                .body("data.size()", org.hamcrest.Matchers.is(1))
                .extract()
                .path("data[0].id");
        assertThat(success.getAttribute("data-account-id")).isEqualTo(accountId);
        List<Map<String, Object>> events = browser.hostEvents();
        assertThat(events).extracting(e -> e.get("type")).containsExactly("ready", "success");
        assertThat(events.get(1)).containsEntry("account_id", accountId).containsEntry("provider", "onepassword");
        assertThat(browser.driver().findElement(By.id("events")).getText()).contains("\"type\":\"success\"", accountId);
        org.jboss.logging.Logger.getLogger(ConnectUiBrowserTest.class).info("log capture canary");
        log.close();
        assertThat(log.lines()).as("the capture works").anyMatch(line -> line.contains("log capture canary"));
        assertThat(log.lines()).noneMatch(line -> line.contains(session.token()) || line.contains(upstream.token()));

        browser.driver().switchTo().frame(connectFrame());
        browser.driver().findElement(By.id("done")).click();
        browser.driver().switchTo().defaultContent();
        browser.await(
                "the overlay to close",
                d -> d.findElements(By.cssSelector("[data-keyline-connect]")).isEmpty());
        assertThat(browser.hostEvents()).extracting(e -> e.get("type")).containsExactly("ready", "success", "close");
    }

    @Test
    void anExpiredLinkShowsTheExpiryScreenAndTellsTheHost() {
        Tenant tenant = tenant(List.of(host.origin()));
        Session session = session(tenant, Map.of());
        Sql.update(
                dataSource,
                "update connect_sessions set expires_at = now() - interval '1 minute' where tenant_id = ?",
                tenant.id());
        embed(session);
        enterConnectFrame();

        browser.awaitVisible("#screen-expired");
        assertThat(browser.text("#screen-expired h1")).isEqualTo("This link has expired");
        assertThat(browser.text("#screen-expired p")).contains("Ask " + TENANT_NAME + " for a new one");
        browser.screenshot("05-expired");
        Axe.assertNoViolations(browser.driver(), "the expired screen");
        assertThat(browser.hostEvents()).extracting(e -> e.get("type")).containsExactly("ready", "error");
        assertThat(browser.hostEvents().get(1)).containsEntry("code", "session_expired");
        assertThat(browser.pageMessages().get(1))
                .containsEntry("code", "session_expired")
                .containsEntry("fatal", true);
    }

    @Test
    void aUsedLinkSaysSoAndAsksForANewOne() {
        Tenant tenant = tenant(List.of(host.origin()));
        Session session = session(tenant, Map.of());
        as(session.token())
                .body(Map.of(
                        "provider",
                        "onepassword",
                        "credentials",
                        Map.of("scim_url", upstream.bridgeBaseUrl(), "bearer_token", upstream.token())))
                .post("/connect/session/link")
                .then()
                .statusCode(200);
        embed(session);
        enterConnectFrame();

        browser.awaitVisible("#screen-expired");
        assertThat(browser.text("#screen-expired h1")).isEqualTo("This link has already been used");
        assertThat(browser.text("#screen-expired p")).contains("Ask " + TENANT_NAME + " for a new one");
        assertThat(browser.hostEvents().get(1)).containsEntry("code", "session_used");
    }

    @Test
    void aPageOnAnOriginTheTenantDidNotAllowCannotFrameIt() {
        Tenant tenant = tenant(List.of("https://app.acme.test"));
        Session session = session(tenant, Map.of());
        embed(session);

        List<String> refusals = browser.await("the browser to refuse the frame", d -> {
            List<String> messages = browser.consoleMessages().stream()
                    .filter(m -> m.contains("frame-ancestors"))
                    .toList();
            return messages.isEmpty() ? null : messages;
        });
        assertThat(refusals.get(0)).contains("frame-ancestors https://app.acme.test", "blocked");
        browser.driver().switchTo().frame(connectFrame());
        assertThat(browser.driver().findElements(By.id("main")))
                .as("no Keyline page in the frame")
                .isEmpty();
        browser.driver().switchTo().defaultContent();
        browser.screenshot("06-foreign-origin-refused");
        assertThat(browser.hostEvents()).isEmpty();
    }

    @Test
    void reLinkingPrefillsTheUrlAndAsksOnlyForANewToken() {
        Tenant tenant = tenant(List.of(host.origin()));
        String accountId = linkHosted(tenant);
        Session session = session(tenant, Map.of("account_id", accountId));
        embed(session);
        WebDriver frame = enterConnectFrame();

        browser.awaitVisible("#screen-form");
        assertThat(browser.text("#form-title")).isEqualTo("Reconnect 1Password");
        assertThat(browser.input("scim_url").getAttribute("value")).isEqualTo(upstream.hostedBaseUrl());
        assertThat(browser.input("bearer_token").getAttribute("value")).isEmpty();
        assertThat(frame.switchTo().activeElement().getAttribute("id")).isEqualTo("field-bearer_token");
        browser.screenshot("07-relink");
        Axe.assertNoViolations(frame, "the reconnect form");

        browser.input("bearer_token").sendKeys(upstream.token(), Keys.ENTER);

        browser.awaitVisible("#screen-success");
        assertThat(browser.text("#screen-success h1")).isEqualTo("1Password is reconnected");
        assertThat(browser.hostEvents().get(1)).containsEntry("type", "success").containsEntry("account_id", accountId);
    }

    /** Links the hosted 1Password double server-side, as a tenant's backend would before sending a reconnect. */
    private String linkHosted(Tenant tenant) {
        return as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id",
                        "org-1",
                        "origin_owner_name",
                        "Org One",
                        "provider",
                        "onepassword",
                        "credentials",
                        Map.of("scim_url", upstream.hostedBaseUrl(), "bearer_token", upstream.token())))
                .post("/accounts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void editingTheUrlOnReconnectAsksForTheTokenAgain() {
        Tenant tenant = tenant(List.of(host.origin()));
        String accountId = linkHosted(tenant);
        Session session = session(tenant, Map.of("account_id", accountId));
        embed(session);
        enterConnectFrame();

        browser.awaitVisible("#screen-form");
        assertThat(browser.driver()
                        .findElement(By.id("field-bearer_token-again"))
                        .isDisplayed())
                .isFalse();
        browser.input("scim_url").clear();
        browser.input("scim_url").sendKeys(upstream.bridgeBaseUrl());

        assertThat(browser.awaitVisible("#field-bearer_token-again").getText())
                .isEqualTo("You changed the SCIM URL: paste the bearer token for the new address as well.");
        browser.screenshot("07b-relink-new-url");
        Axe.assertNoViolations(browser.driver(), "the reconnect form with a new URL");
        browser.input("bearer_token").sendKeys(Keys.ENTER);
        assertThat(browser.awaitVisible("#field-bearer_token-error").getText()).isEqualTo("Bearer token is required.");

        browser.input("bearer_token").sendKeys(upstream.token(), Keys.ENTER);
        browser.awaitVisible("#screen-success");
        as(tenant.apiKey())
                .get("/accounts/{id}", accountId)
                .then()
                .statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("active"));
    }

    @Test
    void theFormWorksByKeyboardAtThreeHundredSixtyPixelsWide() {
        browser.resize(360, 780);
        Tenant tenant = tenant(List.of(host.origin()));
        Session session = session(tenant, Map.of());
        embed(session);
        WebDriver frame = enterConnectFrame();
        browser.awaitVisible("#screen-form");

        assertThat(((Number) browser.script("return document.documentElement.clientWidth")).intValue())
                .isEqualTo(360);
        assertThat(((Number) browser.script("return document.documentElement.scrollWidth")).intValue())
                .as("nothing wider than the screen")
                .isLessThanOrEqualTo(360);
        assertThat(frame.switchTo().activeElement().getAttribute("id")).isEqualTo("field-scim_url");
        browser.screenshot("08-form-360px");

        frame.switchTo().activeElement().sendKeys(upstream.hostedBaseUrl(), Keys.TAB);
        assertThat(frame.switchTo().activeElement().getAttribute("id")).isEqualTo("field-bearer_token");
        frame.switchTo().activeElement().sendKeys("not-it-0123456789", Keys.TAB);
        WebElement toggle = frame.switchTo().activeElement();
        assertThat(toggle.getAttribute("class")).isEqualTo("toggle");
        assertThat(outlineOf(toggle)).as("visible focus").isNotEqualTo("none");
        toggle.sendKeys(Keys.SPACE);
        assertThat(browser.input("bearer_token").getAttribute("type")).isEqualTo("text");
        toggle.sendKeys(Keys.TAB);
        WebElement submit = frame.switchTo().activeElement();
        assertThat(submit.getAttribute("id")).isEqualTo("submit");
        assertThat(outlineOf(submit)).isNotEqualTo("none");
        browser.screenshot("09-keyboard-focus-360px");
        submit.sendKeys(Keys.ENTER);

        browser.awaitVisible("#field-bearer_token-error");
        browser.screenshot("10-wrong-token-360px");
        Axe.assertNoViolations(frame, "the form with a wrong token at 360 px");
        browser.escapeInCurrentDocument();
        browser.driver().switchTo().defaultContent();
        browser.await(
                "the overlay to close",
                d -> d.findElements(By.cssSelector("[data-keyline-connect]")).isEmpty());
        assertThat(browser.hostEvents()).extracting(e -> e.get("type")).containsExactly("ready", "error", "close");
    }

    @Test
    void aPopupGetsTheTokenTheSameWayAndReportsClosing() {
        Tenant tenant = tenant(List.of(host.origin()));
        Session session = session(tenant, Map.of());
        openHost();
        browser.script(
                "window.pendingConnect = {url: arguments[0], token: arguments[1], mode: 'popup'}",
                uiUrl(session),
                session.token());
        String hostWindow = browser.driver().getWindowHandle();
        browser.driver().findElement(By.id("connect")).click();

        String popup = browser.await(
                "the popup to open",
                d -> d.getWindowHandles().stream()
                        .filter(h -> !h.equals(hostWindow))
                        .findFirst()
                        .orElse(null));
        browser.driver().switchTo().window(popup);
        browser.awaitVisible("#screen-form");
        assertThat(browser.driver().getCurrentUrl()).doesNotContain(session.token());
        browser.screenshot("11-popup");
        Axe.assertNoViolations(browser.driver(), "the form in the popup");
        browser.driver().findElement(By.id("close")).click();

        browser.driver().switchTo().window(hostWindow);
        browser.await(
                "the host to hear the popup close",
                d -> browser.hostEvents().stream().anyMatch(e -> "close".equals(e.get("type"))));
        assertThat(browser.driver().getWindowHandles()).containsExactly(hostWindow);
        assertThat(browser.hostEvents()).extracting(e -> e.get("type")).containsExactly("ready", "close");
    }

    // ---- helpers ----

    private String keylineBase() {
        return base.toString().replaceAll("/+$", "");
    }

    private static Tenant tenant(List<String> origins) {
        var body = operator()
                .body(Map.of("name", TENANT_NAME, "allowed_origins", origins))
                .post("/tenants")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Tenant(body.getString("tenant.id"), body.getString("api_key.key"));
    }

    private static Session session(Tenant tenant, Map<String, Object> extra) {
        Map<String, Object> request = new HashMap<>(
                Map.of("origin_owner_id", "org-1", "origin_owner_name", "Org One", "provider", "onepassword"));
        request.putAll(extra);
        var body = as(tenant.apiKey())
                .body(request)
                .post("/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Session(body.getString("token"), body.getString("connect_url"));
    }

    /** The session's connect_url on this test's Keyline. */
    private String uiUrl(Session session) {
        return keylineBase() + URI.create(session.connectUrl()).getPath();
    }

    private void openHost() {
        browser.driver().switchTo().defaultContent();
        browser.driver().get(host.url());
        browser.await(
                "the embed script",
                d -> browser.script("return typeof window.Keyline").equals("object"));
    }

    private void embed(Session session) {
        openHost();
        browser.script("window.startConnect(arguments[0], arguments[1])", uiUrl(session), session.token());
        assertThat(connectFrame().getAttribute("src")).doesNotContain(session.token());
    }

    private WebElement connectFrame() {
        return browser.driver().findElement(By.cssSelector("[data-keyline-connect] iframe"));
    }

    private WebDriver enterConnectFrame() {
        return browser.await("the connect frame", ExpectedConditions.frameToBeAvailableAndSwitchToIt(connectFrame()));
    }

    private String outlineOf(WebElement element) {
        return (String) browser.script("return getComputedStyle(arguments[0]).outlineStyle", element);
    }
}
