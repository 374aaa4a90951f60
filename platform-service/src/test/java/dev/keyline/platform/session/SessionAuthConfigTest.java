package dev.keyline.platform.session;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.keyline.platform.authconfig.AuthCodeConnectorFactory;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A connect session may pick one of its tenant's auth configs, for the provider it is bound to. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class SessionAuthConfigTest {

    @Inject
    DataSource dataSource;

    private static String authConfig(CreatedTenant tenant) {
        return as(tenant.apiKey())
                .body(Map.of(
                        "provider",
                        AuthCodeConnectorFactory.ID,
                        "client_id",
                        "client",
                        "client_secret",
                        "secret-" + UUID.randomUUID()))
                .post("/v1/auth-configs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    private static Map<String, Object> session(String provider, String authConfigId) {
        Map<String, Object> body = new HashMap<>();
        body.put("origin_owner_id", "org-" + UUID.randomUUID());
        body.put("origin_owner_name", "Owner");
        if (provider != null) {
            body.put("provider", provider);
        }
        body.put("auth_config_id", authConfigId);
        return body;
    }

    @Test
    void aSessionKeepsThePickedConfigAndShowsItInItsStatus() {
        CreatedTenant tenant = newTenant();
        String config = authConfig(tenant);
        for (String provider : new String[] {AuthCodeConnectorFactory.ID, null}) {
            String id = as(tenant.apiKey())
                    .body(session(provider, config))
                    .post("/v1/connect/sessions")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            as(tenant.apiKey())
                    .get("/v1/connect/sessions/{id}", id)
                    .then()
                    .statusCode(200)
                    .body("auth_config_id", equalTo(config));
            assertThat(Sql.rows(dataSource, "select auth_config_id from connect_sessions where id = ?", id))
                    .singleElement()
                    .satisfies(row -> assertThat(row).containsEntry("auth_config_id", config));
        }
        String plain = as(tenant.apiKey())
                .body(session(AuthCodeConnectorFactory.ID, null))
                .post("/v1/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as(tenant.apiKey())
                .get("/v1/connect/sessions/{id}", plain)
                .then()
                .statusCode(200)
                .body("auth_config_id", nullValue());
    }

    @Test
    void anotherTenantsConfigIsNotFoundAndOneForAnotherProviderIsAMismatch() {
        CreatedTenant tenant = newTenant();
        String foreign = authConfig(newTenant());
        String own = authConfig(tenant);

        as(tenant.apiKey())
                .body(session(AuthCodeConnectorFactory.ID, foreign))
                .post("/v1/connect/sessions")
                .then()
                .statusCode(404)
                .body("code", equalTo("not_found"));
        as(tenant.apiKey())
                .body(session(FakeScimConnectorFactory.ID, own))
                .post("/v1/connect/sessions")
                .then()
                .statusCode(400)
                .body("code", equalTo("provider_mismatch"))
                .body("field", equalTo("auth_config_id"));
        assertThat(Sql.rows(dataSource, "select id from connect_sessions where tenant_id = ?", tenant.id()))
                .isEmpty();
    }
}
