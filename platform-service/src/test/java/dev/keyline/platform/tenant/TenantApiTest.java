package dev.keyline.platform.tenant;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.operator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.keyline.platform.base.Tokens;
import dev.keyline.platform.problem.Problem;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class TenantApiTest {

    @Inject
    DataSource dataSource;

    @Inject
    TenantService tenantService;

    @Test
    void creatingATenantShowsItsFirstKeyOnceAndStoresOnlyItsHash() {
        var created = operator()
                .body(Map.of("name", "Acme", "allowed_origins", List.of("https://App.Acme.test/")))
                .post("/tenants")
                .then()
                .statusCode(201)
                .body("tenant.id", notNullValue())
                .body("tenant.name", equalTo("Acme"))
                .body("tenant.allowed_origins", equalTo(List.of("https://app.acme.test")))
                .body("api_key.key", startsWith("kl_live_"))
                .extract()
                .jsonPath();
        String tenantId = created.getString("tenant.id");
        String key = created.getString("api_key.key");

        List<Map<String, String>> keys = Sql.rows(dataSource, "select * from api_keys where tenant_id = ?", tenantId);
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).get("key_hash")).isEqualTo(Tokens.sha256(key));
        assertThat(keys.get(0).values()).doesNotContain(key);
        assertThat(Sql.dump(dataSource)).doesNotContain(key);

        // Never shown again: listing keys has no secret.
        operator()
                .get("/tenants/{id}/api-keys", tenantId)
                .then()
                .statusCode(200)
                .body("data[0].key", nullValue())
                .body("data[0].prefix", equalTo(key.substring(0, 12)))
                .body(not(org.hamcrest.Matchers.containsString(key)));
    }

    @Test
    void theTenantKeyAuthenticatesAndRecordsLastUse() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey()).get("/tenant").then().statusCode(200).body("id", equalTo(tenant.id()));
        operator().get("/tenants/{id}/api-keys", tenant.id()).then().body("data[0].last_used_at", notNullValue());
    }

    @Test
    void aRevokedKeyNoLongerAuthenticates() {
        CreatedTenant tenant = newTenant();
        String second = operator()
                .body(Map.of("name", "ci"))
                .post("/tenants/{id}/api-keys", tenant.id())
                .then()
                .statusCode(201)
                .body("key", startsWith("kl_live_"))
                .extract()
                .path("key");
        as(second).get("/tenant").then().statusCode(200);
        // Used just before, so the replica holds it as recently confirmed: the revocation must drop that.
        as(tenant.apiKey()).get("/tenant").then().statusCode(200);

        operator()
                .delete("/tenants/{id}/api-keys/{key}", tenant.id(), tenant.apiKeyId())
                .then()
                .statusCode(204);

        as(tenant.apiKey())
                .get("/tenant")
                .then()
                .statusCode(401)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("unauthorized"));
        as(second).get("/tenant").then().statusCode(200);
        operator()
                .get("/tenants/{id}/api-keys", tenant.id())
                .then()
                .body("data.find { it.id == '" + tenant.apiKeyId() + "' }.revoked_at", notNullValue());
    }

    @Test
    void requestsWithoutCredentialsAreRefusedWith401Problem() {
        given().get("/tenants")
                .then()
                .statusCode(401)
                .contentType(Problem.MEDIA_TYPE)
                .header("WWW-Authenticate", "Bearer")
                .body("code", equalTo("unauthorized"));
        given().get("/accounts").then().statusCode(401).body("code", equalTo("unauthorized"));
        as("kl_live_not-a-real-key").get("/accounts").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        as("kl_op_wrong-operator-key").get("/tenants").then().statusCode(401);
    }

    @Test
    void aTenantKeyOnAnOperatorEndpointIsForbidden() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .get("/tenants")
                .then()
                .statusCode(403)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("forbidden"));
        as(tenant.apiKey()).body(Map.of("name", "Evil")).post("/tenants").then().statusCode(403);
        as(tenant.apiKey()).post("/tenants/{id}/api-keys", tenant.id()).then().statusCode(403);
    }

    @Test
    void theOperatorKeyIsNotATenant() {
        operator().get("/accounts").then().statusCode(403).body("code", equalTo("forbidden"));
    }

    @Test
    void operatorsListAndDeleteTenantsAndDeletionDisablesTheirKeys() {
        CreatedTenant tenant = newTenant();
        assertThat(allIds("/v1/tenants")).contains(tenant.id());
        as(tenant.apiKey()).get("/accounts").then().statusCode(200);

        operator().delete("/tenants/{id}", tenant.id()).then().statusCode(204);

        operator().get("/tenants/{id}", tenant.id()).then().statusCode(404).body("code", equalTo("not_found"));
        operator().delete("/tenants/{id}", tenant.id()).then().statusCode(404);
        as(tenant.apiKey()).get("/tenant").then().statusCode(401);
        as(tenant.apiKey()).get("/accounts").then().statusCode(401);
        assertThat(Sql.rows(dataSource, "select id from api_keys where tenant_id = ?", tenant.id()))
                .isEmpty();
    }

    @Test
    void tenantsManageTheirAllowedOriginsAndBadOriginsAreRejected() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .body(Map.of("allowed_origins", List.of("https://app.example.com", "http://localhost:3000")))
                .patch("/tenant")
                .then()
                .statusCode(200)
                .body("allowed_origins", equalTo(List.of("https://app.example.com", "http://localhost:3000")));
        assertThat(tenantService.allowedOrigins(tenant.id()))
                .containsExactly("https://app.example.com", "http://localhost:3000");

        as(tenant.apiKey())
                .body(Map.of("allowed_origins", List.of("https://app.example.com/path?x=1")))
                .patch("/tenant")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_request"))
                .body("field", equalTo("allowed_origins"));
    }

    @Test
    void theLocationOfANewTenantAndOfANewKeyAnswersWithoutTheSecret() {
        var created = operator()
                .body(Map.of("name", "Located"))
                .post("/v1/tenants")
                .then()
                .statusCode(201)
                .extract();
        String tenantId = created.path("tenant.id");
        String tenantLocation = created.header("Location");
        assertThat(URI.create(tenantLocation).getPath()).isEqualTo("/v1/tenants/" + tenantId);
        operator().get(tenantLocation).then().statusCode(200).body("id", equalTo(tenantId));

        var issued = operator()
                .body(Map.of("name", "ci"))
                .post("/v1/tenants/{id}/api-keys", tenantId)
                .then()
                .statusCode(201)
                .extract();
        String keyId = issued.path("id");
        String secret = issued.path("key");
        String keyLocation = issued.header("Location");
        assertThat(URI.create(keyLocation).getPath()).isEqualTo("/v1/tenants/" + tenantId + "/api-keys/" + keyId);
        operator()
                .get(keyLocation)
                .then()
                .statusCode(200)
                .body("id", equalTo(keyId))
                .body("name", equalTo("ci"))
                .body("prefix", equalTo(secret.substring(0, 12)))
                .body("revoked_at", nullValue())
                .body(not(org.hamcrest.Matchers.containsString(secret)));

        operator().delete(keyLocation).then().statusCode(204).body(org.hamcrest.Matchers.emptyString());
        operator().get(keyLocation).then().statusCode(200).body("revoked_at", notNullValue());
    }

    @Test
    void anotherTenantsKeyIsNotFoundUnderThisTenant() {
        CreatedTenant tenant = newTenant();
        CreatedTenant other = newTenant();
        operator()
                .get("/v1/tenants/{id}/api-keys/{key}", tenant.id(), other.apiKeyId())
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("not_found"));
        operator()
                .get("/v1/tenants/{id}/api-keys/{key}", other.id(), other.apiKeyId())
                .then()
                .statusCode(200);
        as(tenant.apiKey())
                .get("/v1/tenants/{id}/api-keys/{key}", tenant.id(), tenant.apiKeyId())
                .then()
                .statusCode(403);
    }

    @Test
    void apiKeysArePagedByCursorInCreationOrder() {
        CreatedTenant tenant = newTenant();
        List<String> ids = new ArrayList<>(List.of(tenant.apiKeyId()));
        for (int i = 0; i < 2; i++) {
            ids.add(operator()
                    .body(Map.of("name", "k" + i))
                    .post("/v1/tenants/{id}/api-keys", tenant.id())
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id"));
        }
        var first = operator()
                .get("/v1/tenants/{id}/api-keys?page_size=2", tenant.id())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(first.getList("data.id", String.class)).containsExactly(ids.get(0), ids.get(1));
        assertThat(first.getString("next")).isNotNull();
        operator()
                .queryParam("cursor", first.getString("next"))
                .queryParam("page_size", 2)
                .get("/v1/tenants/{id}/api-keys", tenant.id())
                .then()
                .statusCode(200)
                .body("data.id", equalTo(List.of(ids.get(2))))
                .body("$", hasKey("next"))
                .body("next", nullValue());
        for (String bad : List.of("0", "201", "many")) {
            operator()
                    .get("/v1/tenants/{id}/api-keys?page_size=" + bad, tenant.id())
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("invalid_parameter"))
                    .body("field", equalTo("page_size"));
        }
        operator()
                .get("/v1/tenants/{id}/api-keys?cursor=%%%", tenant.id())
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_cursor"));
    }

    @Test
    void tenantsArePagedByCursorEachOnceInCreationOrder() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            mine.add(newTenant().id());
        }
        List<String> all = allIds("/v1/tenants?page_size=2");
        assertThat(all).doesNotHaveDuplicates();
        assertThat(all.subList(all.indexOf(mine.get(0)), all.size())).containsSubsequence(mine);
        operator()
                .get("/v1/tenants?page_size=0")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_parameter"))
                .body("field", equalTo("page_size"));
    }

    /** Every id of a paged operator list, following {@code next} to the end. */
    private static List<String> allIds(String path) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = operator();
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get(path).then().statusCode(200).extract().jsonPath();
            ids.addAll(page.getList("data.id", String.class));
            cursor = page.getString("next");
            assertThat(++pages).as("pages").isLessThan(10_000);
        } while (cursor != null);
        return ids;
    }

    @Test
    void createTenantForBootstrapReturnsAWorkingKey() {
        var created = tenantService.createTenant("Bootstrap");
        assertThat(created.apiKey().key()).startsWith(Tokens.API_KEY_PREFIX);
        assertThat(created.apiKey().toString()).doesNotContain(created.apiKey().key());
        as(created.apiKey().key()).get("/tenant").then().statusCode(200).body("name", equalTo("Bootstrap"));
    }

    @Test
    void aBlankTenantNameIsRejected() {
        operator()
                .body(Map.of("name", " "))
                .post("/tenants")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("invalid_request"))
                .body("errors[0].field", equalTo("name"));
    }
}
