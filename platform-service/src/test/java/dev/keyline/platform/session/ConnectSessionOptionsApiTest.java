package dev.keyline.platform.session;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.credentials;
import static dev.keyline.platform.support.TestApi.goodToken;
import static dev.keyline.platform.support.TestApi.link;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.linkedAccount;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.operator;
import static dev.keyline.platform.support.TestApi.readAll;
import static dev.keyline.platform.support.TestApi.startSync;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.aMapWithSize;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import dev.keyline.platform.support.FakeScimUpstream;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.OAuthTestConnectorFactory;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The connect session options of issue 22 (providers, locale, brand, hosted with return_url, new_account) and the
 * reconnect-or-replace rule for link requests.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class ConnectSessionOptionsApiTest {
    private static final String SCIM = FakeScimConnectorFactory.ID;
    private static final String OAUTH = OAuthTestConnectorFactory.ID;
    private static final String APP_ORIGIN = "https://app.example.com";

    @Inject
    DataSource dataSource;

    @Inject
    InMemoryCredentialStore store;

    private static Map<String, Object> owner(String id) {
        return new HashMap<>(Map.of("origin_owner_id", id, "origin_owner_name", "Owner " + id));
    }

    private static JsonPath create(CreatedTenant tenant, Map<String, Object> body) {
        return as(tenant.apiKey())
                .body(body)
                .post("/v1/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    private static String token(CreatedTenant tenant, Map<String, Object> body) {
        return create(tenant, body).getString("token");
    }

    private static JsonPath view(String token) {
        return as(token)
                .get("/v1/connect/session")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** A link through the connect page's session API, as the page sends it. */
    private static ValidatableResponse sessionLink(String token, Map<String, ?> body) {
        return as(token).body(body).post("/v1/connect/session/link").then();
    }

    private static JsonPath refused(CreatedTenant tenant, Map<String, Object> body, int status) {
        return as(tenant.apiKey())
                .body(body)
                .post("/v1/connect/sessions")
                .then()
                .statusCode(status)
                .extract()
                .jsonPath();
    }

    private static CreatedTenant tenantWithOrigin(String origin) {
        var body = operator()
                .body(Map.of("name", "Tenant " + UUID.randomUUID(), "allowed_origins", List.of(origin)))
                .post("/tenants")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new CreatedTenant(
                body.getString("tenant.id"), body.getString("api_key.key"), body.getString("api_key.id"));
    }

    private int sessionRows(CreatedTenant tenant) {
        return Sql.rows(dataSource, "select id from connect_sessions where tenant_id = ?", tenant.id())
                .size();
    }

    @Test
    void providersLimitTheConnectorsShownAndTheLinkAndAreShownOnTheStatus() {
        CreatedTenant tenant = newTenant();
        var body = owner("org-providers");
        body.put("providers", List.of(OAUTH, SCIM, OAUTH));
        JsonPath created = create(tenant, body);
        String token = created.getString("token");

        JsonPath view = view(token);
        assertThat(view.getList("providers", String.class)).containsExactly(OAUTH, SCIM);
        assertThat(view.getList("connectors.id", String.class)).containsExactlyInAnyOrder(OAUTH, SCIM);
        as(tenant.apiKey())
                .get("/v1/connect/sessions/{id}", created.getString("id"))
                .then()
                .statusCode(200)
                .body("providers", equalTo(List.of(OAUTH, SCIM)))
                .body("provider", nullValue())
                .body("hosted", equalTo(false))
                .body("return_url", nullValue())
                .body("locale", nullValue())
                .body("new_account", equalTo(false));

        // With two to choose from the link must say which; one outside the list is refused.
        sessionLink(token, Map.of("credentials", credentials(goodToken())))
                .statusCode(400)
                .body("field", equalTo("provider"));
        sessionLink(token, Map.of("provider", "other", "credentials", credentials(goodToken())))
                .statusCode(400)
                .body("code", equalTo("provider_mismatch"));
        sessionLink(token, Map.of("provider", SCIM, "credentials", credentials(goodToken())))
                .statusCode(200)
                .body("provider", equalTo(SCIM));

        // One provider: the connect page skips the picker, and the link needs no provider.
        var one = owner("org-one");
        one.put("providers", List.of(SCIM));
        String single = token(tenant, one);
        assertThat(view(single).getList("connectors.id", String.class)).containsExactly(SCIM);
        sessionLink(single, Map.of("credentials", credentials(goodToken()))).statusCode(200);

        // Without providers any connector may be chosen, and providers is empty.
        JsonPath any = view(token(tenant, owner("org-any")));
        assertThat(any.getList("providers")).isEmpty();
        assertThat(any.getList("connectors.id", String.class)).contains(SCIM, OAUTH);
    }

    @Test
    void unknownOrConflictingProvidersAreRefusedNamingTheEntry() {
        CreatedTenant tenant = newTenant();
        var body = owner("org-unknown");
        body.put("providers", List.of(SCIM, "nope"));
        JsonPath problem = refused(tenant, body, 400);
        assertThat(problem.getString("code")).isEqualTo("unknown_provider");
        assertThat(problem.getString("field")).isEqualTo("providers[1]");

        body.put("providers", List.of(SCIM));
        body.put("provider", OAUTH);
        problem = refused(tenant, body, 400);
        assertThat(problem.getString("code")).isEqualTo("conflicting_parameters");
        assertThat(problem.getString("field")).isEqualTo("providers");

        var tooMany = owner("org-many");
        tooMany.put("providers", java.util.Collections.nCopies(51, SCIM));
        refused(tenant, tooMany, 400);
        assertThat(sessionRows(tenant)).isZero();

        // provider and providers agreeing is the same session as either alone.
        body.put("provider", SCIM);
        create(tenant, body);
    }

    @Test
    void theLocaleIsReducedToItsLanguageAndAnUnsupportedOneIsRefused() {
        CreatedTenant tenant = newTenant();
        var body = owner("org-locale");
        body.put("locale", "de-CH");
        JsonPath created = create(tenant, body);
        as(tenant.apiKey())
                .get("/v1/connect/sessions/{id}", created.getString("id"))
                .then()
                .body("locale", equalTo("de"));
        // The session's language wins over the page's.
        as(created.getString("token"))
                .queryParam("locale", "fr")
                .get("/v1/connect/session")
                .then()
                .statusCode(200)
                .body("locale", equalTo("de"))
                .body("messages", not(nullValue()));

        body.put("locale", "xx-YY");
        JsonPath problem = refused(tenant, body, 400);
        assertThat(problem.getString("code")).isEqualTo("unsupported_locale");
        assertThat(problem.getString("field")).isEqualTo("locale");

        // Without one, the page's supported guess, else none (the browser's languages then decide).
        String plain = token(tenant, owner("org-no-locale"));
        as(plain)
                .queryParam("locale", "ja-JP")
                .get("/v1/connect/session")
                .then()
                .body("locale", equalTo("ja"));
        as(plain)
                .queryParam("locale", "pt-BR")
                .get("/v1/connect/session")
                .then()
                .body("locale", nullValue());
        as(plain).get("/v1/connect/session").then().body("locale", nullValue()).body("messages", anEmptyMap());
    }

    @Test
    void aHostedSessionCarriesItsTokenInTheFragmentAndAPlainOneNever() {
        CreatedTenant tenant = newTenant();
        var body = owner("org-hosted");
        body.put("hosted", true);
        JsonPath created = create(tenant, body);
        String token = created.getString("token");
        String expected = "http://localhost:" + RestAssured.port + "/connect/ui/" + created.getString("id");
        assertThat(created.getString("connect_url")).isEqualTo(expected + "#token=" + token);
        // What a browser requests (the fragment stays in the browser) serves the page.
        given().get(URI.create(created.getString("connect_url")).getPath())
                .then()
                .statusCode(200);
        assertThat(view(token).getBoolean("hosted")).isTrue();
        assertThat(Sql.dump(dataSource)).doesNotContain(token);

        JsonPath plain = create(tenant, owner("org-embedded"));
        assertThat(plain.getString("connect_url")).doesNotContain("#").doesNotContain(plain.getString("token"));
        assertThat(view(plain.getString("token")).getBoolean("hosted")).isFalse();
    }

    @Test
    void aReturnUrlMustBeOnAnAllowedOriginOfAHostedSession() {
        CreatedTenant tenant = tenantWithOrigin(APP_ORIGIN);
        var body = owner("org-return");
        body.put("hosted", true);
        body.put("return_url", APP_ORIGIN + "/integrations/done?tab=1");
        JsonPath created = create(tenant, body);
        as(tenant.apiKey())
                .get("/v1/connect/sessions/{id}", created.getString("id"))
                .then()
                .body("hosted", equalTo(true))
                .body("return_url", equalTo(APP_ORIGIN + "/integrations/done?tab=1"));
        assertThat(view(created.getString("token")).getString("return_url"))
                .isEqualTo(APP_ORIGIN + "/integrations/done?tab=1");

        // The browser's spelling of the origin decides: the default port is the same origin.
        body.put("return_url", "https://APP.example.com:443/back");
        create(tenant, body);

        for (String refusedUrl : List.of(
                "https://evil.example.com/done",
                "https://app.example.com.evil.test/done",
                "http://app.example.com/done",
                "javascript:alert(1)",
                "/relative/path",
                APP_ORIGIN + "/done#fragment")) {
            body.put("return_url", refusedUrl);
            JsonPath problem = refused(tenant, body, 400);
            assertThat(problem.getString("code")).as(refusedUrl).isEqualTo("return_url_not_allowed");
            assertThat(problem.getString("field")).isEqualTo("return_url");
        }
        body.put("return_url", APP_ORIGIN + "/done");
        body.remove("hosted");
        assertThat(refused(tenant, body, 400).getString("code")).isEqualTo("return_url_not_allowed");
        body.put("hosted", false);
        assertThat(refused(tenant, body, 400).getString("code")).isEqualTo("return_url_not_allowed");
        assertThat(sessionRows(tenant)).isEqualTo(2);
    }

    @Test
    void theViewShowsTheEffectiveBrandAndAnInvalidOverrideIsRefused() {
        CreatedTenant tenant = newTenant();
        JsonPath plain = view(token(tenant, owner("org-brandless")));
        assertThat(plain.getMap("brand"))
                .containsEntry("logo", null)
                .containsEntry("primary_color", null)
                .containsEntry("appearance", "system")
                .containsEntry("hide_keyline", false);

        var body = owner("org-brand");
        body.put("brand", Map.of("primary_color", "#1A73E8", "appearance", "dark"));
        JsonPath branded = view(token(tenant, body));
        assertThat(branded.getMap("brand"))
                .containsEntry("primary_color", "#1a73e8")
                .containsEntry("appearance", "dark")
                .containsEntry("hide_keyline", false)
                .containsEntry("logo", null);

        body.put("brand", Map.of("appearance", "neon"));
        JsonPath problem = refused(tenant, body, 400);
        assertThat(problem.getString("code")).isEqualTo("invalid_brand");
        assertThat(problem.getString("field")).isEqualTo("brand.appearance");
        body.put("brand", Map.of("primary_color", "red"));
        assertThat(refused(tenant, body, 400).getString("field")).isEqualTo("brand.primary_color");
        body.put("brand", Map.of("logo", "https://example.com/logo.png"));
        assertThat(refused(tenant, body, 400).getString("field")).isEqualTo("brand.logo");
        assertThat(sessionRows(tenant)).isEqualTo(2);
    }

    @Test
    void theTenantsBrandIsTheBaseAndASessionMemberGoesOverIt() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .body(Map.of("brand", Map.of("primary_color", "#0B5FFF", "hide_keyline", true, "appearance", "light")))
                .patch("/v1/tenant")
                .then()
                .statusCode(200);
        assertThat(view(token(tenant, owner("org-tenant-brand"))).getMap("brand"))
                .containsEntry("primary_color", "#0b5fff")
                .containsEntry("appearance", "light")
                .containsEntry("hide_keyline", true);

        var body = owner("org-session-brand");
        body.put("brand", Map.of("appearance", "dark"));
        assertThat(view(token(tenant, body)).getMap("brand"))
                .containsEntry("primary_color", "#0b5fff")
                .containsEntry("appearance", "dark")
                .containsEntry("hide_keyline", true);
    }

    @Test
    void aGermanViewCarriesThePlatformsAndTheConnectorsSentences() {
        CreatedTenant tenant = newTenant();
        var body = owner("org-german");
        body.put("locale", "de");
        Map<String, String> messages = view(token(tenant, body)).getMap("messages");
        assertThat(messages).containsKey("account_exists");
        assertThat(messages.get("account_exists")).isNotBlank().doesNotContain("already");
        assertThat(messages.keySet()).anyMatch(code -> code.startsWith("scim."));
        assertThat(view(token(tenant, owner("org-english"))).getMap("messages")).isEmpty();
    }

    @Test
    void existingAccountsAreTheOwnersLiveAccountsOfTheSessionsProvidersOfThisTenantOnly() {
        CreatedTenant tenant = newTenant();
        CreatedTenant other = newTenant();
        String mine = linkedAccount(tenant, "org-ex");
        linkedAccount(tenant, "org-someone-else");
        linkedAccount(other, "org-ex");
        String unlinked = linkedAccount(tenant, "org-ex-gone");
        as(tenant.apiKey()).delete("/v1/accounts/{id}", unlinked).then().statusCode(204);

        String token = token(tenant, owner("org-ex"));
        JsonPath view = view(token);
        assertThat(view.getList("existing_accounts.id", String.class)).containsExactly(mine);
        assertThat(view.getString("existing_accounts[0].provider")).isEqualTo(SCIM);
        assertThat(view.getString("existing_accounts[0].status")).isEqualTo("active");
        assertThat(view.getString("existing_accounts[0].values.scim_url"))
                .isEqualTo(FakeScimUpstream.get().url());
        assertThat(view.getMap("existing_accounts[0].values")).doesNotContainKey("token");
        assertThat(as(token).get("/v1/connect/session").asString())
                .doesNotContain(store.get(tenant.id(), mine).orElseThrow().get("token"));

        // Limited to another provider: nothing to reconnect. Gone owner: nothing either.
        var oauthOnly = owner("org-ex");
        oauthOnly.put("providers", List.of(OAUTH));
        assertThat(view(token(tenant, oauthOnly)).getList("existing_accounts")).isEmpty();
        assertThat(view(token(tenant, owner("org-ex-gone"))).getList("existing_accounts"))
                .isEmpty();

        // A session made to re-link one account lists none: it has its account.
        var relink = owner("org-ex");
        relink.put("account_id", mine);
        JsonPath relinkView = view(token(tenant, relink));
        assertThat(relinkView.getList("existing_accounts")).isEmpty();
        assertThat(relinkView.getString("account.id")).isEqualTo(mine);
    }

    @Test
    void aPlainLinkForAnOwnerWithAnAccountIsRefusedAndAccountIdReconnectsItInPlace() {
        CreatedTenant tenant = newTenant();
        String existing = linkedAccount(tenant, "org-re");
        String before = store.get(tenant.id(), existing).orElseThrow().get("token");
        JsonPath created = create(tenant, owner("org-re"));
        String token = created.getString("token");

        sessionLink(token, Map.of("provider", SCIM, "credentials", credentials(goodToken())))
                .statusCode(409)
                .body("code", equalTo("account_exists"))
                .body("account_id", equalTo(existing));
        assertThat(store.get(tenant.id(), existing).orElseThrow()).containsEntry("token", before);
        assertThat(store.accountIds(tenant.id())).containsExactly(existing);
        as(tenant.apiKey())
                .get("/v1/connect/sessions/{id}", created.getString("id"))
                .then()
                .body("state", equalTo("pending"));

        String fresh = goodToken();
        sessionLink(token, Map.of("account_id", existing, "credentials", credentials(fresh)))
                .statusCode(200)
                .body("account_id", equalTo(existing))
                .body("provider", equalTo(SCIM));
        assertThat(store.get(tenant.id(), existing).orElseThrow()).containsEntry("token", fresh);
        assertThat(store.accountIds(tenant.id())).containsExactly(existing);
        as(tenant.apiKey())
                .get("/v1/connect/sessions/{id}", created.getString("id"))
                .then()
                .body("state", equalTo("used"))
                .body("linked_account_id", equalTo(existing));
    }

    @Test
    void anAccountIdOutsideTheSessionsExistingAccountsIsAMismatch() {
        CreatedTenant tenant = newTenant();
        CreatedTenant other = newTenant();
        String someoneElses = linkedAccount(tenant, "org-mm-other");
        String otherTenants = linkedAccount(other, "org-mm");
        String mine = linkedAccount(tenant, "org-mm");
        String token = token(tenant, owner("org-mm"));
        for (String accountId : List.of(someoneElses, otherTenants, "no-such-account")) {
            sessionLink(token, Map.of("account_id", accountId, "credentials", credentials(goodToken())))
                    .statusCode(400)
                    .body("code", equalTo("account_mismatch"))
                    .body("field", equalTo("account_id"));
        }
        // The existing account, but the request says another provider.
        sessionLink(token, Map.of("provider", OAUTH, "account_id", mine, "credentials", credentials(goodToken())))
                .statusCode(400)
                .body("code", equalTo("account_mismatch"));

        // A session made for one account takes only that one.
        var relink = owner("org-mm");
        relink.put("account_id", mine);
        String relinkToken = token(tenant, relink);
        sessionLink(relinkToken, Map.of("account_id", someoneElses, "credentials", credentials(goodToken())))
                .statusCode(400)
                .body("code", equalTo("account_mismatch"));
        sessionLink(relinkToken, Map.of("account_id", mine, "credentials", credentials(goodToken())))
                .statusCode(200)
                .body("account_id", equalTo(mine));
    }

    @Test
    void newAccountAddsASecondAccountBesideTheFirstAndTheApiKeepsUpdatingTheFirst() {
        CreatedTenant tenant = newTenant();
        String first = linkedAccount(tenant, "org-two");
        var body = owner("org-two");
        body.put("new_account", true);
        JsonPath created = create(tenant, body);
        as(tenant.apiKey())
                .get("/v1/connect/sessions/{id}", created.getString("id"))
                .then()
                .body("new_account", equalTo(true));
        JsonPath view = view(created.getString("token"));
        assertThat(view.getBoolean("new_account")).isTrue();
        assertThat(view.getList("existing_accounts.id", String.class)).containsExactly(first);

        String second = as(created.getString("token"))
                .body(Map.of("provider", SCIM, "credentials", credentials(goodToken())))
                .post("/v1/connect/session/link")
                .then()
                .statusCode(200)
                .extract()
                .path("account_id");
        assertThat(second).isNotEqualTo(first);
        assertThat(Sql.rows(
                        dataSource,
                        "select id, additional::text as additional from linked_accounts where tenant_id = ? order by created_at",
                        tenant.id()))
                .extracting(r -> r.get("id") + "/" + r.get("additional"))
                .containsExactly(first + "/false", second + "/true");

        as(tenant.apiKey())
                .queryParam("origin_owner_id", "org-two")
                .get("/v1/accounts")
                .then()
                .statusCode(200)
                .body("data.id", equalTo(List.of(first, second)));

        // The API's link keeps updating the owner's ordinary account, not the added one.
        link(tenant, "org-two", goodToken()).statusCode(200).body("id", equalTo(first));

        // With no account yet, new_account links an ordinary one.
        var fresh = owner("org-fresh");
        fresh.put("new_account", true);
        as(token(tenant, fresh))
                .body(Map.of("provider", SCIM, "credentials", credentials(goodToken())))
                .post("/v1/connect/session/link")
                .then()
                .statusCode(200);
        assertThat(Sql.rows(
                        dataSource,
                        "select additional::text as additional from linked_accounts where tenant_id = ? and origin_owner_id = ?",
                        tenant.id(),
                        "org-fresh"))
                .extracting(r -> r.get("additional"))
                .containsExactly("false");
    }

    @Test
    void twoAccountsOfOneOwnerAndProviderSyncAndReadSideBySide() {
        try (ScimUpstream one = ScimUpstream.builder()
                        .users(3)
                        .token("two-a-" + UUID.randomUUID())
                        .start();
                ScimUpstream two = ScimUpstream.builder()
                        .users(4)
                        .token("two-b-" + UUID.randomUUID())
                        .start()) {
            CreatedTenant tenant = newTenant();
            String first = linkOnePassword(tenant, "org-pair", one);
            var body = owner("org-pair");
            body.put("new_account", true);
            String second = as(token(tenant, body))
                    .body(Map.of(
                            "provider",
                            "onepassword",
                            "credentials",
                            Map.of("scim_url", two.bridgeBaseUrl(), "bearer_token", two.token())))
                    .post("/v1/connect/session/link")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("account_id");
            assertThat(second).isNotEqualTo(first);

            assertThat(awaitSync(tenant, first, startSync(tenant, first)).getString("state"))
                    .isEqualTo("succeeded");
            assertThat(awaitSync(tenant, second, startSync(tenant, second)).getString("state"))
                    .isEqualTo("succeeded");
            as(tenant.apiKey())
                    .get("/v1/snapshot?scope=owner&origin_owner_id=org-pair")
                    .then()
                    .statusCode(200)
                    .body("accounts.account_id", hasItems(first, second));
            as(tenant.apiKey())
                    .get("/v1/people?origin_owner_id=org-pair")
                    .then()
                    .statusCode(200);
            assertThat(readAll(tenant, first, "/iam/users", 10)).hasSize(3);
            assertThat(readAll(tenant, second, "/iam/users", 10)).hasSize(4);
        }
    }

    @Test
    void newAccountAndAccountIdTogetherAreRefused() {
        CreatedTenant tenant = newTenant();
        String accountId = linkedAccount(tenant, "org-both");
        var body = owner("org-both");
        body.put("account_id", accountId);
        body.put("new_account", true);
        JsonPath problem = refused(tenant, body, 400);
        assertThat(problem.getString("code")).isEqualTo("conflicting_parameters");
        assertThat(problem.getString("field")).isEqualTo("new_account");
    }

    @Test
    void theViewsNewFieldsHaveTheirDefaults() {
        CreatedTenant tenant = newTenant();
        as(token(tenant, owner("org-defaults")))
                .get("/v1/connect/session")
                .then()
                .statusCode(200)
                .body("providers", empty())
                .body("hosted", equalTo(false))
                .body("return_url", nullValue())
                .body("new_account", equalTo(false))
                .body("existing_accounts", empty())
                .body("brand", aMapWithSize(4))
                .body("locale", nullValue());
    }
}
