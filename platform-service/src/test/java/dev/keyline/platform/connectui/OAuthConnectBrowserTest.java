package dev.keyline.platform.connectui;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.operator;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.oauth.OAuthValues;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.OAuthServerDouble;
import dev.keyline.platform.support.OAuthTestConnectorFactory;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The auth kinds in the connect UI, in a real browser: the sign-in popup against an authorization server double (its
 * consent page has an Allow button), a popup closed before answering, the client-credentials form reached with the
 * keyboard, and a reconnect link opened on its own with the token in the fragment.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class OAuthConnectBrowserTest {
    private static HeadlessChromium browser;
    private static OAuthServerDouble idp;
    private static HostPage host;

    @TestHTTPResource("/")
    URL base;

    @Inject
    InMemoryCredentialStore store;

    record Tenant(String id, String apiKey) {}

    record Session(String token, String connectUrl) {}

    @BeforeAll
    static void startBrowserAndProvider() {
        browser = HeadlessChromium.start();
        idp = new OAuthServerDouble();
    }

    @AfterAll
    static void stopEverything() {
        try (HeadlessChromium b = browser;
                OAuthServerDouble i = idp;
                HostPage h = host) {
            // closed in reverse order by try-with-resources
        }
    }

    @BeforeEach
    void freshWindow() {
        if (host == null) {
            host = HostPage.start(keylineBase());
        }
        idp.autoApprove = false;
        // One window per test: a popup an earlier test left open (its own close may still be on its way) would
        // otherwise be the window this test drives, or hold the key focus.
        browser.keepOneWindow();
    }

    @Test
    void signingInInThePopupLinksTheAccountAndTheHostHearsSuccess() {
        Tenant tenant = tenant();
        embed(session(tenant, Map.of()));
        String hostWindow = browser.driver().getWindowHandle();
        WebDriver frame = enterConnectFrame();
        browser.awaitVisible("#screen-form");
        assertThat(frame.findElements(By.cssSelector("[role=tablist] [data-auth-kind]")))
                .extracting(e -> e.getAttribute("data-auth-kind"))
                .containsExactly("oauth2_authorization_code", "oauth2_client_credentials", "jwt_bearer");
        assertThat(selectedKind()).isEqualTo("oauth2_authorization_code");
        assertThat(browser.text("#submit")).isEqualTo("Continue with OAuth Test");
        Axe.assertNoViolations(frame, "the sign-in form");

        browser.input("base_url").sendKeys(idp.baseUrl());
        frame.findElement(By.id("submit")).click();
        switchToPopup(hostWindow);
        browser.await("the consent page", ExpectedConditions.elementToBeClickable(By.id("allow")));
        browser.screenshot("oauth-01-consent-popup");
        browser.driver().findElement(By.id("allow")).click();

        browser.await("the popup to close", d -> d.getWindowHandles().size() == 1);
        browser.driver().switchTo().window(hostWindow);
        enterConnectFrame();
        WebElement success = browser.awaitVisible("#screen-success");
        String accountId = success.getAttribute("data-account-id");
        browser.screenshot("oauth-02-connected");
        List<Map<String, Object>> events = browser.hostEvents();
        assertThat(events).extracting(e -> e.get("type")).containsExactly("ready", "success");
        assertThat(events.get(1)).containsEntry("account_id", accountId).containsEntry("provider", "oauth-test");
        assertThat(store.get(tenant.id(), accountId).orElseThrow())
                .containsEntry(OAuthValues.KIND, "oauth2_authorization_code")
                .containsKey(OAuthValues.REFRESH_TOKEN);
    }

    @Test
    void closingThePopupBeforeAnsweringSaysSignInWasCancelled() {
        Tenant tenant = tenant();
        embed(session(tenant, Map.of()));
        String hostWindow = browser.driver().getWindowHandle();
        WebDriver frame = enterConnectFrame();
        browser.awaitVisible("#screen-form");
        browser.input("base_url").sendKeys(idp.baseUrl());
        frame.findElement(By.id("submit")).click();
        switchToPopup(hostWindow);
        browser.await("the consent page", ExpectedConditions.elementToBeClickable(By.id("allow")));
        browser.driver().close();

        browser.driver().switchTo().window(hostWindow);
        enterConnectFrame();
        WebElement banner = browser.awaitVisible("#form-banner");
        assertThat(banner.getAttribute("data-code")).isEqualTo("oauth_cancelled");
        assertThat(banner.getText()).startsWith("The sign-in window was closed before you finished.");
        Axe.assertNoViolations(browser.driver(), "the form after a cancelled sign-in");
        assertThat(browser.driver().findElement(By.id("submit")).isEnabled()).isTrue();
        assertThat(store.accountIds(tenant.id())).isEmpty();
        assertThat(browser.hostEvents()).extracting(e -> e.get("type")).containsExactly("ready", "error");
        assertThat(browser.pageMessages().get(1))
                .containsEntry("code", "oauth_cancelled")
                .containsEntry("fatal", false);
    }

    @Test
    void theClientCredentialsFormIsReachedWithTheKeyboardAndLinks() {
        Tenant tenant = tenant();
        embed(session(tenant, Map.of()));
        WebDriver frame = enterConnectFrame();
        browser.awaitVisible("#screen-form");
        browser.input("base_url").sendKeys(idp.baseUrl());
        WebElement selected = frame.findElement(By.cssSelector("[data-auth-kind=oauth2_authorization_code]"));
        // A click, not a scripted focus(): Chromium keeps the page's key focus out of a cross-origin frame that
        // focuses itself without a user gesture, so keys would go to the host page even with the tab active.
        selected.click();
        browser.await(
                "the connect frame to have the key focus", d -> (Boolean) browser.script("return document.hasFocus()"));
        browser.await(
                "the selected kind to have the focus",
                d -> "oauth2_authorization_code"
                        .equals(d.switchTo().activeElement().getAttribute("data-auth-kind")));
        // The key press is dispatched in the page rather than through the driver's input pipeline: in the loaded
        // full suite, headless Chromium now and then dropped the driver's key event for this cross-origin frame
        // although the frame had the focus (3 of 5 full runs), never in a run of this class. What is tested stays:
        // the tablist's arrow-key handling and the focus moving to the chosen tab.
        browser.script("document.activeElement.dispatchEvent(new KeyboardEvent('keydown',"
                + " {key: 'ArrowRight', code: 'ArrowRight', bubbles: true, cancelable: true}))");

        browser.await("the client credentials form", d -> "oauth2_client_credentials".equals(selectedKind()));
        assertThat(frame.switchTo().activeElement().getAttribute("data-auth-kind"))
                .isEqualTo("oauth2_client_credentials");
        assertThat(browser.input("base_url").getAttribute("value")).isEqualTo(idp.baseUrl());
        // The kind's form is drawn right after the tab is selected; wait for its button rather than race it.
        browser.await("the client credentials button", d -> "Connect OAuth Test".equals(browser.text("#submit")));
        browser.input("client_id").sendKeys(OAuthServerDouble.CLIENT_ID);
        browser.input("client_secret").sendKeys(OAuthServerDouble.CLIENT_SECRET);
        browser.screenshot("oauth-03-client-credentials");
        Axe.assertNoViolations(frame, "the client credentials form");
        frame.findElement(By.id("submit")).click();

        String accountId = browser.awaitVisible("#screen-success").getAttribute("data-account-id");
        assertThat(browser.hostEvents()).extracting(e -> e.get("type")).containsExactly("ready", "success");
        assertThat(store.get(tenant.id(), accountId).orElseThrow())
                .containsEntry(OAuthValues.KIND, "oauth2_client_credentials");
    }

    @Test
    void aReconnectLinkOpenedOnItsOwnTakesTheTokenFromTheFragmentAndReconnectsInTheSameWindow() {
        idp.autoApprove = true;
        Tenant tenant = tenant();
        String accountId = as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id", "org-1",
                        "origin_owner_name", "Org One",
                        "provider", OAuthTestConnectorFactory.ID,
                        "auth_kind", "oauth2_client_credentials",
                        "credentials",
                                Map.of(
                                        "base_url", idp.baseUrl(),
                                        "client_id", OAuthServerDouble.CLIENT_ID,
                                        "client_secret", OAuthServerDouble.CLIENT_SECRET)))
                .post("/v1/accounts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Session session = session(tenant, Map.of("account_id", accountId));
        browser.driver().switchTo().defaultContent();
        browser.driver().get(uiUrl(session) + "#token=" + session.token());
        browser.awaitVisible("#screen-form");
        assertThat(browser.driver().getCurrentUrl())
                .doesNotContain(session.token())
                .doesNotContain("#");
        assertThat(browser.text("#form-title")).isEqualTo("Reconnect OAuth Test");
        assertThat(browser.driver().findElement(By.tagName("html")).getAttribute("data-display"))
                .as("a page in a window of its own signs in in that window")
                .isEqualTo("redirect");
        assertThat(browser.input("base_url").getAttribute("value")).isEqualTo(idp.baseUrl());
        String page = browser.driver().getWindowHandle();
        browser.driver().findElement(By.id("submit")).click();

        browser.await(
                "the sign-in to finish in this window",
                d -> !d.switchTo()
                        .window(page)
                        .findElements(By.id("screen-success"))
                        .isEmpty());
        assertThat(browser.driver().getWindowHandles()).containsExactly(page);
        assertThat(browser.driver().getCurrentUrl()).contains("/connect/oauth/callback");
        assertThat(browser.text("#screen-success h1")).isEqualTo("OAuth Test is reconnected");
        assertThat(browser.text("#screen-success")).contains("You can close this window");
        browser.screenshot("oauth-04-standalone-reconnected");
        Axe.assertNoViolations(browser.driver(), "the callback page's outcome");
        assertThat(browser.driver().findElement(By.id("screen-success")).getAttribute("data-account-id"))
                .isEqualTo(accountId);
        assertThat(store.get(tenant.id(), accountId).orElseThrow())
                .containsEntry(OAuthValues.KIND, "oauth2_authorization_code");
    }

    @Test
    void inTheEmbedsPopupTheSignInHappensInThatWindowAndTheCallbackTellsTheHost() {
        Tenant tenant = tenant();
        Session session = session(tenant, Map.of("locale", "de"));
        browser.driver().switchTo().defaultContent();
        browser.driver().get(host.url());
        browser.await(
                "the embed script",
                d -> browser.script("return typeof window.Keyline").equals("object"));
        browser.script(
                "window.pendingConnect = {url: arguments[0], token: arguments[1], mode: 'popup'}",
                uiUrl(session),
                session.token());
        String hostWindow = browser.driver().getWindowHandle();
        browser.driver().findElement(By.id("connect")).click();
        switchToPopup(hostWindow);
        String popup = browser.driver().getWindowHandle();
        browser.awaitVisible("#screen-form");
        assertThat(browser.driver().findElement(By.tagName("html")).getAttribute("data-display"))
                .isEqualTo("redirect");
        assertThat(browser.text("#submit")).isEqualTo("Weiter mit OAuth Test");
        browser.input("base_url").sendKeys(idp.baseUrl());
        browser.driver().findElement(By.id("submit")).click();

        browser.await("the consent page in the same window", ExpectedConditions.elementToBeClickable(By.id("allow")));
        assertThat(browser.driver().getWindowHandles()).containsExactlyInAnyOrder(hostWindow, popup);
        browser.screenshot("oauth-05-consent-in-the-embed-popup");
        browser.driver().findElement(By.id("allow")).click();

        WebElement outcome = browser.awaitVisible("#screen-success");
        assertThat(browser.text("#outcome-title")).isEqualTo("OAuth Test ist verbunden");
        assertThat(browser.driver().findElement(By.tagName("html")).getAttribute("lang"))
                .isEqualTo("de");
        browser.screenshot("oauth-06-callback-in-the-embed-popup");
        Axe.assertNoViolations(browser.driver(), "the callback page in the embed's popup");
        String accountId = outcome.getAttribute("data-account-id");
        browser.driver().switchTo().window(hostWindow);
        browser.await(
                "the host to hear success from the callback page",
                d -> browser.hostEvents().stream().anyMatch(e -> "success".equals(e.get("type"))));
        assertThat(browser.hostEvents())
                .filteredOn(e -> "success".equals(e.get("type")))
                .first()
                .satisfies(e -> assertThat(e)
                        .containsEntry("account_id", accountId)
                        .containsEntry("provider", OAuthTestConnectorFactory.ID));

        browser.driver().switchTo().window(popup);
        assertThat(browser.text("#done")).isEqualTo("Fertig");
        browser.driver().findElement(By.id("done")).click();
        browser.driver().switchTo().window(hostWindow);
        browser.await(
                "the host to hear close and the popup to go",
                d -> browser.hostEvents().stream().anyMatch(e -> "close".equals(e.get("type")))
                        && d.getWindowHandles().size() == 1);
        assertThat(store.get(tenant.id(), accountId).orElseThrow())
                .containsEntry(OAuthValues.KIND, "oauth2_authorization_code");
    }

    @Test
    void aHostedSignInReturnsToTheTenantAndADeclineIsExplainedWithAWayToRetry() {
        Tenant tenant = tenant();
        String returnUrl = host.origin() + "/settings/integrations";
        Session session = session(tenant, Map.of("hosted", true, "return_url", returnUrl));
        browser.driver().switchTo().defaultContent();
        browser.driver().get(uiUrl(session) + "#token=" + session.token());
        browser.awaitVisible("#screen-form");
        browser.input("base_url").sendKeys(idp.baseUrl());
        browser.driver().findElement(By.id("submit")).click();

        // Declined at the provider: the callback page says so, offers a retry and a way back, and stays.
        browser.await("the consent page", ExpectedConditions.elementToBeClickable(By.id("deny")));
        browser.driver().findElement(By.id("deny")).click();
        browser.awaitVisible("#screen-oauth-error");
        assertThat(browser.text("#outcome-title")).isEqualTo("Not connected");
        assertThat(browser.text("#oauth-message")).isEqualTo("Access was not allowed, so nothing was connected.");
        assertThat(browser.driver().findElement(By.id("return")).getAttribute("href"))
                .startsWith(returnUrl)
                .contains("keyline_status=cancelled");
        browser.screenshot("oauth-07-hosted-declined");
        Axe.assertNoViolations(browser.driver(), "the callback page after a decline");

        // Back to the connect page in the same tab: it still has its token, and this time the person allows.
        browser.driver().findElement(By.id("back")).click();
        browser.awaitVisible("#screen-form");
        browser.input("base_url").sendKeys(idp.baseUrl());
        browser.driver().findElement(By.id("submit")).click();
        browser.await("the consent page", ExpectedConditions.elementToBeClickable(By.id("allow")));
        browser.driver().findElement(By.id("allow")).click();
        browser.await("the way back to the tenant", d -> d.getCurrentUrl().startsWith(host.origin()));
        URI back = URI.create(browser.driver().getCurrentUrl());
        assertThat(back.getQuery()).contains("keyline_status=success").contains("keyline_account_id=");
        String accountId = back.getQuery().replaceAll(".*keyline_account_id=([^&]+).*", "$1");
        assertThat(store.get(tenant.id(), accountId)).isPresent();
    }

    @Test
    void theServiceAccountFormReadsItsKeyFileInTheBrowserInFrench() throws java.io.IOException {
        Tenant tenant = tenant();
        embed(session(tenant, Map.of("locale", "fr")));
        WebDriver frame = enterConnectFrame();
        browser.awaitVisible("#screen-form");
        WebElement tab = frame.findElement(By.cssSelector("[data-auth-kind=jwt_bearer]"));
        assertThat(tab.getText()).isEqualTo("Compte de service");
        tab.click();
        browser.await("the service account form", d -> "jwt_bearer".equals(selectedKind()));
        WebElement file = browser.await(
                "the key file picker", ExpectedConditions.presenceOfElementLocated(By.cssSelector("input[type=file]")));
        assertThat(file.getAttribute("aria-label")).startsWith("Choisir le fichier");
        String key = file.getAttribute("id").substring("file-".length());
        assertThat(browser.input(key).getAttribute("placeholder"))
                .isEqualTo("Collez la clé, ou choisissez son fichier ci-dessous");

        String content = "{\"type\": \"service_account\", \"client_email\": \"reader@example.test\"}";
        java.nio.file.Path keyFile = java.nio.file.Files.createTempFile("service-account-", ".json");
        try {
            java.nio.file.Files.writeString(keyFile, content);
            file.sendKeys(keyFile.toAbsolutePath().toString());
            browser.await(
                    "the key read into the form",
                    d -> content.equals(browser.input(key).getAttribute("value")));
        } finally {
            java.nio.file.Files.deleteIfExists(keyFile);
        }
        browser.screenshot("oauth-08-service-account-fr");
        Axe.assertNoViolations(frame, "the French service account form");
        assertThat(store.accountIds(tenant.id()))
                .as("nothing sent before submit")
                .isEmpty();
    }

    // ---- helpers ----

    private String keylineBase() {
        return base.toString().replaceAll("/+$", "");
    }

    private Tenant tenant() {
        var body = operator()
                .body(Map.of("name", "Acme HR", "allowed_origins", List.of(host.origin())))
                .post("/v1/tenants")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Tenant(body.getString("tenant.id"), body.getString("api_key.key"));
    }

    private static Session session(Tenant tenant, Map<String, Object> extra) {
        Map<String, Object> request = new HashMap<>(Map.of(
                "origin_owner_id", "org-1", "origin_owner_name", "Org One", "provider", OAuthTestConnectorFactory.ID));
        request.putAll(extra);
        var body = as(tenant.apiKey())
                .body(request)
                .post("/v1/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Session(body.getString("token"), body.getString("connect_url"));
    }

    private String uiUrl(Session session) {
        return keylineBase() + URI.create(session.connectUrl()).getPath();
    }

    private void embed(Session session) {
        browser.driver().switchTo().defaultContent();
        browser.driver().get(host.url());
        browser.await(
                "the embed script",
                d -> browser.script("return typeof window.Keyline").equals("object"));
        browser.script("window.startConnect(arguments[0], arguments[1])", uiUrl(session), session.token());
    }

    private void switchToPopup(String hostWindow) {
        String popup = browser.await(
                "the sign-in popup to open",
                d -> d.getWindowHandles().stream()
                        .filter(h -> !h.equals(hostWindow))
                        .findFirst()
                        .orElse(null));
        browser.driver().switchTo().window(popup);
    }

    private WebDriver enterConnectFrame() {
        browser.driver().switchTo().defaultContent();
        return browser.await(
                "the connect frame",
                ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.cssSelector("[data-keyline-connect] iframe")));
    }

    private String selectedKind() {
        return browser.driver()
                .findElement(By.cssSelector("[role=tab][aria-selected=true]"))
                .getAttribute("data-auth-kind");
    }
}
