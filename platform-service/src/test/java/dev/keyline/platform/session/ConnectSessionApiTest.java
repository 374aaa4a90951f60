package dev.keyline.platform.session;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.credentials;
import static dev.keyline.platform.support.TestApi.goodToken;
import static dev.keyline.platform.support.TestApi.linkedAccount;
import static dev.keyline.platform.support.TestApi.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.keyline.platform.base.Tokens;
import dev.keyline.platform.problem.Problem;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import dev.keyline.platform.support.FakeScimUpstream;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class ConnectSessionApiTest {

    @Inject
    DataSource dataSource;

    @Inject
    InMemoryCredentialStore store;

    @Inject
    ConnectSessionPurger purger;

    private static String createSession(CreatedTenant tenant, Map<String, Object> body) {
        return as(tenant.apiKey())
                .body(body)
                .post("/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }

    private static Map<String, Object> owner(String id) {
        return new HashMap<>(Map.of("origin_owner_id", id, "origin_owner_name", "Owner " + id));
    }

    private static Map<String, Object> linkBody(String token) {
        return Map.of("provider", FakeScimConnectorFactory.ID, "credentials", credentials(token));
    }

    @Test
    void theConnectUrlNamesThePortKeylineListensOn() {
        // Tests listen on a random port, as KEYLINE_PORT=9090 would on another one: the default 8080 is wrong there.
        CreatedTenant tenant = newTenant();
        String connectUrl = as(tenant.apiKey())
                .body(owner("org-port"))
                .post("/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("connect_url");
        assertThat(io.restassured.RestAssured.port).isNotEqualTo(8080);
        assertThat(connectUrl).startsWith("http://localhost:" + io.restassured.RestAssured.port + "/connect/ui/");
        given().get(java.net.URI.create(connectUrl).getPath()).then().statusCode(200);
    }

    @Test
    void aSessionHasARandomTokenAConnectUrlAndThirtyMinutesByDefault() {
        CreatedTenant tenant = newTenant();
        var created = as(tenant.apiKey())
                .body(owner("org-1"))
                .post("/connect/sessions")
                .then()
                .statusCode(201)
                .body("token", startsWith("kl_cs_"))
                .body("connect_url", notNullValue())
                .extract()
                .jsonPath();
        String token = created.getString("token");
        assertThat(created.getString("connect_url")).doesNotContain(token);
        Instant expiresAt = Instant.parse(created.getString("expires_at"));
        assertThat(Duration.between(Instant.now(), expiresAt))
                .isBetween(Duration.ofMinutes(29), Duration.ofMinutes(31));

        var rows = Sql.rows(dataSource, "select * from connect_sessions where tenant_id = ?", tenant.id());
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("token_hash")).isEqualTo(Tokens.sha256(token));
        assertThat(Sql.dump(dataSource)).doesNotContain(token);
    }

    @Test
    void expiresInIsBounded() {
        CreatedTenant tenant = newTenant();
        var body = owner("org-1");
        body.put("expires_in", 5);
        as(tenant.apiKey())
                .body(body)
                .post("/connect/sessions")
                .then()
                .statusCode(400)
                .body("field", equalTo("expires_in"));
        body.put("expires_in", 10_000_000);
        as(tenant.apiKey()).body(body).post("/connect/sessions").then().statusCode(400);
        body.put("expires_in", 120);
        as(tenant.apiKey()).body(body).post("/connect/sessions").then().statusCode(201);
    }

    @Test
    void anUnknownProviderIsRejected() {
        var body = owner("org-1");
        body.put("provider", "nope");
        as(newTenant().apiKey())
                .body(body)
                .post("/connect/sessions")
                .then()
                .statusCode(400)
                .body("code", equalTo("unknown_provider"));
    }

    @Test
    void theConnectUiReadsTheSessionWithTheTokenInTheAuthorizationHeader() {
        CreatedTenant tenant = newTenant();
        String token = createSession(tenant, owner("org-1"));
        given().header("Authorization", "Bearer " + token)
                .get("/connect/session")
                .then()
                .statusCode(200)
                .body("origin_owner_name", equalTo("Owner org-1"))
                .body("connectors.id", hasItem(FakeScimConnectorFactory.ID))
                .body("account", nullValue());
        given().get("/connect/session")
                .then()
                .statusCode(401)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("session_invalid"));
    }

    @Test
    void aSessionLinksOnceAndIsThenUsed() {
        CreatedTenant tenant = newTenant();
        String token = createSession(tenant, owner("org-1"));
        String accountId = as(token)
                .body(linkBody(goodToken()))
                .post("/connect/session/link")
                .then()
                .statusCode(200)
                .body("status", equalTo("active"))
                .body("provider", equalTo(FakeScimConnectorFactory.ID))
                .extract()
                .path("account_id");
        as(tenant.apiKey())
                .get("/accounts/{id}", accountId)
                .then()
                .statusCode(200)
                .body("origin_owner_id", equalTo("org-1"));

        as(token)
                .body(linkBody(goodToken()))
                .post("/connect/session/link")
                .then()
                .statusCode(410)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("session_used"));
        as(token).get("/connect/session").then().statusCode(410).body("code", equalTo("session_used"));
    }

    @Test
    void theLocationOfANewSessionShowsItsStatePendingThenUsedThenNeverItsToken() {
        CreatedTenant tenant = newTenant();
        var created = as(tenant.apiKey())
                .body(owner("org-status"))
                .post("/v1/connect/sessions")
                .then()
                .statusCode(201)
                .extract();
        String token = created.path("token");
        String id = created.path("id");
        String location = created.header("Location");
        assertThat(java.net.URI.create(location).getPath()).isEqualTo("/v1/connect/sessions/" + id);

        as(tenant.apiKey())
                .get(location)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("state", equalTo("pending"))
                .body("origin_owner_id", equalTo("org-status"))
                .body("expires_at", equalTo(created.path("expires_at")))
                .body("linked_account_id", nullValue())
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString(token)));

        String accountId = as(token)
                .body(linkBody(goodToken()))
                .post("/v1/connect/session/link")
                .then()
                .statusCode(200)
                .extract()
                .path("account_id");
        as(tenant.apiKey())
                .get(location)
                .then()
                .statusCode(200)
                .body("state", equalTo("used"))
                .body("linked_account_id", equalTo(accountId))
                .body("used_at", notNullValue());
    }

    @Test
    void anUnusedSessionPastItsExpiryIsExpiredAndAnotherTenantsSessionIsNotFound() {
        CreatedTenant tenant = newTenant();
        CreatedTenant other = newTenant();
        var created = as(tenant.apiKey())
                .body(owner("org-expiring"))
                .post("/v1/connect/sessions")
                .then()
                .statusCode(201)
                .extract();
        String id = created.path("id");
        Sql.update(dataSource, "update connect_sessions set expires_at = now() - interval '1 second' where id = ?", id);

        as(tenant.apiKey())
                .get("/v1/connect/sessions/{id}", id)
                .then()
                .statusCode(200)
                .body("state", equalTo("expired"));
        as(other.apiKey())
                .get("/v1/connect/sessions/{id}", id)
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("not_found"));
        // The session's own token is no key to the tenant API.
        as((String) created.path("token"))
                .get("/v1/connect/sessions/{id}", id)
                .then()
                .statusCode(401);
    }

    @Test
    void concurrentLinksWithOneTokenSucceedOnlyOnce() throws Exception {
        CreatedTenant tenant = newTenant();
        String token = createSession(tenant, owner("org-1"));
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var attempts = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 4; i++) {
                String upstreamToken = goodToken();
                attempts.add(pool.submit(() -> as(token)
                        .body(linkBody(upstreamToken))
                        .post("/connect/session/link")
                        .then()
                        .extract()
                        .statusCode()));
            }
            var statuses = new java.util.ArrayList<Integer>();
            for (var attempt : attempts) {
                statuses.add(attempt.get());
            }
            assertThat(statuses).containsOnly(200, 410).containsOnlyOnce(200);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedLinkLeavesTheSessionUsableForACorrection() {
        CreatedTenant tenant = newTenant();
        String token = createSession(tenant, owner("org-1"));
        as(token)
                .body(linkBody("wrong-token"))
                .post("/connect/session/link")
                .then()
                .statusCode(422)
                .body("code", equalTo("invalid_credentials"));
        as(token)
                .body(linkBody(goodToken()))
                .post("/connect/session/link")
                .then()
                .statusCode(200);
    }

    @Test
    void anExpiredSessionIsRefused() {
        CreatedTenant tenant = newTenant();
        String token = createSession(tenant, owner("org-1"));
        Sql.update(
                dataSource,
                "update connect_sessions set expires_at = now() - interval '1 second' where token_hash = ?",
                Tokens.sha256(token));
        as(token).get("/connect/session").then().statusCode(410).body("code", equalTo("session_expired"));
        as(token)
                .body(linkBody(goodToken()))
                .post("/connect/session/link")
                .then()
                .statusCode(410)
                .body("code", equalTo("session_expired"));
        assertThat(store.accountIds(tenant.id())).isEmpty();
    }

    @Test
    void sessionsLongPastTheirExpiryArePurgedAndRecentlyExpiredOnesStillSaySo() {
        CreatedTenant tenant = newTenant();
        String live = createSession(tenant, owner("org-live"));
        String recent = createSession(tenant, owner("org-recent"));
        String old = createSession(tenant, owner("org-old"));
        String older = createSession(tenant, owner("org-older"));
        Instant now = Instant.now();
        expire(recent, now.minus(Duration.ofHours(167)));
        expire(old, now.minus(Duration.ofHours(169)));
        expire(older, now.minus(Duration.ofDays(30)));

        assertThat(purger.purge(now)).isGreaterThanOrEqualTo(2);

        assertThat(Sql.rows(
                        dataSource,
                        "select origin_owner_id from connect_sessions where tenant_id = ? order by origin_owner_id",
                        tenant.id()))
                .extracting(row -> row.get("origin_owner_id"))
                .containsExactly("org-live", "org-recent");
        as(live).get("/connect/session").then().statusCode(200);
        as(recent).get("/connect/session").then().statusCode(410).body("code", equalTo("session_expired"));
        as(old).get("/connect/session").then().statusCode(401).body("code", equalTo("session_invalid"));
    }

    private void expire(String token, Instant at) {
        Sql.update(
                dataSource,
                "update connect_sessions set expires_at = ? where token_hash = ?",
                java.sql.Timestamp.from(at),
                Tokens.sha256(token));
    }

    @Test
    void aSessionLimitedToAProviderRefusesAnother() {
        CreatedTenant tenant = newTenant();
        var body = owner("org-1");
        body.put("provider", FakeScimConnectorFactory.ID);
        String token = createSession(tenant, body);
        as(token)
                .body(Map.of("provider", "other", "credentials", credentials(goodToken())))
                .post("/connect/session/link")
                .then()
                .statusCode(400)
                .body("code", equalTo("provider_mismatch"));
    }

    @Test
    void aRelinkSessionPrefillsNonSecretValuesAndUpdatesTheSameAccount() {
        CreatedTenant tenant = newTenant();
        String accountId = linkedAccount(tenant, "org-1");
        var body = owner("org-1");
        body.put("account_id", accountId);
        String token = createSession(tenant, body);

        String view = as(token)
                .get("/connect/session")
                .then()
                .statusCode(200)
                .body("account.id", equalTo(accountId))
                .body("account.provider", equalTo(FakeScimConnectorFactory.ID))
                .body("account.values.scim_url", equalTo(FakeScimUpstream.get().url()))
                .body("account.values.token", nullValue())
                .body("connectors.id", equalTo(java.util.List.of(FakeScimConnectorFactory.ID)))
                .extract()
                .asString();
        assertThat(view)
                .doesNotContain(store.get(tenant.id(), accountId).orElseThrow().get("token"));

        String newToken = goodToken();
        as(token)
                .body(Map.of("credentials", Map.of("token", newToken)))
                .post("/connect/session/link")
                .then()
                .statusCode(200)
                .body("account_id", equalTo(accountId));
        assertThat(store.get(tenant.id(), accountId).orElseThrow()).containsEntry("token", newToken);
    }

    @Test
    void aRelinkSessionMustNameTheSameOriginOwner() {
        CreatedTenant tenant = newTenant();
        String accountId = linkedAccount(tenant, "org-1");
        var body = owner("org-2");
        body.put("account_id", accountId);
        as(tenant.apiKey())
                .body(body)
                .post("/connect/sessions")
                .then()
                .statusCode(409)
                .body("code", equalTo("account_owner_mismatch"));
    }

    @Test
    void anotherTenantCannotUseOrTargetThisTenantsSessionsAndAccounts() {
        CreatedTenant a = newTenant();
        CreatedTenant b = newTenant();
        String accountOfA = linkedAccount(a, "org-1");
        // Another owner of A's: a plain session for org-1 would be refused (account_exists), not link.
        String tokenOfA = createSession(a, owner("org-2"));

        // B cannot create a session that re-links A's account: it does not exist for B.
        var body = owner("org-1");
        body.put("account_id", accountOfA);
        as(b.apiKey())
                .body(body)
                .post("/connect/sessions")
                .then()
                .statusCode(404)
                .body("code", equalTo("not_found"));

        // B's API key is not a session token, and A's session token is not an API key.
        as(b.apiKey()).get("/connect/session").then().statusCode(401).body("code", equalTo("session_invalid"));
        as(tokenOfA).get("/accounts").then().statusCode(401);
        as(tokenOfA).body(owner("org-9")).post("/connect/sessions").then().statusCode(401);

        // Whatever A's token links belongs to A, never to B.
        String linked = as(tokenOfA)
                .body(linkBody(goodToken()))
                .post("/connect/session/link")
                .then()
                .statusCode(200)
                .extract()
                .path("account_id");
        as(b.apiKey()).get("/accounts/{id}", linked).then().statusCode(404);
        as(a.apiKey()).get("/accounts/{id}", linked).then().statusCode(200);
    }
}
