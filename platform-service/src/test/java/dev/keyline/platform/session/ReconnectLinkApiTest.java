package dev.keyline.platform.session;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.credentials;
import static dev.keyline.platform.support.TestApi.goodToken;
import static dev.keyline.platform.support.TestApi.linkedAccount;
import static dev.keyline.platform.support.TestApi.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.base.Tokens;
import dev.keyline.platform.problem.Problem;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class ReconnectLinkApiTest {

    @Inject
    DataSource dataSource;

    @Inject
    InMemoryCredentialStore store;

    private static ExtractableResponse<Response> reconnectLink(CreatedTenant tenant, String accountId) {
        return given().header("Authorization", "Bearer " + tenant.apiKey())
                .post("/v1/accounts/{id}/reconnect-link", accountId)
                .then()
                .statusCode(201)
                .extract();
    }

    /** What the connect page reads from its URL's fragment. */
    private static String fragmentToken(String url) {
        String fragment = URI.create(url).getFragment();
        assertThat(fragment).startsWith("token=");
        return fragment.substring("token=".length());
    }

    @Test
    void theLinkIsTheConnectPageWithTheTokenInTheFragmentAndRepairsTheSameAccountOnce() {
        CreatedTenant tenant = newTenant();
        String accountId = linkedAccount(tenant, "org-reconnect");
        var created = reconnectLink(tenant, accountId);
        String sessionId = created.path("session_id");
        String url = created.path("url");

        String page = "http://localhost:" + RestAssured.port + "/connect/ui/" + sessionId;
        assertThat(url).startsWith(page + "#token=kl_cs_");
        assertThat(URI.create(url).getRawQuery()).isNull();
        String token = fragmentToken(url);
        assertThat(Sql.rows(dataSource, "select * from connect_sessions where id = ?", sessionId))
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .containsEntry("token_hash", Tokens.sha256(token))
                        .containsEntry("account_id", accountId)
                        .containsEntry("origin_owner_id", "org-reconnect")
                        .containsEntry("provider", FakeScimConnectorFactory.ID));
        assertThat(Sql.dump(dataSource)).doesNotContain(token);
        assertThat(Duration.between(Instant.now(), Instant.parse(created.path("expires_at"))))
                .isBetween(
                        Duration.ofDays(7).minusMinutes(1), Duration.ofDays(7).plusMinutes(1));
        as(tenant.apiKey())
                .get(created.header("Location"))
                .then()
                .statusCode(200)
                .body("id", equalTo(sessionId))
                .body("state", equalTo("pending"))
                .body("account_id", equalTo(accountId))
                .body("hosted", equalTo(true));

        // The page without the fragment is what a server ever sees.
        given().get(URI.create(url).getPath()).then().statusCode(200);
        as(token)
                .get("/v1/connect/session")
                .then()
                .statusCode(200)
                .body("account.id", equalTo(accountId))
                .body("connectors.id", equalTo(java.util.List.of(FakeScimConnectorFactory.ID)))
                .body("hosted", equalTo(true))
                .body("existing_accounts", org.hamcrest.Matchers.empty());
        String newToken = goodToken();
        as(token)
                .body(Map.of("credentials", Map.of("token", newToken)))
                .post("/v1/connect/session/link")
                .then()
                .statusCode(200)
                .body("account_id", equalTo(accountId))
                .body("status", equalTo("active"));
        assertThat(store.get(tenant.id(), accountId).orElseThrow()).containsEntry("token", newToken);

        as(token)
                .body(Map.of("credentials", credentials(goodToken())))
                .post("/v1/connect/session/link")
                .then()
                .statusCode(410)
                .body("code", equalTo("session_used"));
    }

    @Test
    void anExpiredLinkIsRefusedAndExpiresInIsBounded() {
        CreatedTenant tenant = newTenant();
        String accountId = linkedAccount(tenant, "org-expiring");
        var created = reconnectLink(tenant, accountId);
        Sql.update(
                dataSource,
                "update connect_sessions set expires_at = now() - interval '1 second' where id = ?",
                (String) created.path("session_id"));
        String token = fragmentToken(created.path("url"));
        as(token).get("/v1/connect/session").then().statusCode(410).body("code", equalTo("session_expired"));

        var asked = as(tenant.apiKey())
                .body(Map.of("expires_in", 3600))
                .post("/v1/accounts/{id}/reconnect-link", accountId)
                .then()
                .statusCode(201)
                .extract();
        assertThat(Duration.between(Instant.now(), Instant.parse(asked.path("expires_at"))))
                .isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));
        for (long wrong : new long[] {5, Duration.ofDays(31).toSeconds()}) {
            as(tenant.apiKey())
                    .body(Map.of("expires_in", wrong))
                    .post("/v1/accounts/{id}/reconnect-link", accountId)
                    .then()
                    .statusCode(400)
                    .body("field", equalTo("expires_in"));
        }
    }

    @Test
    void anUnlinkedAccountIsAConflictAndAnotherTenantsAccountIsNotFound() {
        CreatedTenant tenant = newTenant();
        CreatedTenant other = newTenant();
        String accountId = linkedAccount(tenant, "org-gone");

        given().header("Authorization", "Bearer " + other.apiKey())
                .post("/v1/accounts/{id}/reconnect-link", accountId)
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("not_found"));

        as(tenant.apiKey()).delete("/v1/accounts/{id}", accountId).then().statusCode(204);
        given().header("Authorization", "Bearer " + tenant.apiKey())
                .post("/v1/accounts/{id}/reconnect-link", accountId)
                .then()
                .statusCode(409)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("account_unlinked"));
        assertThat(Sql.rows(dataSource, "select id from connect_sessions where account_id = ?", accountId))
                .isEmpty();
    }
}
