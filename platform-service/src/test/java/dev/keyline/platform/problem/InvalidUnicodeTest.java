package dev.keyline.platform.problem;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.goodToken;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import dev.keyline.platform.support.FakeScimUpstream;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Audit finding 11: text that is not Unicode is refused with 400 invalid_unicode wherever it comes in, instead of
 * being stored as '?' (so that distinct origin owners collided on one account).
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class InvalidUnicodeTest {

    @Inject
    DataSource dataSource;

    @Inject
    InMemoryCredentialStore store;

    /** A link whose JSON is written by hand, so that it can hold escapes no JSON library would write. */
    private static ValidatableResponse link(CreatedTenant tenant, String ownerJson, String tokenJson) {
        return as(tenant.apiKey())
                .body("{\"origin_owner_id\":\"" + ownerJson + "\",\"origin_owner_name\":\"Org\",\"provider\":\""
                        + FakeScimConnectorFactory.ID + "\",\"credentials\":{\"scim_url\":\""
                        + FakeScimUpstream.get().url() + "\",\"token\":\"" + tokenJson + "\"}}")
                .post("/accounts")
                .then();
    }

    @Test
    void originOwnerIdsThatDifferOnlyInLoneSurrogatesAreRefusedAndNothingIsStored() {
        CreatedTenant tenant = newTenant();

        for (String owner : List.of("org-\\ud800", "org-\\udfff", "org-\\udc00\\ud800", "org-\\ud83d")) {
            link(tenant, owner, goodToken())
                    .statusCode(400)
                    .contentType(Problem.MEDIA_TYPE)
                    .body("code", equalTo("invalid_unicode"))
                    .body("field", equalTo("origin_owner_id"));
        }
        as(tenant.apiKey())
                .body("{\"origin_owner_id\":\"org-\\udbff\",\"origin_owner_name\":\"Org\"}")
                .post("/connect/sessions")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_unicode"))
                .body("field", equalTo("origin_owner_id"));

        assertThat(Sql.rows(dataSource, "select id from linked_accounts where tenant_id = ?", tenant.id()))
                .isEmpty();
        assertThat(Sql.rows(dataSource, "select id from connect_sessions where tenant_id = ?", tenant.id()))
                .isEmpty();
        assertThat(store.accountIds(tenant.id())).isEmpty();
    }

    @Test
    void aLoneSurrogateInACredentialOrAMemberNameIsRefusedOnItsField() {
        CreatedTenant tenant = newTenant();

        link(tenant, "org-1", "tok-\\ud800")
                .statusCode(400)
                .body("code", equalTo("invalid_unicode"))
                .body("field", equalTo("credentials.token"));
        as(tenant.apiKey())
                .body("{\"credentials\":{\"to\\udc00ken\":\"x\"}}")
                .patch("/accounts/{id}", "acc-1")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_unicode"));

        assertThat(store.accountIds(tenant.id())).isEmpty();
    }

    @Test
    void pairedSurrogatesAreOrdinaryTextAndStoredAsSent() {
        CreatedTenant tenant = newTenant();

        link(tenant, "org-\\ud83d\\udca5", goodToken())
                .statusCode(201)
                .body("origin_owner_id", equalTo("org-\uD83D\uDCA5"));

        assertThat(Sql.rows(dataSource, "select origin_owner_id from linked_accounts where tenant_id = ?", tenant.id()))
                .extracting(row -> row.get("origin_owner_id"))
                .containsExactly("org-\uD83D\uDCA5");
    }

    @Test
    void queryValuesAndApiHeadersThatAreNotUtf8AreRefusedNamingThem() {
        CreatedTenant tenant = newTenant();
        // Percent escapes are sent as written: %ED%A0%80 is a UTF-8-encoded surrogate, %C3%28 a broken sequence.
        for (String value : List.of("%ED%A0%80", "%C3%28", "org%FF")) {
            as(tenant.apiKey())
                    .urlEncodingEnabled(false)
                    .get("/accounts?origin_owner_id=" + value)
                    .then()
                    .statusCode(400)
                    .contentType(Problem.MEDIA_TYPE)
                    .body("code", equalTo("invalid_unicode"))
                    .body("field", equalTo("origin_owner_id"));
        }
        as(tenant.apiKey())
                .urlEncodingEnabled(false)
                .get("/accounts?origin_owner_id=org-%F0%9F%92%A5")
                .then()
                .statusCode(200);
        as(tenant.apiKey())
                .header("x-account-id", "acc-\u00ff")
                .get("/iam/users")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_unicode"))
                .body("field", equalTo("x-account-id"));
    }
}
