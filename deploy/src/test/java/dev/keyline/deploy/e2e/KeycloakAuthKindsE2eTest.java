package dev.keyline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Issue #19 for real: Keycloak (realm {@code acme} of {@code deploy/keycloak/connector-realm.json}) is the OAuth 2.0
 * authorization server of the Keycloak connector plugin, which Keyline loads from its plugins directory. One
 * Keycloak start serves every step, in order:
 *
 * <ol>
 *   <li>(a) client credentials, headless: a link with the service-account client's id and secret;
 *   <li>(b) authorization code with PKCE through the connect UI's popup in Chromium, the person logging in at
 *       Keycloak;
 *   <li>(c) refresh with rotation: the 20-second access token is refreshed (twice, so the rotated refresh token
 *       must have been stored) while reads keep working;
 *   <li>(d) revocation: the person's sessions are ended at Keycloak, the next refresh gets {@code invalid_grant},
 *       the account is {@code error}/{@code reauthorization_required}; a reconnect link, opened on its own, repairs
 *       it in place with the consent in the same window;
 *   <li>(e) two replicas on one backing read the expired account concurrently: one refresh reaches Keycloak;
 *   <li>(f) the embed in popup mode: the consent happens in that popup (display {@code redirect}), whose callback
 *       page tells the host page.
 * </ol>
 *
 * <p>Token requests are counted at {@link CountingProxy}, which the account's {@code base_url} points at.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeycloakAuthKindsE2eTest {
    private static final String REALM = KeycloakProcess.CONNECTOR_REALM;
    private static final String KIND_CODE = "oauth2_authorization_code";
    /** The connect client's access token lifespan (realm file) and Keyline's refresh skew, plus slack. */
    private static final Duration PAST_EXPIRY = Duration.ofSeconds(21);

    private static KeycloakProcess keycloak;
    private static CountingProxy proxy;
    private static Backing backing;
    private static KeylineProcess replicaA;
    private static KeylineProcess replicaB;
    private static Chromium browser;
    private static ConnectHostPage host;
    private static Api api;
    private static String codeAccount;

    @BeforeAll
    static void start() {
        long started = System.nanoTime();
        keycloak = new KeycloakProcess().start();
        backing = new Backing(true);
        keycloak.awaitReady();
        proxy = new CountingProxy(keycloak.baseUrl());
        replicaA = replica("A");
        host = new ConnectHostPage(replicaA.url());
        browser = Chromium.start();
        Api operator = new Api(replicaA.url() + "/v1", backing.operatorKey);
        JsonNode tenant = operator.post(
                        "/tenants", Map.of("name", "Keycloak auth kinds", "allowed_origins", List.of(host.origin())))
                .expect(201)
                .json();
        api = new Api(replicaA.url() + "/v1", tenant.path("api_key").path("key").asText());
        E2e.timing("auth kinds: keycloak, keyline and chromium ready", started);
    }

    private static KeylineProcess replica(String name) {
        Map<String, String> properties = new LinkedHashMap<>(backing.properties("kc-" + name));
        properties.put(
                "keyline.connectors.plugins-dir",
                KeycloakPlugin.pluginsDir("keycloak-plugins").toString());
        properties.put("keyline.oauth.refresh-skew", "5s");
        return KeylineProcess.start("auth-kinds-" + name, properties, backing.environment());
    }

    @AfterAll
    static void stop() {
        try (Chromium b = browser;
                ConnectHostPage h = host;
                CountingProxy p = proxy) {
            for (KeylineProcess replica : new KeylineProcess[] {replicaA, replicaB}) {
                if (replica != null) {
                    replica.close();
                }
            }
            if (keycloak != null) {
                keycloak.close();
            }
            if (backing != null) {
                backing.close();
            }
        }
    }

    @Test
    @Order(1)
    void clientCredentialsLinkHeadlessAndAWrongSecretCreatesNothing() {
        Map<String, Object> wrong = linkBody("org-cc", "keyline-reader-wrong-secret");
        Api.Response refused = api.post("/accounts", wrong);
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.json().path("code").asText()).isEqualTo("invalid_credentials");
        assertThat(refused.body()).doesNotContain("keyline-reader-wrong-secret");
        assertThat(api.get("/accounts").expect(200).json().path("data")).isEmpty();

        JsonNode account = api.post("/accounts", linkBody("org-cc", "keyline-reader-e2e-secret"))
                .expect(201)
                .json();
        assertThat(account.path("status").asText()).isEqualTo("active");
        assertThat(account.toString()).doesNotContain("keyline-reader-e2e-secret");
        assertThat(usernames(api, account.path("id").asText())).contains("reviewer", "alice", "bob", "carol", "dave");
    }

    private static Map<String, Object> linkBody(String owner, String secret) {
        return Map.of(
                "origin_owner_id", owner,
                "origin_owner_name", "CC",
                "provider", "keycloak",
                "auth_kind", "oauth2_client_credentials",
                "credentials",
                        Map.of(
                                "base_url",
                                keycloak.baseUrl(),
                                "realm",
                                REALM,
                                "client_id",
                                "keyline-reader",
                                "client_secret",
                                secret));
    }

    @Test
    @Order(2)
    void authorizationCodeWithPkceThroughTheConnectPopup() {
        api.post(
                        "/auth-configs",
                        Map.of(
                                "provider", "keycloak",
                                "client_id", "keyline-connect",
                                "client_secret", "keyline-connect-e2e-secret"))
                .expect(201);
        JsonNode session = api.post(
                        "/connect/sessions",
                        Map.of("origin_owner_id", "org-ac", "origin_owner_name", "AC", "provider", "keycloak"))
                .expect(201)
                .json();
        int codeGrants = proxy.grants("authorization_code");

        WebDriver driver = browser.driver();
        driver.get(host.url());
        browser.await(
                "the embed script",
                Duration.ofSeconds(20),
                d -> browser.script("return typeof window.Keyline").equals("object"));
        browser.script(
                "window.startConnect(arguments[0], arguments[1])",
                session.path("connect_url").asText(),
                session.path("token").asText());
        String hostWindow = driver.getWindowHandle();
        browser.await(
                "the connect frame",
                Duration.ofSeconds(20),
                ExpectedConditions.frameToBeAvailableAndSwitchToIt(By.cssSelector("[data-keyline-connect] iframe")));
        consentAtKeycloak("b-authorization-code");

        driver.switchTo().window(hostWindow).switchTo().defaultContent();
        Map<?, ?> success = browser.await(
                "the host to hear success",
                Duration.ofSeconds(30),
                d -> hostEvents().stream()
                        .filter(e -> "success".equals(e.get("type")))
                        .findFirst()
                        .orElse(null));
        codeAccount = String.valueOf(success.get("account_id"));
        JsonNode account = api.get("/accounts/" + codeAccount).expect(200).json();
        assertThat(account.path("status").asText()).isEqualTo("active");
        assertThat(proxy.grants("authorization_code")).isEqualTo(codeGrants + 1);
        assertThat(usernames(api, codeAccount)).contains("reviewer", "alice");
    }

    /**
     * In the connect page (top level or frame): picks the authorization code kind, fills the fields, submits, logs
     * in as {@code reviewer} in the popup that opens, and waits for the popup to close itself.
     */
    private static void consentAtKeycloak(String screenshots) {
        consentAtKeycloak(screenshots, false);
    }

    /**
     * As above; with {@code sameWindow}, the page is a window of its own (a reconnect link, a hosted link, the embed's
     * popup), so the consent happens in that window (display {@code redirect}) and ends on Keyline's callback page.
     */
    private static void consentAtKeycloak(String screenshots, boolean sameWindow) {
        WebDriver driver = browser.driver();
        browser.await(
                "the connect form",
                Duration.ofSeconds(20),
                ExpectedConditions.visibilityOfElementLocated(By.id("submit")));
        List<WebElement> kinds = driver.findElements(By.cssSelector("[data-auth-kind=\"" + KIND_CODE + "\"]"));
        if (!kinds.isEmpty()) {
            kinds.get(0).click();
        }
        fill("field-base_url", proxy.url());
        fill("field-realm", REALM);
        browser.screenshot(screenshots + "-1-form");
        Set<String> before = driver.getWindowHandles();
        String connectWindow = driver.getWindowHandle();
        driver.findElement(By.id("submit")).click();

        if (!sameWindow) {
            browser.switchToNewWindow(before);
        }
        try {
            browser.await(
                    "Keycloak's login page",
                    Duration.ofSeconds(30),
                    ExpectedConditions.visibilityOfElementLocated(By.id("username")));
        } catch (RuntimeException e) {
            browser.screenshot(screenshots + "-2-no-login-page");
            throw new AssertionError("no Keycloak login page in the popup at " + driver.getCurrentUrl(), e);
        }
        browser.screenshot(screenshots + "-2-keycloak-login");
        driver.findElement(By.id("username")).sendKeys("reviewer");
        driver.findElement(By.id("password")).sendKeys("reviewer-e2e-password");
        driver.findElement(By.id("kc-login")).click();
        if (sameWindow) {
            assertThat(driver.getWindowHandles())
                    .as("no popup for a page in a window of its own")
                    .isEqualTo(before);
            return;
        }
        try {
            browser.await(
                    "the popup to close itself",
                    Duration.ofSeconds(30),
                    d -> d.getWindowHandles().equals(before));
        } catch (RuntimeException e) {
            browser.screenshot(screenshots + "-3-popup-still-open");
            throw new AssertionError("the popup stayed open at " + driver.getCurrentUrl(), e);
        }
        driver.switchTo().window(connectWindow);
    }

    private static void fill(String id, String value) {
        WebElement input = browser.driver().findElement(By.id(id));
        if (!value.equals(input.getAttribute("value"))) {
            input.clear();
            input.sendKeys(value);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> hostEvents() {
        return (List<Map<String, Object>>) browser.script("return window.keylineEvents || []");
    }

    @Test
    @Order(3)
    void refreshesWithRotationKeepReadsWorking() {
        requireCodeAccount();
        int refreshes = proxy.grants("refresh_token");
        for (int round = 0; round < 2; round++) {
            E2e.sleep(PAST_EXPIRY);
            assertThat(usernames(api, codeAccount)).contains("reviewer");
            assertThat(usernames(api, codeAccount)).contains("reviewer");
        }
        // Two rounds past the lifespan: two refreshes, the second with the refresh token the first rotated in
        // (Keycloak refuses a reused one: revokeRefreshToken, refreshTokenMaxReuse 0).
        assertThat(proxy.grants("refresh_token") - refreshes).isGreaterThanOrEqualTo(2);
        assertThat(api.get("/accounts/" + codeAccount)
                        .expect(200)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("active");
    }

    @Test
    @Order(4)
    void aRevokedGrantAsksForReauthorizationAndAReconnectLinkRepairsItInPlace() {
        requireCodeAccount();
        keycloak.logout(REALM, "reviewer");
        E2e.sleep(PAST_EXPIRY);
        Api.Response read = api.get("/iam/users?page_size=50&mode=live", Map.of("x-account-id", codeAccount));
        assertThat(read.status()).as(read.body()).isNotEqualTo(200);
        JsonNode account = api.get("/accounts/" + codeAccount).expect(200).json();
        assertThat(account.path("status").asText()).isEqualTo("error");
        assertThat(statusCode(account)).isEqualTo("reauthorization_required");

        JsonNode link = api.post("/accounts/" + codeAccount + "/reconnect-link", Map.of())
                .expect(201)
                .json();
        assertThat(link.path("expires_at").asText()).isNotBlank();
        // The token travels in the URL's fragment; the page is opened as is, without a host page.
        browser.driver().get(link.path("url").asText());
        consentAtKeycloak("d-reconnect", true);
        browser.await(
                "the reconnect to succeed",
                Duration.ofSeconds(30),
                ExpectedConditions.visibilityOfElementLocated(By.id("screen-success")));

        JsonNode repaired = api.get("/accounts/" + codeAccount).expect(200).json();
        assertThat(repaired.path("id").asText()).isEqualTo(codeAccount);
        assertThat(repaired.path("status").asText()).isEqualTo("active");
        assertThat(usernames(api, codeAccount)).contains("reviewer");
        assertThat(api.get("/accounts").expect(200).json().path("data").findValuesAsText("id"))
                .containsOnlyOnce(codeAccount);
    }

    /** The account's status reason code ({@code status_reason.code}; {@code status_code} as the brief named it). */
    private static String statusCode(JsonNode account) {
        JsonNode reason = account.path("status_reason").path("code");
        return reason.isMissingNode() || reason.isNull()
                ? account.path("status_code").asText()
                : reason.asText();
    }

    @Test
    @Order(5)
    void twoReplicasRefreshAnExpiredAccountOnce() {
        requireCodeAccount();
        replicaB = replica("B");
        Api throughB = api.at(replicaB.url() + "/v1");
        E2e.sleep(PAST_EXPIRY);
        int refreshes = proxy.grants("refresh_token");
        List<CompletableFuture<Integer>> reads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (Api replica : List.of(api, throughB)) {
                reads.add(CompletableFuture.supplyAsync(
                        () -> replica.get("/iam/users?page_size=50&mode=live", Map.of("x-account-id", codeAccount))
                                .status()));
            }
        }
        assertThat(reads.stream().map(CompletableFuture::join)).containsOnly(200);
        assertThat(proxy.grants("refresh_token") - refreshes)
                .as("refresh grants that reached Keycloak for 8 concurrent reads on two replicas")
                .isEqualTo(1);
    }

    @Test
    @Order(6)
    void inTheEmbedsPopupTheConsentHappensInThatWindowAndTheHostHearsSuccess() {
        // The browser still has reviewer's Keycloak session from (d): end it, so the popup shows the login page.
        keycloak.logout(REALM, "reviewer");
        JsonNode session = api.post(
                        "/connect/sessions",
                        Map.of("origin_owner_id", "org-popup", "origin_owner_name", "Popup", "provider", "keycloak"))
                .expect(201)
                .json();
        WebDriver driver = browser.driver();
        driver.get(host.url());
        browser.await(
                "the embed script",
                Duration.ofSeconds(20),
                d -> browser.script("return typeof window.Keyline").equals("object"));
        String hostWindow = driver.getWindowHandle();
        Set<String> before = driver.getWindowHandles();
        browser.script(
                "window.startConnect(arguments[0], arguments[1], 'popup')",
                session.path("connect_url").asText(),
                session.path("token").asText());
        String popup = browser.switchToNewWindow(before);
        consentAtKeycloak("f-popup-mode", true);

        // The callback page in the popup tells the host (its opener) and waits for Done.
        browser.await(
                "the outcome in the popup",
                Duration.ofSeconds(30),
                ExpectedConditions.visibilityOfElementLocated(By.id("screen-success")));
        browser.screenshot("f-popup-mode-3-connected");
        driver.switchTo().window(hostWindow);
        Map<?, ?> success = browser.await(
                "the host to hear success from the popup",
                Duration.ofSeconds(30),
                d -> hostEvents().stream()
                        .filter(e -> "success".equals(e.get("type")))
                        .findFirst()
                        .orElse(null));
        String accountId = String.valueOf(success.get("account_id"));
        assertThat(success.get("provider")).isEqualTo("keycloak");
        assertThat(api.get("/accounts/" + accountId)
                        .expect(200)
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("active");

        driver.switchTo().window(popup);
        driver.findElement(By.id("done")).click();
        driver.switchTo().window(hostWindow);
        browser.await(
                "the host to hear close",
                Duration.ofSeconds(20),
                d -> hostEvents().stream().anyMatch(e -> "close".equals(e.get("type"))));
    }

    /** Steps (c) to (e) continue with the account (b) linked; without it they say so rather than fail obscurely. */
    private static void requireCodeAccount() {
        assertThat(codeAccount)
                .as("the account linked by the authorization code kind in step (b)")
                .isNotNull();
    }

    private static List<String> usernames(Api tenant, String accountId) {
        JsonNode page = tenant.get("/iam/users?page_size=50&mode=live", Map.of("x-account-id", accountId))
                .expect(200)
                .json();
        return page.path("data").findValuesAsText("username");
    }
}
