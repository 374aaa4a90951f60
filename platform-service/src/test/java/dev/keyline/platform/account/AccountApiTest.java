package dev.keyline.platform.account;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.goodToken;
import static dev.keyline.platform.support.TestApi.link;
import static dev.keyline.platform.support.TestApi.linkedAccount;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
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
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class AccountApiTest {

    @Inject
    DataSource dataSource;

    @Inject
    InMemoryCredentialStore store;

    @Inject
    AccountConnectors accountConnectors;

    @Test
    void aLinkWithABadTokenCreatesNothingAndSaysWhy() {
        CreatedTenant tenant = newTenant();
        link(tenant, "org-1", "rejected-token")
                .statusCode(422)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("invalid_credentials"))
                .body("field", equalTo("token"))
                .body("detail", containsString("rejected"))
                .body(not(containsString("rejected-token")));

        assertThat(Sql.rows(dataSource, "select id from linked_accounts where tenant_id = ?", tenant.id()))
                .isEmpty();
        assertThat(store.accountIds(tenant.id())).isEmpty();
    }

    @Test
    void aBadUrlIsReportedOnItsField() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id",
                        "org-1",
                        "origin_owner_name",
                        "Org",
                        "provider",
                        FakeScimConnectorFactory.ID,
                        "credentials",
                        Map.of("scim_url", "ftp://nope", "token", goodToken())))
                .post("/accounts")
                .then()
                .statusCode(422)
                // The platform screens URL fields with the egress policy before the connector parses them.
                .body("code", equalTo("egress_denied"))
                .body("field", equalTo("scim_url"));
        assertThat(store.accountIds(tenant.id())).isEmpty();
    }

    @Test
    void unknownCredentialFieldsAndProvidersAreRejected() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id",
                        "org-1",
                        "origin_owner_name",
                        "Org",
                        "provider",
                        FakeScimConnectorFactory.ID,
                        "credentials",
                        Map.of("password", "x")))
                .post("/accounts")
                .then()
                .statusCode(400)
                .body("code", equalTo("unknown_field"));
        as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id", "org-1",
                        "origin_owner_name", "Org",
                        "provider", "nope",
                        "credentials", Map.of()))
                .post("/accounts")
                .then()
                .statusCode(400)
                .body("code", equalTo("unknown_provider"));
    }

    @Test
    void aGoodLinkStoresNormalizedCredentialsOutsidePostgresAndActivatesTheAccount() {
        CreatedTenant tenant = newTenant();
        String token = goodToken();
        String id = link(tenant, "org-1", token)
                .statusCode(201)
                .body("status", equalTo("active"))
                .body("provider", equalTo(FakeScimConnectorFactory.ID))
                .body("origin_owner_id", equalTo("org-1"))
                .body("facts.deployment", equalTo("hosted"))
                .body("validation_summary", notNullValue())
                .body("status_reason", nullValue())
                .body(not(containsString(token)))
                .extract()
                .path("id");

        assertThat(store.get(tenant.id(), id).orElseThrow())
                .containsEntry("token", token)
                .containsEntry("scim_url", FakeScimUpstream.get().url());
        assertThat(Sql.dump(dataSource)).doesNotContain(token);
        as(tenant.apiKey()).get("/accounts/{id}", id).then().statusCode(200).body(not(containsString(token)));
    }

    @Test
    void whenTheCredentialStoreFailsNoAccountIsCreated() {
        CreatedTenant tenant = newTenant();
        store.failWrites(tenant.id(), true);
        try {
            link(tenant, "org-1", goodToken())
                    .statusCode(500)
                    .contentType(Problem.MEDIA_TYPE)
                    .body(not(containsString("credential store unavailable")));
        } finally {
            store.failWrites(tenant.id(), false);
        }
        assertThat(Sql.rows(dataSource, "select id from linked_accounts where tenant_id = ?", tenant.id()))
                .isEmpty();
    }

    @Test
    void deletingATenantDestroysItsAccountsAndCredentials() {
        CreatedTenant tenant = newTenant();
        linkedAccount(tenant, "org-1");
        assertThat(store.accountIds(tenant.id())).hasSize(1);

        dev.keyline.platform.support.TestApi.operator()
                .delete("/tenants/{id}", tenant.id())
                .then()
                .statusCode(204);

        assertThat(store.accountIds(tenant.id())).isEmpty();
        assertThat(Sql.rows(dataSource, "select id from linked_accounts where tenant_id = ?", tenant.id()))
                .isEmpty();
    }

    @Test
    void aLinkNamesTheAccountInLocationWhetherNewOrRelinked() {
        CreatedTenant tenant = newTenant();
        var created = link(tenant, "org-located", goodToken()).statusCode(201).extract();
        String id = created.path("id");
        String location = created.header("Location");
        assertThat(java.net.URI.create(location).getPath()).isEqualTo("/v1/accounts/" + id);
        as(tenant.apiKey()).get(location).then().statusCode(200).body("id", equalTo(id));

        var relinked = link(tenant, "org-located", goodToken()).statusCode(200).extract();
        assertThat(relinked.header("Location")).isEqualTo(location);
        as(newTenant().apiKey()).get(location).then().statusCode(404);
    }

    @Test
    void relinkingTheSameOwnerAndProviderUpdatesTheSameAccount() {
        CreatedTenant tenant = newTenant();
        String id = linkedAccount(tenant, "org-1");
        String newToken = goodToken();

        link(tenant, "org-1", newToken).statusCode(200).body("id", equalTo(id));

        assertThat(Sql.rows(dataSource, "select id from linked_accounts where tenant_id = ?", tenant.id()))
                .hasSize(1);
        assertThat(store.get(tenant.id(), id).orElseThrow()).containsEntry("token", newToken);
    }

    @Test
    void rotatingToABadTokenKeepsTheOldOneWorking() {
        CreatedTenant tenant = newTenant();
        String oldToken = goodToken();
        String id = link(tenant, "org-1", oldToken).statusCode(201).extract().path("id");

        as(tenant.apiKey())
                .body(Map.of("credentials", Map.of("token", "not-accepted")))
                .patch("/accounts/{id}", id)
                .then()
                .statusCode(422)
                .body("code", equalTo("invalid_credentials"));

        assertThat(store.get(tenant.id(), id).orElseThrow()).containsEntry("token", oldToken);
        as(tenant.apiKey())
                .post("/accounts/{id}/check", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("active"));
    }

    @Test
    void rotatingToAGoodTokenReplacesTheOldOne() {
        CreatedTenant tenant = newTenant();
        String id = linkedAccount(tenant, "org-1");
        String newToken = goodToken();
        as(tenant.apiKey())
                .body(Map.of("credentials", Map.of("token", newToken), "origin_owner_name", "Renamed"))
                .patch("/accounts/{id}", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("active"))
                .body("origin_owner_name", equalTo("Renamed"));
        assertThat(store.get(tenant.id(), id).orElseThrow())
                .containsEntry("token", newToken)
                .containsEntry("scim_url", FakeScimUpstream.get().url());
    }

    @Test
    void unlinkingDestroysTheCredentials() {
        CreatedTenant tenant = newTenant();
        String id = linkedAccount(tenant, "org-1");

        as(tenant.apiKey())
                .delete("/v1/accounts/{id}", id)
                .then()
                .statusCode(204)
                .body(emptyString());

        assertThat(store.get(tenant.id(), id)).isEmpty();
        as(tenant.apiKey()).get("/accounts/{id}", id).then().statusCode(200).body("status", equalTo("unlinked"));
        as(tenant.apiKey()).get("/accounts").then().body("data", hasSize(0));
        as(tenant.apiKey())
                .post("/accounts/{id}/check", id)
                .then()
                .statusCode(409)
                .body("code", equalTo("account_not_active"));
        assertThatThrownBy(() -> accountConnectors.open(tenant.id(), id))
                .isInstanceOfSatisfying(
                        KeylineException.class, p -> assertThat(p.code()).isEqualTo("account_not_active"));
        // Linking the owner again afterwards makes a new account.
        String again = linkedAccount(tenant, "org-1");
        assertThat(again).isNotEqualTo(id);
    }

    @Test
    void checkMovesTheStatusBetweenActiveAndErrorWithReasons() {
        CreatedTenant tenant = newTenant();
        String token = goodToken();
        String id = link(tenant, "org-1", token).statusCode(201).extract().path("id");

        FakeScimUpstream.get().reject(token);
        as(tenant.apiKey())
                .post("/accounts/{id}/check", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("error"))
                .body("status_reason.code", equalTo("invalid_credentials"))
                .body("status_reason.field", equalTo("token"));
        as(tenant.apiKey()).get("/accounts?status=error").then().body("data.id", equalTo(List.of(id)));

        FakeScimUpstream.get().accept(token);
        as(tenant.apiKey())
                .post("/accounts/{id}/check", id)
                .then()
                .statusCode(200)
                .body("status", equalTo("active"))
                .body("status_reason", nullValue());
    }

    @Test
    void listingFiltersAndPages() {
        CreatedTenant tenant = newTenant();
        String first = linkedAccount(tenant, "org-1");
        String second = linkedAccount(tenant, "org-2");
        String third = linkedAccount(tenant, "org-3");

        var page1 = as(tenant.apiKey())
                .get("/accounts?page_size=2")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(page1.getList("data.id", String.class)).containsExactly(first, second);
        String next = page1.getString("next");
        assertThat(next).isNotNull();
        as(tenant.apiKey())
                .queryParam("cursor", next)
                .queryParam("page_size", 2)
                .get("/accounts")
                .then()
                .body("data.id", equalTo(List.of(third)))
                .body("next", nullValue());

        as(tenant.apiKey()).get("/accounts?origin_owner_id=org-2").then().body("data.id", equalTo(List.of(second)));
        as(tenant.apiKey())
                .get("/accounts?provider=" + FakeScimConnectorFactory.ID)
                .then()
                .body("data", hasSize(3));
        for (String bad : List.of("page_size=0", "page_size=201", "page_size=two", "status=asleep")) {
            as(tenant.apiKey())
                    .get("/v1/accounts?" + bad)
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("invalid_parameter"))
                    .body("field", equalTo(bad.substring(0, bad.indexOf('='))));
        }
        as(tenant.apiKey()).get("/accounts?cursor=%%%").then().statusCode(400).body("code", equalTo("invalid_cursor"));
    }

    @Test
    void anotherTenantGets404OnEveryAccountEndpoint() {
        CreatedTenant a = newTenant();
        CreatedTenant b = newTenant();
        String token = goodToken();
        String id = link(a, "org-1", token).statusCode(201).extract().path("id");

        as(b.apiKey()).get("/accounts/{id}", id).then().statusCode(404).body("code", equalTo("not_found"));
        as(b.apiKey())
                .body(Map.of("credentials", Map.of("token", goodToken())))
                .patch("/accounts/{id}", id)
                .then()
                .statusCode(404);
        as(b.apiKey()).post("/accounts/{id}/check", id).then().statusCode(404);
        as(b.apiKey()).delete("/accounts/{id}", id).then().statusCode(404);
        as(b.apiKey()).get("/accounts").then().body("data", hasSize(0));
        as(b.apiKey()).get("/accounts?origin_owner_id=org-1").then().body("data", hasSize(0));
        assertThatThrownBy(() -> accountConnectors.open(b.id(), id))
                .isInstanceOfSatisfying(
                        KeylineException.class, p -> assertThat(p.kind()).isEqualTo(Kind.NOT_FOUND));

        // A's account is untouched.
        as(a.apiKey()).get("/accounts/{id}", id).then().statusCode(200).body("status", equalTo("active"));
        assertThat(store.get(a.id(), id).orElseThrow()).containsEntry("token", token);
    }

    @Test
    void accountConnectorsOpensAConnectorOnTheStoredCredentials() {
        CreatedTenant tenant = newTenant();
        String id = linkedAccount(tenant, "org-1");
        try (AccountConnectors.Linked linked = accountConnectors.open(tenant.id(), id)) {
            assertThat(linked.provider()).isEqualTo(FakeScimConnectorFactory.ID);
            assertThat(linked.connector()
                            .capability(CredentialValidator.class)
                            .orElseThrow()
                            .validate()
                            .facts())
                    .containsEntry("deployment", "hosted");
        }
        assertThatThrownBy(() -> accountConnectors.open(tenant.id(), "no-such-account"))
                .isInstanceOfSatisfying(
                        KeylineException.class, p -> assertThat(p.kind()).isEqualTo(Kind.NOT_FOUND));
    }
}
