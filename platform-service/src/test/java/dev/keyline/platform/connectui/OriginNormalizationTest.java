package dev.keyline.platform.connectui;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.operator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Audit finding 14: allowed origins are kept as a browser spells its Origin header, so the framing and CORS checks
 * (plain string comparisons) match what browsers send.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class OriginNormalizationTest {

    @Inject
    DataSource dataSource;

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void defaultPortsUpperCaseHostsAndTrailingSlashesAreStoredAsTheBrowserSendsThem() {
        String id = unique();
        operator()
                .body(Map.of(
                        "name",
                        "Acme " + id,
                        "allowed_origins",
                        List.of(
                                "https://App-" + id + ".Example.com:443",
                                "http://LOCALHOST:80/",
                                "HTTP://localhost:3000/",
                                "https://app-" + id + ".example.com",
                                "https://[::1]:443",
                                "https://admin-" + id + ".example.com:8443")))
                .post("/tenants")
                .then()
                .statusCode(201)
                .body(
                        "tenant.allowed_origins",
                        equalTo(List.of(
                                "https://app-" + id + ".example.com",
                                "http://localhost",
                                "http://localhost:3000",
                                "https://[::1]",
                                "https://admin-" + id + ".example.com:8443")));
    }

    @Test
    void theFramingAndCorsChecksMatchTheBrowsersOriginForAnOriginSavedWithItsDefaultPort() {
        String browserOrigin = "https://app-" + unique() + ".example.com";
        String key = operator()
                .body(Map.of(
                        "name",
                        "Acme " + unique(),
                        "allowed_origins",
                        List.of(browserOrigin.replace("https://app", "https://APP") + ":443/")))
                .post("/tenants")
                .then()
                .statusCode(201)
                .extract()
                .path("api_key.key");
        var session = as(key).body(
                        Map.of("origin_owner_id", "org-1", "origin_owner_name", "Org One", "provider", "onepassword"))
                .post("/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();

        given().get(URI.create(session.getString("connect_url")).getPath())
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", endsWith("; frame-ancestors " + browserOrigin));
        given().header("Origin", browserOrigin)
                .header("Access-Control-Request-Method", "POST")
                .options("/connect/session/link")
                .then()
                .statusCode(204)
                .header("Access-Control-Allow-Origin", browserOrigin);
        as(session.getString("token"))
                .header("Origin", browserOrigin)
                .get("/connect/session")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", browserOrigin);
    }

    @Test
    void originsWithAPathQueryUserInfoOrBadPortAreRefusedSayingWhat() {
        Map<String, String> refusals = Map.of(
                "https://app.example.com/embed", "path",
                "https://app.example.com?tab=1", "query",
                "https://app.example.com/#top", "fragment",
                "https://user:pass@app.example.com", "user name",
                "https://app.example.com:70000", "port",
                "ftp://app.example.com", "https://");
        refusals.forEach((origin, says) -> operator()
                .body(Map.of("name", "Acme " + unique(), "allowed_origins", List.of(origin)))
                .post("/tenants")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_request"))
                .body("field", equalTo("allowed_origins"))
                .body("detail", containsString(says)));
    }

    @Test
    void originsSavedBeforeWithADefaultPortAreRewrittenByTheMigration() throws IOException {
        String id = unique();
        String tenantId = operator()
                .body(Map.of("name", "Acme " + id))
                .post("/tenants")
                .then()
                .statusCode(201)
                .extract()
                .path("tenant.id");
        String saved = "[\"https://a-" + id + ".test:443\", \"http://b-" + id + ".test:80\", \"https://a-" + id
                + ".test\", \"https://c-" + id + ".test:8443\", \"http://d-" + id + ".test:443\"]";
        Sql.update(dataSource, "update tenants set allowed_origins = cast(? as jsonb) where id = ?", saved, tenantId);

        Sql.update(dataSource, migration("V400__allowed_origins_default_ports.sql"));

        assertThat(Sql.rows(dataSource, "select allowed_origins::text as o from tenants where id = ?", tenantId)
                        .get(0)
                        .get("o"))
                .isEqualTo("[\"https://a-" + id + ".test\", \"http://b-" + id + ".test\", \"https://c-" + id
                        + ".test:8443\", \"http://d-" + id + ".test:443\"]");
    }

    private static String migration(String name) throws IOException {
        try (InputStream in = OriginNormalizationTest.class.getResourceAsStream("/db/migration/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
