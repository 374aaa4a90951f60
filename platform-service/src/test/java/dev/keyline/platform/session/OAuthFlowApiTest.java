package dev.keyline.platform.session;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.operator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.oauth.OAuthValues;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.OAuthServerDouble;
import dev.keyline.platform.support.OAuthTestConnectorFactory;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The authorization code kind through a connect session: the start's authorization URL, the callback against an
 * authorization server double that checks PKCE, client and redirect URI, and what is (not) linked and stored.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class OAuthFlowApiTest {
    private static final Pattern DATA = Pattern.compile("data-([a-z-]+)=\"([^\"]*)\"");
    private static OAuthServerDouble idp;

    @Inject
    DataSource dataSource;

    @Inject
    InMemoryCredentialStore store;

    @Inject
    OAuthFlowService flows;

    @BeforeAll
    static void start() {
        idp = new OAuthServerDouble();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    private record Session(String id, String token) {}

    private static Session session(CreatedTenant tenant, String owner, String provider, String accountId) {
        Map<String, Object> body =
                new HashMap<>(Map.of("origin_owner_id", owner, "origin_owner_name", "Owner " + owner));
        body.put("provider", provider);
        if (accountId != null) {
            body.put("account_id", accountId);
        }
        var created = as(tenant.apiKey())
                .body(body)
                .post("/v1/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Session(created.getString("id"), created.getString("token"));
    }

    private static Response startOAuth(Session session, Map<String, Object> body) {
        return as(session.token()).body(body).post("/v1/connect/session/oauth");
    }

    private static String authorizeUrl(Session session) {
        return startOAuth(session, Map.of("values", Map.of("base_url", idp.baseUrl())))
                .then()
                .statusCode(200)
                .extract()
                .path("authorize_url");
    }

    /** What the provider's consent page sends the browser back to (it approves at once). */
    private static URI consent(String authorizeUrl) {
        String location = given().redirects()
                .follow(false)
                .urlEncodingEnabled(false)
                .get(authorizeUrl)
                .then()
                .statusCode(302)
                .extract()
                .header("Location");
        return URI.create(location);
    }

    /** The callback page, as the browser loads it. */
    private static Response callback(URI uri) {
        assertThat(uri.getPath()).isEqualTo("/connect/oauth/callback");
        return given().urlEncodingEnabled(false).get(uri.getRawPath() + "?" + uri.getRawQuery());
    }

    private static Map<String, String> outcome(Response page) {
        Map<String, String> data = new HashMap<>();
        Matcher m = DATA.matcher(page.body().asString().split("<head>")[0]);
        while (m.find()) {
            data.put(m.group(1), m.group(2));
        }
        return data;
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            out.put(
                    URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static String s256(String verifier) throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    }

    private String dump() {
        return Sql.dump(dataSource);
    }

    @Test
    void aConsentLinksTheAccountWithPkceAndKeepsTokensStateAndVerifierOutOfPostgres() throws Exception {
        CreatedTenant tenant = newTenant();
        Session session = session(tenant, "org-ok", OAuthTestConnectorFactory.ID, null);
        URI authorize = URI.create(authorizeUrl(session));
        Map<String, String> asked = query(authorize);
        assertThat(authorize.toString()).startsWith(idp.baseUrl() + "/authorize?");
        assertThat(asked)
                .containsEntry("response_type", "code")
                .containsEntry("client_id", OAuthServerDouble.CLIENT_ID)
                .containsEntry("redirect_uri", "http://localhost:" + RestAssured.port + "/connect/oauth/callback")
                .containsEntry("scope", "directory.read offline_access")
                .containsEntry("code_challenge_method", "S256");
        assertThat(asked.get("state")).hasSizeGreaterThanOrEqualTo(43);
        assertThat(asked.get("code_challenge")).hasSize(43);

        URI back = consent(authorize.toString());
        Map<String, String> answered = query(back);
        Response page = callback(back);
        Map<String, String> outcome = outcome(page);
        assertThat(page.statusCode()).as(page.body().asString()).isEqualTo(200);
        assertThat(outcome).containsEntry("outcome", "success").containsEntry("provider", OAuthTestConnectorFactory.ID);
        String accountId = outcome.get("account-id");
        assertThat(page.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(page.header("Cache-Control")).isEqualTo("no-store");

        // The verifier the token endpoint got is the one whose challenge went to the authorization endpoint.
        Map<String, String> exchange = idp.tokenRequests().stream()
                .filter(r -> answered.get("code").equals(r.get("code")))
                .findFirst()
                .orElseThrow();
        assertThat(s256(exchange.get("code_verifier"))).isEqualTo(asked.get("code_challenge"));
        assertThat(exchange.get("redirect_uri")).isEqualTo(asked.get("redirect_uri"));

        Map<String, String> stored = store.get(tenant.id(), accountId).orElseThrow();
        assertThat(stored)
                .containsEntry(OAuthValues.KIND, "oauth2_authorization_code")
                .containsEntry(OAuthValues.APP, "operator")
                .containsEntry("base_url", idp.baseUrl())
                .containsKey(OAuthValues.ACCESS_TOKEN)
                .containsKey(OAuthValues.REFRESH_TOKEN);
        assertThat(idp.protectedCalls()).contains("Bearer " + stored.get(OAuthValues.ACCESS_TOKEN));
        String body = page.body().asString();
        String database = dump();
        for (String secret : new String[] {
            answered.get("code"),
            answered.get("state"),
            exchange.get("code_verifier"),
            stored.get(OAuthValues.ACCESS_TOKEN),
            stored.get(OAuthValues.REFRESH_TOKEN)
        }) {
            assertThat(body).doesNotContain(secret);
            assertThat(database).doesNotContain(secret);
        }
        assertThat(Sql.rows(dataSource, "select state_hash from oauth_flows where session_id = ?", session.id()))
                .hasSize(1);
        as(tenant.apiKey())
                .get("/v1/connect/sessions/{id}", session.id())
                .then()
                .body("state", equalTo("used"))
                .body("linked_account_id", equalTo(accountId));

        // The same answer again: the state was spent.
        Response replay = callback(back);
        assertThat(replay.statusCode()).isEqualTo(400);
        assertThat(outcome(replay)).containsEntry("outcome", "error").containsEntry("code", "oauth_state_invalid");
    }

    @Test
    void declinedConsentLinksNothingAndTheSessionCanTryAgain() {
        CreatedTenant tenant = newTenant();
        Session session = session(tenant, "org-deny", OAuthTestConnectorFactory.ID, null);
        String state = query(URI.create(authorizeUrl(session))).get("state");
        Response page = given().queryParam("error", "access_denied")
                .queryParam("error_description", "The user declined")
                .queryParam("state", state)
                .get("/connect/oauth/callback");
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(outcome(page)).containsEntry("outcome", "error").containsEntry("code", "access_denied");
        assertThat(page.body().asString()).contains("You declined");
        assertThat(store.accountIds(tenant.id())).isEmpty();

        Response again = callback(consent(authorizeUrl(session)));
        assertThat(outcome(again)).containsEntry("outcome", "success");
    }

    @Test
    void aCodeTheTokenEndpointRefusesLinksNothingAndLeavesTheSessionUsable() {
        CreatedTenant tenant = newTenant();
        Session session = session(tenant, "org-bad-code", OAuthTestConnectorFactory.ID, null);
        String state = query(URI.create(authorizeUrl(session))).get("state");
        Response page = given().queryParam("code", "code-forged")
                .queryParam("state", state)
                .get("/connect/oauth/callback");
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(outcome(page)).containsEntry("code", "auth.invalid_grant");
        assertThat(page.body().asString()).doesNotContain("code-forged").doesNotContain(state);
        assertThat(store.accountIds(tenant.id())).isEmpty();
        assertThat(Sql.rows(dataSource, "select id from linked_accounts where tenant_id = ?", tenant.id()))
                .isEmpty();
        as(session.token()).get("/v1/connect/session").then().statusCode(200);
    }

    @Test
    void anExpiredSessionAnswersNoCallback() {
        CreatedTenant tenant = newTenant();
        Session session = session(tenant, "org-late", OAuthTestConnectorFactory.ID, null);
        URI back = consent(authorizeUrl(session));
        Sql.update(
                dataSource,
                "update connect_sessions set expires_at = now() - interval '1 second' where id = ?",
                session.id());
        Response page = callback(back);
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(outcome(page)).containsEntry("code", "session_expired");
        assertThat(store.accountIds(tenant.id())).isEmpty();
    }

    @Test
    void aNewStartSupersedesTheEarlierOne() {
        CreatedTenant tenant = newTenant();
        Session session = session(tenant, "org-twice", OAuthTestConnectorFactory.ID, null);
        URI first = consent(authorizeUrl(session));
        URI second = consent(authorizeUrl(session));
        assertThat(outcome(callback(first))).containsEntry("code", "oauth_state_invalid");
        assertThat(outcome(callback(second))).containsEntry("outcome", "success");
    }

    @Test
    void aReconnectKeepsTheAccountIdAndReplacesTheTokens() {
        CreatedTenant tenant = newTenant();
        String accountId = outcome(
                        callback(consent(authorizeUrl(session(tenant, "org-re", OAuthTestConnectorFactory.ID, null)))))
                .get("account-id");
        String before = store.get(tenant.id(), accountId).orElseThrow().get(OAuthValues.ACCESS_TOKEN);

        Session reconnect = session(tenant, "org-re", null, accountId);
        Response page = callback(consent(authorizeUrl(reconnect)));
        assertThat(outcome(page)).containsEntry("outcome", "success").containsEntry("account-id", accountId);
        assertThat(page.body().asString()).contains("reconnected");
        String after = store.get(tenant.id(), accountId).orElseThrow().get(OAuthValues.ACCESS_TOKEN);
        assertThat(after).isNotNull().isNotEqualTo(before);
        assertThat(store.accountIds(tenant.id())).containsExactly(accountId);
    }

    @Test
    void theStartRefusesWhatItCannotSignInTo() {
        CreatedTenant tenant = newTenant();
        Session session = session(tenant, "org-refused", OAuthTestConnectorFactory.ID, null);
        startOAuth(session, Map.of("values", Map.of("base_url", "https://169.254.169.254")))
                .then()
                .statusCode(422)
                .body("code", equalTo("egress_denied"))
                .body("field", equalTo("values.base_url"));
        startOAuth(session, Map.of("values", Map.of()))
                .then()
                .statusCode(400)
                .body("field", equalTo("values.base_url"));
        startOAuth(session, Map.of("values", Map.of("base_url", idp.baseUrl(), "token", "x")))
                .then()
                .statusCode(400)
                .body("code", equalTo("unknown_field"));

        Session scim = session(tenant, "org-scim", FakeScimConnectorFactory.ID, null);
        startOAuth(scim, Map.of("values", Map.of()))
                .then()
                .statusCode(422)
                .body("code", equalTo("auth_kind_unsupported"));
        assertThat(Sql.rows(
                        dataSource, "select id from oauth_flows where session_id in (?, ?)", session.id(), scim.id()))
                .isEmpty();
    }

    @Test
    void theSessionLinkTakesAnAuthKind() {
        CreatedTenant tenant = newTenant();
        Session session = session(tenant, "org-cc", OAuthTestConnectorFactory.ID, null);
        String accountId = as(session.token())
                .body(Map.of(
                        "auth_kind",
                        "oauth2_client_credentials",
                        "credentials",
                        Map.of(
                                "base_url", idp.baseUrl(),
                                "client_id", OAuthServerDouble.CLIENT_ID,
                                "client_secret", OAuthServerDouble.CLIENT_SECRET)))
                .post("/v1/connect/session/link")
                .then()
                .statusCode(200)
                .body("status", equalTo("active"))
                .extract()
                .path("account_id");
        assertThat(store.get(tenant.id(), accountId).orElseThrow())
                .containsEntry(OAuthValues.KIND, "oauth2_client_credentials");
    }

    @Test
    void aStartRecordsItsDisplayAndTheOutcomeCarriesWhatTheCallbackPageNeeds() {
        String origin = "https://app.example.com";
        var created = operator()
                .body(Map.of("name", "Tenant " + UUID.randomUUID(), "allowed_origins", List.of(origin)))
                .post("/tenants")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String apiKey = created.getString("api_key.key");
        var body = new HashMap<String, Object>(Map.of(
                "origin_owner_id",
                "org-display",
                "origin_owner_name",
                "Owner",
                "provider",
                OAuthTestConnectorFactory.ID,
                "hosted",
                true,
                "return_url",
                origin + "/done"));
        var made = as(apiKey)
                .body(body)
                .post("/v1/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        Session session = new Session(made.getString("id"), made.getString("token"));

        startOAuth(session, Map.of("values", Map.of("base_url", idp.baseUrl()), "display", "tab"))
                .then()
                .statusCode(400)
                .body("field", equalTo("display"));
        authorizeUrl(session);
        assertThat(Sql.rows(dataSource, "select display from oauth_flows where session_id = ?", session.id()))
                .extracting(r -> r.get("display"))
                .containsExactly("popup");
        String authorize = startOAuth(
                        session, Map.of("values", Map.of("base_url", idp.baseUrl()), "display", "redirect"))
                .then()
                .statusCode(200)
                .extract()
                .path("authorize_url");
        assertThat(Sql.rows(dataSource, "select display from oauth_flows where session_id = ?", session.id()))
                .extracting(r -> r.get("display"))
                .containsExactly("redirect");

        Map<String, String> back = query(consent(authorize));
        OAuthFlowService.Outcome outcome = flows.complete(back.get("code"), back.get("state"), null, null);
        assertThat(outcome.success()).as(outcome.message()).isTrue();
        assertThat(outcome.display()).isEqualTo("redirect");
        assertThat(outcome.hosted()).isTrue();
        assertThat(outcome.returnUrl()).isEqualTo(origin + "/done");
        assertThat(outcome.sessionId()).isEqualTo(session.id());
        assertThat(outcome.allowedOrigins()).containsExactly(origin);
        assertThat(outcome.relink()).isFalse();

        // A replay knows no flow: nothing to say where to go.
        OAuthFlowService.Outcome replay = flows.complete(back.get("code"), back.get("state"), null, null);
        assertThat(replay.success()).isFalse();
        assertThat(replay.display()).isNull();
        assertThat(replay.allowedOrigins()).isEmpty();
    }

    @Test
    void anOwnerWithAnAccountMustReconnectItByAccountIdAndKeepsItsId() {
        CreatedTenant tenant = newTenant();
        String accountId = outcome(
                        callback(consent(authorizeUrl(session(tenant, "org-oa", OAuthTestConnectorFactory.ID, null)))))
                .get("account-id");
        String before = store.get(tenant.id(), accountId).orElseThrow().get(OAuthValues.ACCESS_TOKEN);

        Session plain = session(tenant, "org-oa", OAuthTestConnectorFactory.ID, null);
        startOAuth(plain, Map.of("values", Map.of("base_url", idp.baseUrl())))
                .then()
                .statusCode(409)
                .body("code", equalTo("account_exists"))
                .body("account_id", equalTo(accountId));
        assertThat(Sql.rows(dataSource, "select id from oauth_flows where session_id = ?", plain.id()))
                .isEmpty();
        startOAuth(plain, Map.of("values", Map.of("base_url", idp.baseUrl()), "account_id", "someone-elses"))
                .then()
                .statusCode(400)
                .body("code", equalTo("account_mismatch"));

        String authorize = startOAuth(
                        plain, Map.of("values", Map.of("base_url", idp.baseUrl()), "account_id", accountId))
                .then()
                .statusCode(200)
                .extract()
                .path("authorize_url");
        Map<String, String> page = outcome(callback(consent(authorize)));
        assertThat(page).containsEntry("outcome", "success").containsEntry("account-id", accountId);
        assertThat(store.accountIds(tenant.id())).containsExactly(accountId);
        assertThat(store.get(tenant.id(), accountId).orElseThrow().get(OAuthValues.ACCESS_TOKEN))
                .isNotNull()
                .isNotEqualTo(before);
    }
}
