package dev.keyline.platform.authconfig;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.keyline.platform.credential.CredentialStore.Namespace;
import dev.keyline.platform.problem.Problem;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.LogCapture;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class AuthConfigApiTest {
    private static final String PATH = "/v1/auth-configs";

    @Inject
    DataSource dataSource;

    @Inject
    InMemoryCredentialStore store;

    static String secret() {
        return "acs-secret-" + UUID.randomUUID();
    }

    static Map<String, Object> body(String clientId, String secret) {
        Map<String, Object> body = new HashMap<>();
        body.put("provider", AuthCodeConnectorFactory.ID);
        body.put("client_id", clientId);
        body.put("client_secret", secret);
        return body;
    }

    static String create(CreatedTenant tenant, String clientId, String secret) {
        return as(tenant.apiKey())
                .body(body(clientId, secret))
                .post(PATH)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    @Test
    void aConfigShowsTheRedirectUriAndNeverItsSecretWhichOnlyTheCredentialStoreHolds() {
        CreatedTenant tenant = newTenant();
        String secret = secret();
        var body = body("client-1", secret);
        body.put("scopes", List.of("users.read", "groups.read"));
        body.put("name", "Production app");
        try (LogCapture logs = LogCapture.install()) {
            var created = as(tenant.apiKey())
                    .body(body)
                    .post(PATH)
                    .then()
                    .statusCode(201)
                    .extract();
            String id = created.path("id");
            assertThat(java.net.URI.create(created.header("Location")).getPath())
                    .isEqualTo(PATH + "/" + id);
            assertThat(created.asString()).doesNotContain(secret);
            JsonPath view = created.jsonPath();
            assertThat(view.getString("provider")).isEqualTo(AuthCodeConnectorFactory.ID);
            assertThat(view.getString("name")).isEqualTo("Production app");
            assertThat(view.getString("client_id")).isEqualTo("client-1");
            assertThat(view.getList("scopes")).containsExactly("users.read", "groups.read");
            assertThat(view.getBoolean("has_client_secret")).isTrue();
            assertThat(view.getString("redirect_uri"))
                    .isEqualTo("http://localhost:" + RestAssured.port + "/connect/oauth/callback");
            assertThat(view.getMap("$")).doesNotContainKey("client_secret");

            String read = as(tenant.apiKey())
                    .get(PATH + "/{id}", id)
                    .then()
                    .statusCode(200)
                    .body("id", equalTo(id))
                    .body("client_id", equalTo("client-1"))
                    .extract()
                    .asString();
            assertThat(read).doesNotContain(secret);
            assertThat(as(tenant.apiKey()).get(PATH).asString()).doesNotContain(secret);

            assertThat(store.get(Namespace.AUTH_CONFIGS, tenant.id(), id))
                    .contains(Map.of(AuthConfigService.SECRET, secret));
            var rows = Sql.rows(dataSource, "select * from auth_configs where id = ?", id);
            assertThat(rows).hasSize(1);
            assertThat(rows.get(0)).containsEntry("tenant_id", tenant.id()).containsEntry("client_id", "client-1");
            assertThat(rows.get(0).toString()).doesNotContain(secret);
            // Also with nothing but the required members.
            String bare = secret();
            create(tenant, "client-2", bare);
            assertThat(Sql.dump(dataSource)).doesNotContain(secret).doesNotContain(bare);
            assertThat(logs.lines()).noneMatch(line -> line.contains(secret) || line.contains(bare));
        }
    }

    @Test
    void unknownProvidersProvidersWithoutTheKindAndBlankOrMalformedValuesAreRefused() {
        CreatedTenant tenant = newTenant();
        var unknown = body("c", secret());
        unknown.put("provider", "nope");
        refused(tenant, unknown, 400, "unknown_provider", "provider");

        var fieldsOnly = body("c", secret());
        fieldsOnly.put("provider", FakeScimConnectorFactory.ID);
        refused(tenant, fieldsOnly, 422, "auth_kind_unsupported", "provider");

        refused(tenant, body(" ", secret()), 400, "invalid_request", "client_id");
        refused(tenant, body("c", ""), 400, "invalid_request", "client_secret");
        var noSecret = body("c", null);
        noSecret.remove("client_secret");
        refused(tenant, noSecret, 400, "invalid_request", "client_secret");
        for (List<String> scopes : List.of(List.of("users.read groups.read"), List.of(""), List.of("a\"b"))) {
            var malformed = body("c", secret());
            malformed.put("scopes", scopes);
            refused(tenant, malformed, 400, "invalid_request", "scopes");
        }
        assertThat(Sql.rows(dataSource, "select id from auth_configs where tenant_id = ?", tenant.id()))
                .isEmpty();
        assertThat(store.listEntries(Namespace.AUTH_CONFIGS, null, 1000))
                .noneMatch(entry -> entry.tenantId().equals(tenant.id()));
    }

    private static void refused(CreatedTenant tenant, Map<String, Object> body, int status, String code, String field) {
        as(tenant.apiKey())
                .body(body)
                .post(PATH)
                .then()
                .statusCode(status)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo(code))
                .body("field", equalTo(field));
    }

    @Test
    void theListPagesInCreationOrderAndFiltersByProvider() {
        CreatedTenant tenant = newTenant();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(create(tenant, "client-" + i, secret()));
        }
        List<String> seen = new ArrayList<>();
        String next = null;
        for (int pages = 0; pages < 5; pages++) {
            var request = as(tenant.apiKey()).queryParam("page_size", 2);
            if (next != null) {
                request.queryParam("cursor", next);
            }
            JsonPath page = request.get(PATH).then().statusCode(200).extract().jsonPath();
            assertThat(page.getList("data")).hasSizeLessThanOrEqualTo(2);
            seen.addAll(page.getList("data.id", String.class));
            next = page.getString("next");
            if (next == null) {
                break;
            }
        }
        assertThat(seen).containsExactlyElementsOf(ids);
        as(tenant.apiKey())
                .queryParam("provider", AuthCodeConnectorFactory.ID)
                .get(PATH)
                .then()
                .statusCode(200)
                .body("data.id", equalTo(ids))
                .body("next", nullValue());
        as(tenant.apiKey())
                .queryParam("provider", FakeScimConnectorFactory.ID)
                .get(PATH)
                .then()
                .statusCode(200)
                .body("data", equalTo(List.of()));
        as(tenant.apiKey())
                .queryParam("cursor", "not-a-cursor")
                .get(PATH)
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_cursor"));
    }

    @Test
    void anUpdateChangesWhatItNamesAndANewSecretReplacesTheStoredOne() {
        CreatedTenant tenant = newTenant();
        String first = secret();
        String id = create(tenant, "client-old", first);

        as(tenant.apiKey())
                .body(Map.of("name", "Renamed", "scopes", List.of("openid")))
                .patch(PATH + "/{id}", id)
                .then()
                .statusCode(200)
                .body("name", equalTo("Renamed"))
                .body("client_id", equalTo("client-old"))
                .body("scopes", equalTo(List.of("openid")));
        assertThat(store.get(Namespace.AUTH_CONFIGS, tenant.id(), id))
                .contains(Map.of(AuthConfigService.SECRET, first));

        String second = secret();
        String answer = as(tenant.apiKey())
                .body(Map.of("client_id", "client-new", "client_secret", second))
                .patch(PATH + "/{id}", id)
                .then()
                .statusCode(200)
                .body("client_id", equalTo("client-new"))
                .body("name", equalTo("Renamed"))
                .extract()
                .asString();
        assertThat(answer).doesNotContain(second).doesNotContain(first);
        assertThat(store.get(Namespace.AUTH_CONFIGS, tenant.id(), id))
                .contains(Map.of(AuthConfigService.SECRET, second));
        assertThat(Sql.dump(dataSource)).doesNotContain(second);

        as(tenant.apiKey())
                .body(Map.of("name", " "))
                .patch(PATH + "/{id}", id)
                .then()
                .statusCode(200)
                .body("name", nullValue())
                .body("client_id", equalTo("client-new"));

        as(tenant.apiKey())
                .body(Map.of("client_secret", "  "))
                .patch(PATH + "/{id}", id)
                .then()
                .statusCode(400)
                .body("field", equalTo("client_secret"));
        assertThat(store.get(Namespace.AUTH_CONFIGS, tenant.id(), id))
                .contains(Map.of(AuthConfigService.SECRET, second));
    }

    @Test
    void aDeletedConfigIsGoneWithItsSecret() {
        CreatedTenant tenant = newTenant();
        String id = create(tenant, "client", secret());
        as(tenant.apiKey()).delete(PATH + "/{id}", id).then().statusCode(204);
        assertThat(store.get(Namespace.AUTH_CONFIGS, tenant.id(), id)).isEmpty();
        assertThat(Sql.rows(dataSource, "select id from auth_configs where id = ?", id))
                .isEmpty();
        as(tenant.apiKey()).get(PATH + "/{id}", id).then().statusCode(404).body("code", equalTo("not_found"));
        as(tenant.apiKey()).delete(PATH + "/{id}", id).then().statusCode(404);
    }

    @Test
    void anotherTenantsConfigIsNotFoundAndUntouched() {
        CreatedTenant owner = newTenant();
        CreatedTenant other = newTenant();
        String secret = secret();
        String id = create(owner, "client", secret);

        as(other.apiKey()).get(PATH + "/{id}", id).then().statusCode(404).body("code", equalTo("not_found"));
        as(other.apiKey())
                .body(Map.of("client_secret", secret()))
                .patch(PATH + "/{id}", id)
                .then()
                .statusCode(404);
        as(other.apiKey()).delete(PATH + "/{id}", id).then().statusCode(404);
        as(other.apiKey()).get(PATH).then().statusCode(200).body("data.id", not(org.hamcrest.Matchers.hasItem(id)));

        as(owner.apiKey()).get(PATH + "/{id}", id).then().statusCode(200);
        assertThat(store.get(Namespace.AUTH_CONFIGS, owner.id(), id))
                .contains(Map.of(AuthConfigService.SECRET, secret));
        assertThat(store.get(Namespace.AUTH_CONFIGS, other.id(), id)).isEmpty();
    }

    @Test
    void deletingTheTenantRemovesItsConfigsAndTheirSecrets() {
        CreatedTenant tenant = newTenant();
        String id = create(tenant, "client", secret());
        operator().delete("/v1/tenants/{id}", tenant.id()).then().statusCode(204);
        assertThat(Sql.rows(dataSource, "select id from auth_configs where id = ?", id))
                .isEmpty();
        assertThat(store.get(Namespace.AUTH_CONFIGS, tenant.id(), id)).isEmpty();
    }

    @Test
    void aRepeatedCreateWithTheSameIdempotencyKeyMakesOneConfig() {
        CreatedTenant tenant = newTenant();
        var body = body("client", secret());
        String key = "acf-" + UUID.randomUUID();
        String first = as(tenant.apiKey())
                .header("Idempotency-Key", key)
                .body(body)
                .post(PATH)
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as(tenant.apiKey())
                .header("Idempotency-Key", key)
                .body(body)
                .post(PATH)
                .then()
                .statusCode(201)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(first));
        assertThat(Sql.rows(dataSource, "select id from auth_configs where tenant_id = ?", tenant.id()))
                .hasSize(1);
    }
}
