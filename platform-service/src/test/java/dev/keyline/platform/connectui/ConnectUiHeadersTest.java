package dev.keyline.platform.connectui;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.operator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The connect UI's security headers: framing and CORS per tenant, and no token in any URL. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class ConnectUiHeadersTest {
    private static final String APP = "https://app.acme.test";
    private static final String LOCAL_APP = "http://localhost:3000";
    private static final String EVIL = "https://evil.example";

    @TestHTTPResource("/")
    URL base;

    @Inject
    DataSource dataSource;

    record Session(String tenantKey, String token, String connectUrl) {
        String path() {
            return URI.create(connectUrl).getPath();
        }

        String id() {
            return path().substring(path().lastIndexOf('/') + 1);
        }
    }

    private static String tenantKey(List<String> origins) {
        return operator()
                .body(Map.of("name", "Acme " + UUID.randomUUID(), "allowed_origins", origins))
                .post("/tenants")
                .then()
                .statusCode(201)
                .extract()
                .path("api_key.key");
    }

    private static Session session(List<String> origins) {
        String key = tenantKey(origins);
        var body = as(key).body(
                        Map.of("origin_owner_id", "org-1", "origin_owner_name", "Org One", "provider", "onepassword"))
                .post("/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new Session(key, body.getString("token"), body.getString("connect_url"));
    }

    @Test
    void connectUrlNamesTheSessionAndNeverTheToken() {
        Session session = session(List.of(APP));

        // The port this Keyline listens on (random in tests), not a fixed 8080 (issue #15, item 15).
        assertThat(session.connectUrl())
                .matches("http://localhost:" + io.restassured.RestAssured.port + "/connect/ui/[0-9a-f-]{36}");
        assertThat(session.connectUrl()).doesNotContain(session.token());
        assertThat(Sql.rows(dataSource, "select id from connect_sessions where id = ?", session.id()))
                .hasSize(1);
        given().get(session.path())
                .then()
                .statusCode(200)
                .contentType(containsString("text/html"))
                .body(not(containsString(session.token())));
    }

    @Test
    void thePageMayBeFramedOnlyByItsTenantsOrigins() {
        Session session = session(List.of(APP, LOCAL_APP));

        given().get(session.path())
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", endsWith("; frame-ancestors " + APP + " " + LOCAL_APP))
                .header("Content-Security-Policy", startsWith("default-src 'none'; script-src 'self';"))
                .header("Cache-Control", "no-store")
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", nullValue())
                .body(containsString("data-origins=\"[&quot;" + APP + "&quot;,&quot;" + LOCAL_APP + "&quot;]\""));
    }

    @Test
    void theTenantsNameIsTextOnThePageNeverMarkup() {
        String key = operator()
                .body(Map.of("name", "Acme \"><script>alert(1)</script>", "allowed_origins", List.of(APP)))
                .post("/tenants")
                .then()
                .statusCode(201)
                .extract()
                .path("api_key.key");
        String connectUrl = as(key).body(Map.of("origin_owner_id", "org-1", "origin_owner_name", "Org One"))
                .post("/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("connect_url");

        given().get(URI.create(connectUrl).getPath())
                .then()
                .statusCode(200)
                .body(containsString("data-tenant=\"Acme &quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""))
                .body(not(containsString("<script>alert")));
    }

    @Test
    void aTenantWithoutOriginsGetsAPageNobodyMayFrame() {
        Session session = session(List.of());

        given().get(session.path())
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", endsWith("; frame-ancestors 'none'"));
    }

    @Test
    void anUnknownSessionGetsAPageNobodyMayFrame() {
        for (String id : List.of(UUID.randomUUID().toString(), "not a session", "x".repeat(300))) {
            given().urlEncodingEnabled(true)
                    .get("/connect/ui/{id}", id)
                    .then()
                    .statusCode(404)
                    .contentType(containsString("text/html"))
                    .header("Content-Security-Policy", endsWith("; frame-ancestors 'none'"))
                    .body(containsString("data-state=\"unknown\""))
                    .body(containsString("data-origins=\"[]\""));
        }
    }

    @Test
    void changedOriginsApplyFromTheNextPageLoad() {
        Session session = session(List.of(APP));
        as(session.tenantKey())
                .body(Map.of("allowed_origins", List.of(LOCAL_APP)))
                .patch("/tenant")
                .then()
                .statusCode(200);

        given().get(session.path())
                .then()
                .header("Content-Security-Policy", endsWith("; frame-ancestors " + LOCAL_APP));
    }

    @Test
    void preflightIsAnsweredOnlyForOriginsATenantAllows() {
        session(List.of(APP));
        // Tests share the database; an origin made up here is allowed by no tenant whatever ran before.
        String nobodys = "https://nobody-" + UUID.randomUUID() + ".example";
        for (String path : List.of("/connect/session", "/connect/session/link", "/v1/connect/session/oauth")) {
            given().header("Origin", APP)
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization, content-type")
                    .options(path)
                    .then()
                    .statusCode(204)
                    .header("Access-Control-Allow-Origin", APP)
                    .header("Access-Control-Allow-Headers", containsString("Authorization"))
                    .header("Vary", containsString("Origin"));
            given().header("Origin", nobodys)
                    .header("Access-Control-Request-Method", "POST")
                    .options(path)
                    .then()
                    .statusCode(403)
                    .header("Access-Control-Allow-Origin", nullValue());
        }
    }

    @Test
    void anAllowedOriginMayReadTheSessionApi() {
        Session session = session(List.of(APP));

        as(session.token())
                .header("Origin", APP)
                .get("/connect/session")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", APP)
                .header("Vary", containsString("Origin"))
                .body("connectors[0].id", equalTo("onepassword"));
    }

    @Test
    void anOriginOfAnotherTenantCannotUseOrSpendTheToken() {
        Session session = session(List.of(APP));
        session(List.of(EVIL)); // allowed for someone else: not for this session

        as(session.token())
                .header("Origin", EVIL)
                .get("/connect/session")
                .then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue())
                .body("code", equalTo("origin_not_allowed"));
        as(session.token())
                .header("Origin", EVIL)
                .body(Map.of(
                        "provider",
                        "onepassword",
                        "credentials",
                        Map.of("scim_url", "http://127.0.0.1:9/scim/v2", "bearer_token", "t-0123456789")))
                .post("/connect/session/link")
                .then()
                .statusCode(403)
                .body("code", equalTo("origin_not_allowed"));

        as(session.token()).get("/connect/session").then().statusCode(200);
        as(session.tenantKey()).get("/accounts").then().statusCode(200).body("data.size()", equalTo(0));
    }

    @Test
    void theConnectPageUsesTheSessionApiFromKeylinesOwnOriginWithoutCors() {
        Session session = session(List.of(APP));
        String self = base.getProtocol() + "://" + base.getHost() + ":" + base.getPort();

        as(session.token())
                .header("Origin", self)
                .header("Keyline-Connect-Session", session.id())
                .get("/connect/session")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void aPageCannotActForAnotherSessionThanItsOwn() {
        Session mine = session(List.of(APP));
        Session other = session(List.of(APP));

        as(mine.token())
                .header("Keyline-Connect-Session", other.id())
                .get("/connect/session")
                .then()
                .statusCode(403)
                .body("code", equalTo("session_mismatch"));
    }

    @Test
    void theEmbedScriptAndThePageAssetsAreServed() {
        given().get("/connect/embed.js")
                .then()
                .statusCode(200)
                .contentType(containsString("javascript"))
                .body(containsString("Keyline"));
        given().get("/connect/assets/connect.js").then().statusCode(200).contentType(containsString("javascript"));
        given().get("/connect/assets/connect.css").then().statusCode(200).contentType(containsString("css"));
    }
}
