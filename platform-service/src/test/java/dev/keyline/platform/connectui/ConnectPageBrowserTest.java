package dev.keyline.platform.connectui;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.operator;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The connect page's screens for many providers, brands and languages in a real browser: the picker and its search,
 * dark mode, German, 320 px, reconnect versus a new account, a hosted link, and the tenant's brand. axe-core runs on
 * every screen; screenshots go to {@code target/screenshots/}.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class ConnectPageBrowserTest {
    private static final String TENANT_NAME = "Acme HR";

    private static HeadlessChromium browser;
    private static ScimUpstream upstream;
    private static HostPage host;

    @TestHTTPResource("/")
    URL base;

    record Tenant(String id, String apiKey) {}

    record Session(String id, String token, String connectUrl) {}

    @BeforeAll
    static void startBrowserAndUpstream() {
        browser = HeadlessChromium.start();
        upstream = ScimUpstream.builder()
                .users(3)
                .groups(1)
                .seed(7)
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
        browser.keepOneWindow();
        browser.resize(1280, 900);
    }

    @AfterEach
    void plainBrowser() {
        cdp("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }

    @Test
    void thePickerShowsEveryProviderWithItsLogoAndSearchFiltersThem() {
        Tenant tenant = tenant(List.of(host.origin()));
        embed(session(tenant, Map.of()));
        WebDriver frame = enterConnectFrame();
        browser.awaitVisible("#screen-picker");

        List<WebElement> choices = frame.findElements(By.cssSelector(".choice"));
        assertThat(choices)
                .extracting(c -> c.getAttribute("data-provider"))
                .containsExactlyInAnyOrderElementsOf(connectorIds(tenant));
        assertThat(frame.findElements(By.cssSelector(".choice .provider-logo")))
                .as("a logo or a mark for each")
                .hasSameSizeAs(choices);
        WebElement logo = frame.findElement(By.cssSelector(".choice[data-provider=onepassword] .provider-logo img"));
        assertThat(logo.getAttribute("src")).startsWith("data:image/svg+xml;base64,");
        assertThat(logo.getAttribute("alt"))
                .as("decoration: the name is beside it")
                .isEmpty();
        WebElement search = frame.findElement(By.id("picker-search"));
        assertThat(frame.findElement(By.cssSelector("label[for=picker-search]")).getAttribute("textContent"))
                .isEqualTo("Search providers");
        assertThat(textContent("#picker-count")).isEqualTo(choices.size() + " providers");
        browser.screenshot("page-01-picker");
        Axe.assertNoViolations(frame, "the picker");

        search.sendKeys("1pass");
        browser.await("the search to filter", d -> visibleChoices().size() == 1);
        assertThat(visibleChoices()).containsExactly("onepassword");
        assertThat(textContent("#picker-count")).isEqualTo("1 provider");
        browser.screenshot("page-02-picker-search");

        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), "no such thing");
        browser.await("the no-match state", d -> visibleChoices().isEmpty());
        assertThat(browser.awaitVisible("#picker-none").getText()).isEqualTo("No provider matches “no such thing”.");
        assertThat(textContent("#picker-count")).isEqualTo("0 providers");
        Axe.assertNoViolations(frame, "the picker with no match");

        search.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        browser.await("every provider again", d -> visibleChoices().size() == choices.size());
        frame.findElement(By.cssSelector(".choice[data-provider=onepassword]")).click();
        browser.awaitVisible("#screen-form");
        assertThat(browser.text("#form-title")).isEqualTo("Connect 1Password");
        frame.findElement(By.id("back-to-picker")).click();
        browser.awaitVisible("#screen-picker");
    }

    @Test
    void providersLimitThePickerAndOneProviderSkipsIt() {
        Tenant tenant = tenant(List.of(host.origin()));
        String other = connectorIds(tenant).stream()
                .filter(id -> !id.equals("onepassword"))
                .findFirst()
                .orElseThrow();
        embed(session(tenant, Map.of("providers", List.of("onepassword", other))));
        WebDriver frame = enterConnectFrame();
        browser.awaitVisible("#screen-picker");
        assertThat(visibleChoices()).containsExactlyInAnyOrder("onepassword", other);

        embed(session(tenant, Map.of("providers", List.of("onepassword"))));
        enterConnectFrame();
        browser.awaitVisible("#screen-form");
        assertThat(browser.text("#form-title")).isEqualTo("Connect 1Password");
        assertThat(frame.findElements(By.id("back-to-picker"))).isEmpty();
    }

    @Test
    void darkModeFollowsTheSystemAndPassesAxe() {
        Tenant tenant = tenant(List.of(host.origin()));
        Session session = session(tenant, Map.of("provider", "onepassword", "hosted", true));
        openOnItsOwn(session);
        browser.awaitVisible("#screen-form");
        assertThat(surface()).as("light while the system is light").isEqualTo("#ffffff");
        cdp(
                "Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        browser.await("the dark appearance", d -> surface().equals("#131a26"));
        assertThat(background(".shell")).isEqualTo("rgb(19, 26, 38)");
        WebDriver frame = browser.driver();
        browser.input("scim_url").sendKeys(upstream.hostedBaseUrl());
        browser.input("bearer_token").sendKeys("wrong-token-0123456789", Keys.ENTER);
        browser.awaitVisible("#field-bearer_token-error");
        browser.screenshot("page-03-dark-form-error");
        Axe.assertNoViolations(frame, "the form in dark mode, with an error");

        // A brand that asks for dark is dark whatever the system says.
        cdp(
                "Emulation.setEmulatedMedia",
                Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", "light"))));
        embed(session(tenant, Map.of("provider", "onepassword", "brand", Map.of("appearance", "dark"))));
        frame = enterConnectFrame();
        browser.awaitVisible("#screen-form");
        assertThat(surface()).isEqualTo("#131a26");
        assertThat(background("body")).isEqualTo("rgb(19, 26, 38)");
        Axe.assertNoViolations(frame, "the embedded form in the brand's dark appearance");
    }

    @Test
    void cancellingAHostedLinkReturnsToTheTenantSayingSo() {
        Tenant tenant = tenant(List.of(host.origin()));
        Session session = session(
                tenant,
                Map.of(
                        "provider",
                        "onepassword",
                        "hosted",
                        true,
                        "return_url",
                        host.origin() + "/settings/integrations"));
        openOnItsOwn(session);
        browser.awaitVisible("#screen-form");
        browser.driver().findElement(By.id("close")).click();
        browser.await("the way back to the tenant", d -> d.getCurrentUrl().startsWith(host.origin()));
        assertThat(URI.create(browser.driver().getCurrentUrl()).getQuery())
                .contains("keyline_status=cancelled")
                .contains("keyline_session_id=" + session.id())
                .doesNotContain("keyline_account_id");
    }

    @Test
    void aHostedLinkWithoutReturnUrlShowsTheOutcome() {
        Tenant tenant = tenant(List.of(host.origin()));
        Session session = session(tenant, Map.of("provider", "onepassword", "hosted", true));
        openOnItsOwn(session);
        browser.awaitVisible("#screen-form");
        assertThat(browser.driver().findElement(By.id("close")).isDisplayed()).isFalse();
        browser.input("scim_url").sendKeys(upstream.bridgeBaseUrl());
        browser.input("bearer_token").sendKeys(upstream.token(), Keys.ENTER);
        browser.awaitVisible("#screen-success");
        assertThat(browser.text("#screen-success p")).contains("You can close this window");
        assertThat(browser.driver().findElements(By.id("return"))).isEmpty();
        Axe.assertNoViolations(browser.driver(), "the hosted success screen");
    }

    @Test
    void aGermanSessionGetsTheGermanPageAndDiagnoses() {
        Tenant tenant = tenant(List.of(host.origin()));
        Session session = session(tenant, Map.of("provider", "onepassword", "locale", "de-CH"));
        embed(session);
        WebDriver frame = enterConnectFrame();
        browser.awaitVisible("#screen-form");

        assertThat(frame.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("de");
        assertThat(browser.text("#form-title")).isEqualTo("1Password verbinden");
        assertThat(browser.text("#submit")).isEqualTo("1Password verbinden");
        assertThat(browser.text("#footer-text")).contains("Geschützt durch Keyline");
        browser.input("scim_url").sendKeys(upstream.hostedBaseUrl());
        browser.input("bearer_token").sendKeys("wrong-token-0123456789", Keys.ENTER);

        WebElement error = browser.awaitVisible("#field-bearer_token-error");
        assertThat(error.getText())
                .as("the connector's diagnosis from the German catalogue (its English sentence when it has none)")
                .isEqualTo(expectedDiagnosis(tenant, session, "de"));
        browser.screenshot("page-04-german-diagnosis");
        Axe.assertNoViolations(frame, "the German form with a diagnosis");
        assertThat(browser.pageMessages().get(1))
                .containsEntry("type", "error")
                .containsEntry("code", "invalid_credentials")
                .containsEntry("fatal", false);
    }

    @Test
    void atThreeHundredTwentyPixelsNothingOverflowsAndLongUrlsWrap() {
        browser.resize(320, 640);
        Tenant tenant = tenant(List.of(host.origin()));
        embed(session(tenant, Map.of()));
        WebDriver frame = enterConnectFrame();
        browser.awaitVisible("#screen-picker");
        assertNoOverflow("the picker at 320 px");
        Axe.assertNoViolations(frame, "the picker at 320 px");

        frame.findElement(By.cssSelector(".choice[data-provider=onepassword]")).click();
        browser.awaitVisible("#screen-form");
        frame.findElement(By.cssSelector(".setup summary")).click();
        String longUrl = "http://127.0.0.1:9/scim/v2/a-very-long-path-segment-that-would-never-fit-on-a-phone/"
                + "and-another-one-just-as-long/Users";
        browser.input("scim_url").sendKeys(longUrl);
        browser.input("bearer_token").sendKeys("some-token-0123456789", Keys.ENTER);
        browser.await(
                "the connector's answer",
                d -> !d.findElements(By.cssSelector(".field-error:not([hidden]), #form-banner:not([hidden])"))
                        .isEmpty());
        assertNoOverflow("the form with an error at 320 px");
        browser.screenshot("page-05-320px-error");
        Axe.assertNoViolations(frame, "the form with an error at 320 px");
    }

    @Test
    void expiredLinksAreFatalForTheHost() {
        Tenant tenant = tenant(List.of(host.origin()));
        Session session = session(tenant, Map.of("provider", "onepassword"));
        as(session.token())
                .body(Map.of(
                        "provider",
                        "onepassword",
                        "credentials",
                        Map.of("scim_url", upstream.bridgeBaseUrl(), "bearer_token", upstream.token())))
                .post("/v1/connect/session/link")
                .then()
                .statusCode(200);
        embed(session);
        WebDriver frame = enterConnectFrame();
        browser.awaitVisible("#screen-expired");
        Axe.assertNoViolations(frame, "the used-link screen");
        assertThat(browser.pageMessages().get(1))
                .containsEntry("code", "session_used")
                .containsEntry("fatal", true);
    }

    @Test
    void anExistingAccountIsReconnectedAndANewOneOnlyWhenAllowed() {
        Tenant tenant = tenant(List.of(host.origin()));
        String accountId = linkHosted(tenant);
        embed(session(tenant, Map.of("provider", "onepassword")));
        WebDriver frame = enterConnectFrame();
        browser.awaitVisible("#screen-form");
        assertThat(browser.text("#form-title")).isEqualTo("Reconnect 1Password");
        assertThat(frame.findElement(By.id("connect-form")).getAttribute("data-account-id"))
                .isEqualTo(accountId);
        assertThat(browser.input("scim_url").getAttribute("value")).isEqualTo(upstream.hostedBaseUrl());
        assertThat(frame.findElements(By.id("connect-another"))).isEmpty();
        Axe.assertNoViolations(frame, "the reconnect form");
        browser.input("bearer_token").sendKeys(upstream.token(), Keys.ENTER);
        browser.awaitVisible("#screen-success");
        assertThat(browser.text("#screen-success h1")).isEqualTo("1Password is reconnected");
        assertThat(browser.hostEvents().get(1)).containsEntry("account_id", accountId);

        embed(session(tenant, Map.of("provider", "onepassword", "new_account", true)));
        frame = enterConnectFrame();
        browser.awaitVisible("#screen-existing");
        assertThat(frame.findElements(By.cssSelector("[data-reconnect]")))
                .extracting(e -> e.getAttribute("data-reconnect"))
                .containsExactly(accountId);
        browser.screenshot("page-06-existing-account");
        Axe.assertNoViolations(frame, "the existing-account screen");
        frame.findElement(By.id("connect-another")).click();
        browser.awaitVisible("#screen-form");
        assertThat(browser.text("#form-title")).isEqualTo("Connect 1Password");
        browser.input("scim_url").sendKeys(upstream.bridgeBaseUrl());
        browser.input("bearer_token").sendKeys(upstream.token(), Keys.ENTER);
        String second = browser.awaitVisible("#screen-success").getAttribute("data-account-id");
        assertThat(second).isNotEqualTo(accountId);
    }

    @Test
    void aHostedLinkRunsOnItsOwnAndReturnsToTheTenant() {
        Tenant tenant = tenant(List.of(host.origin()));
        String returnUrl = host.origin() + "/settings/integrations?from=keyline";
        Session session = session(tenant, Map.of("provider", "onepassword", "hosted", true, "return_url", returnUrl));
        assertThat(session.connectUrl()).contains("#token=");
        openOnItsOwn(session);
        browser.awaitVisible("#screen-form");
        assertThat(browser.driver().getCurrentUrl()).doesNotContain(session.token());
        assertThat(browser.driver().findElement(By.id("close")).getAttribute("aria-label"))
                .isEqualTo("Cancel");
        browser.screenshot("page-07-hosted-form");
        Axe.assertNoViolations(browser.driver(), "the hosted form");

        browser.input("scim_url").sendKeys(upstream.bridgeBaseUrl());
        browser.input("bearer_token").sendKeys(upstream.token(), Keys.ENTER);
        String accountId = browser.awaitVisible("#screen-success").getAttribute("data-account-id");
        assertThat(browser.driver().findElement(By.id("return")).getAttribute("href"))
                .contains("keyline_status=success");
        browser.await("the way back to the tenant", d -> d.getCurrentUrl().startsWith(host.origin()));
        URI back = URI.create(browser.driver().getCurrentUrl());
        assertThat(back.getPath()).isEqualTo("/settings/integrations");
        assertThat(back.getQuery())
                .contains("from=keyline")
                .contains("keyline_status=success")
                .contains("keyline_account_id=" + accountId)
                .contains("keyline_session_id=" + session.id());
    }

    @Test
    void theTenantsBrandColoursTheButtonsAndCanHideKeyline() {
        Tenant tenant = tenant(List.of(host.origin()));
        String logo = "data:image/svg+xml;base64,"
                + java.util.Base64.getEncoder()
                        .encodeToString(("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 40 20'>"
                                        + "<rect width='40' height='20' rx='4' fill='#0a7'/></svg>")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        embed(session(
                tenant,
                Map.of(
                        "provider",
                        "onepassword",
                        "brand",
                        Map.of(
                                "primary_color",
                                "#ffd400",
                                "logo",
                                logo,
                                "hide_keyline",
                                true,
                                "appearance",
                                "light"))));
        WebDriver frame = enterConnectFrame();
        browser.awaitVisible("#screen-form");

        assertThat(background("#submit")).isEqualTo("rgb(255, 212, 0)");
        assertThat(color("#submit"))
                .as("near-black text on a light brand colour")
                .isEqualTo("rgb(11, 15, 23)");
        browser.screenshot("page-08-brand");
        assertThat(frame.findElement(By.id("tenant-logo")).isDisplayed()).isTrue();
        assertThat(frame.findElement(By.id("tenant-logo")).getAttribute("alt")).isEqualTo(TENANT_NAME);
        assertThat(frame.findElement(By.cssSelector(".brand-name")).isDisplayed())
                .isFalse();
        assertThat(browser.text("#footer-text")).doesNotContain("Keyline");
        assertThat((String) browser.script("return document.title")).doesNotContain("Keyline");
        Axe.assertNoViolations(frame, "the branded form");
    }

    @Test
    void everyLanguageHasEverySentenceWithTheSamePlaceholders() {
        Tenant tenant = tenant(List.of(host.origin()));
        embed(session(tenant, Map.of("provider", "onepassword")));
        enterConnectFrame();
        browser.awaitVisible("#screen-form");
        @SuppressWarnings("unchecked")
        Map<String, List<String>> gaps = (Map<String, List<String>>) browser.script("""
                var c = KeylineI18n.catalogues, gaps = {};
                Object.keys(c).forEach(function (lang) {
                  var missing = Object.keys(c.en).filter(function (k) { return typeof c[lang][k] !== 'string' || !c[lang][k].trim(); });
                  var extra = Object.keys(c[lang]).filter(function (k) { return !(k in c.en); });
                  // A translation names the same placeholders as the English sentence (any number of times).
                  function names(text) {
                    return Array.from(new Set(String(text || '').match(/\\{[a-z_]+\\}/g) || [])).sort().join();
                  }
                  var params = Object.keys(c.en).filter(function (k) { return names(c[lang][k]) !== names(c.en[k]); });
                  gaps[lang] = missing.concat(extra.map(function (k) { return 'extra ' + k; }))
                    .concat(params.map(function (k) { return 'placeholders ' + k; }));
                });
                return gaps;
                """);
        assertThat(gaps.keySet()).containsExactlyInAnyOrder("en", "de", "fr", "es", "ja");
        assertThat(gaps)
                .allSatisfy((lang, missing) -> assertThat(missing).as(lang).isEmpty());
    }

    // ---- helpers ----

    private String keylineBase() {
        return base.toString().replaceAll("/+$", "");
    }

    private static Tenant tenant(List<String> origins) {
        var body = operator()
                .body(Map.of("name", TENANT_NAME, "allowed_origins", origins))
                .post("/v1/tenants")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Tenant(body.getString("tenant.id"), body.getString("api_key.key"));
    }

    private static Session session(Tenant tenant, Map<String, Object> extra) {
        Map<String, Object> request = new HashMap<>(Map.of("origin_owner_id", "org-1", "origin_owner_name", "Org One"));
        request.putAll(extra);
        var body = as(tenant.apiKey())
                .body(request)
                .post("/v1/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Session(body.getString("id"), body.getString("token"), body.getString("connect_url"));
    }

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
                .post("/v1/accounts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private void embed(Session session) {
        browser.driver().switchTo().defaultContent();
        browser.driver().get(host.url());
        browser.await(
                "the embed script",
                d -> browser.script("return typeof window.Keyline").equals("object"));
        browser.script(
                "window.startConnect(arguments[0], arguments[1])",
                keylineBase() + URI.create(session.connectUrl()).getPath(),
                session.token());
    }

    private WebDriver enterConnectFrame() {
        browser.driver().switchTo().defaultContent();
        return browser.await(
                "the connect frame",
                ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.cssSelector("[data-keyline-connect] iframe")));
    }

    private List<String> visibleChoices() {
        return browser.driver().findElements(By.cssSelector("#picker-list li:not([hidden]) .choice")).stream()
                .map(e -> e.getAttribute("data-provider"))
                .toList();
    }

    /** Nothing on the screen is wider than the viewport (a wide element makes the page scroll sideways). */
    private void assertNoOverflow(String screen) {
        @SuppressWarnings("unchecked")
        List<String> wide = (List<String>) browser.script("""
                var width = document.documentElement.clientWidth;
                var wide = [];
                if (document.documentElement.scrollWidth > width) wide.push('document ' + document.documentElement.scrollWidth);
                document.querySelectorAll('body *').forEach(function (e) {
                  // A form control scrolls its own text; that is not the page overflowing.
                  if (/^(INPUT|TEXTAREA|SELECT)$/.test(e.tagName)) return;
                  if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'
                      && e.clientWidth > 0) wide.push(e.tagName + '.' + e.className + ' ' + e.scrollWidth + '>' + e.clientWidth);
                  var r = e.getBoundingClientRect();
                  if (r.width > 0 && r.right > width + 1) wide.push(e.tagName + '.' + e.className + ' right ' + r.right);
                });
                return wide;
                """);
        assertThat(wide).as("elements wider than the screen on %s", screen).isEmpty();
    }

    private String background(String css) {
        return (String)
                browser.script("return getComputedStyle(document.querySelector(arguments[0])).backgroundColor", css);
    }

    /** The page's background colour in its current appearance. */
    private String surface() {
        return ((String) browser.script(
                        "return getComputedStyle(document.documentElement).getPropertyValue('--surface')"))
                .trim();
    }

    private String color(String css) {
        return (String) browser.script("return getComputedStyle(document.querySelector(arguments[0])).color", css);
    }

    /**
     * What the page should say for 1Password's wrong-token failure in {@code locale}, worked out as the contract says,
     * from the API: the failure's {@code message_code} looked up in the session view's {@code messages} and filled
     * with its {@code message_params}; its English {@code detail} when the catalogue lacks the code.
     */
    private String expectedDiagnosis(Tenant tenant, Session session, String locale) {
        Session probe = session(tenant, Map.of("provider", "onepassword", "origin_owner_id", "org-probe"));
        var problem = as(probe.token())
                .body(Map.of(
                        "provider",
                        "onepassword",
                        "credentials",
                        Map.of("scim_url", upstream.hostedBaseUrl(), "bearer_token", "wrong-token-0123456789")))
                .post("/v1/connect/session/link")
                .then()
                .extract()
                .jsonPath();
        assertThat(problem.getString("code")).isEqualTo("invalid_credentials");
        Map<String, String> messages = as(session.token())
                .queryParam("locale", locale)
                .get("/v1/connect/session")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("messages");
        String code = problem.getString("message_code");
        if (code == null || !messages.containsKey(code)) {
            return problem.getString("detail");
        }
        String sentence = messages.get(code);
        Map<String, Object> params = problem.getMap("message_params");
        for (Map.Entry<String, Object> param : (params == null ? Map.<String, Object>of() : params).entrySet()) {
            sentence = sentence.replace("{" + param.getKey() + "}", String.valueOf(param.getValue()));
        }
        return sentence;
    }

    private static List<String> connectorIds(Tenant tenant) {
        return as(tenant.apiKey())
                .get("/v1/connectors")
                .then()
                .statusCode(200)
                .extract()
                .path("data.id");
    }

    /** A hosted session's connect_url opened as a customer would: on its own, the token in the fragment. */
    private void openOnItsOwn(Session session) {
        browser.driver().switchTo().defaultContent();
        browser.driver().get(keylineBase() + URI.create(session.connectUrl()).getPath() + "#token=" + session.token());
    }

    private String textContent(String css) {
        return browser.driver().findElement(By.cssSelector(css)).getAttribute("textContent");
    }

    private void cdp(String command, Map<String, Object> params) {
        ((ChromeDriver) browser.driver()).executeCdpCommand(command, params);
    }
}
