package dev.keyline.platform.account;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real 1Password connector, linked through the API against the connector kit's scriptable SCIM upstream. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class OnePasswordLinkTest {
    private static ScimUpstream upstream;

    @Inject
    DataSource dataSource;

    @Inject
    InMemoryCredentialStore store;

    @Inject
    AccountConnectors accountConnectors;

    @BeforeAll
    static void startUpstream() {
        upstream = ScimUpstream.builder().users(7).groups(2).start();
    }

    @AfterAll
    static void stopUpstream() {
        upstream.close();
    }

    private static Map<String, Object> linkBody(String token) {
        return Map.of(
                "origin_owner_id", "org-1",
                "origin_owner_name", "Org 1",
                "provider", "onepassword",
                "credentials", Map.of("scim_url", upstream.bridgeBaseUrl(), "bearer_token", token));
    }

    @Test
    void aWrongBearerTokenIsRefusedWithTheConnectorsCodeAndNothingIsKept() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .body(linkBody("not-the-token-" + System.nanoTime()))
                .post("/accounts")
                .then()
                .statusCode(422)
                .body("code", equalTo("invalid_credentials"))
                .body("detail", notNullValue());
        assertThat(Sql.rows(dataSource, "select id from linked_accounts where tenant_id = ?", tenant.id()))
                .isEmpty();
        assertThat(store.accountIds(tenant.id())).isEmpty();
    }

    @Test
    void theRightTokenLinksAnActiveAccountWhoseDirectoryCanBeRead() {
        CreatedTenant tenant = newTenant();
        String id = as(tenant.apiKey())
                .body(linkBody(upstream.token()))
                .post("/accounts")
                .then()
                .statusCode(201)
                .body("status", equalTo("active"))
                .body("facts.deployment", notNullValue())
                .body(not(containsString(upstream.token())))
                .extract()
                .path("id");

        try (AccountConnectors.Linked linked = accountConnectors.open(tenant.id(), id)) {
            var page = linked.connector()
                    .capability(UserDirectory.class)
                    .orElseThrow()
                    .listUsers(UserQuery.all(100, false));
            assertThat(page.items()).hasSize(7);
        }
    }
}
