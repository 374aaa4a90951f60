package dev.keyline.platform.connectors;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.readAll;
import static dev.keyline.platform.support.TestApi.startSync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.keyline.connector.tck.entra.GraphDouble;
import dev.keyline.connector.tck.entra.GraphSample;
import dev.keyline.platform.support.DefaultPluginsProfile;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The shipped {@code entra_id} plugin, loaded from the default plugins directory, linked through the API against the
 * kit's Microsoft Graph double ({@code dev.keyline.connector.tck.entra.GraphSample}): the operator's host overrides
 * send graph.microsoft.com and login.microsoftonline.com to it, so the platform's own token client meets Microsoft's
 * AADSTS answers and the connector's diagnoses of them.
 *
 * <p>Only the sample's fixed data is used: Quarkus loads the profile in a class loader of its own, so each copy of
 * this class starts an identical double (the service talks to the profile's).
 */
@QuarkusTest
@TestProfile(EntraIdPluginTest.Profile.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class EntraIdPluginTest {
    static final GraphDouble GRAPH = GraphSample.start();
    private static final String TENANT = GraphSample.TENANT_DOMAIN;
    private static final String CLIENT = GraphSample.CLIENT_ID;
    private static final String SECRET = GraphSample.CLIENT_SECRET;
    private static final String EXPIRED_CLIENT = GraphSample.EXPIRED_CLIENT_ID;
    private static final String EXPIRED_SECRET = GraphSample.EXPIRED_CLIENT_SECRET;

    /** The service with the shipped plugins and Microsoft's global hosts sent to the double. */
    public static class Profile extends DefaultPluginsProfile {
        @Override
        protected Map<String, String> hostOverrides() {
            return Map.of("graph.microsoft.com", GRAPH.rootUrl(), "login.microsoftonline.com", GRAPH.rootUrl());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        GRAPH.close();
    }

    private static ValidatableResponse link(CreatedTenant tenant, String tenantId, String clientId, String secret) {
        return as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id", "org-" + System.nanoTime(),
                        "origin_owner_name", "Contoso",
                        "provider", "entra_id",
                        "auth_kind", "oauth2_client_credentials",
                        "credentials", Map.of("tenant_id", tenantId, "client_id", clientId, "client_secret", secret)))
                .post("/accounts")
                .then();
    }

    @Test
    void theFormAsksForTheTenantAndTheClientButNeverForTheCloudsHosts() {
        var option = dev.keyline.platform.support.TestApi.operator()
                .get("/connectors/entra_id")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        String form = "auth_options.find { it.kind == 'oauth2_client_credentials' }.fields";
        assertThat(option.getList(form + ".field.key", String.class))
                .containsExactly("tenant_id", "cloud", "client_id", "client_secret");
        assertThat(option.getList(form + ".required", Boolean.class)).containsExactly(true, false, true, true);
    }

    @Test
    void linksListsSyncsAndReconnects() {
        CreatedTenant tenant = newTenant();
        String id = link(tenant, "https://login.microsoftonline.com/" + TENANT + "/v2.0", CLIENT, SECRET)
                .statusCode(201)
                .body("facts.users", equalTo("5"))
                .body(not(containsString(SECRET)))
                .extract()
                .path("id");

        List<Map<String, Object>> users = readAll(tenant, id, "/iam/users", 2);
        assertThat(users).hasSize(5);
        assertThat(users)
                .filteredOn(u -> "disabled".equals(((Map<?, ?>) u.get("status")).get("value")))
                .hasSize(1);
        assertThat(readAll(tenant, id, "/iam/groups", 10))
                .singleElement()
                .satisfies(g -> assertThat((List<?>) g.get("members")).hasSize(3));

        String run = startSync(tenant, id);
        assertThat(awaitSync(tenant, id, run).getString("state")).isEqualTo("succeeded");

        // Reconnect: a changed secret is refused on its field, the right one proves itself by a fresh grant.
        as(tenant.apiKey())
                .body(Map.of("credentials", Map.of("client_secret", "not-" + SECRET)))
                .patch("/accounts/" + id)
                .then()
                .statusCode(422)
                .body("field", equalTo("client_secret"))
                .body("message_code", equalTo("entra_id.client_secret_invalid"));
        as(tenant.apiKey())
                .body(Map.of("credentials", Map.of("client_secret", SECRET)))
                .patch("/accounts/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("active"));
    }

    @Test
    void anExpiredSecretIsExplainedOnTheSecretField() {
        link(newTenant(), TENANT, EXPIRED_CLIENT, EXPIRED_SECRET)
                .statusCode(422)
                .body("field", equalTo("client_secret"))
                .body("message_code", equalTo("entra_id.client_secret_expired"))
                .body("detail", containsString("expired"))
                .body(not(containsString(EXPIRED_SECRET)));
    }

    @ParameterizedTest
    @CsvSource({
        "nowhere.onmicrosoft.com,client,secret,tenant_id,entra_id.tenant_not_found",
        "contoso.onmicrosoft.com,unknown,secret,client_id,entra_id.client_not_found",
        "contoso.onmicrosoft.com,client,wrong,client_secret,entra_id.client_secret_invalid"
    })
    void tokenEndpointRefusalsAreExplainedOnTheirField(
            String tenantId, String client, String secret, String field, String code) {
        String clientId = client.equals("client") ? CLIENT : "11111111-2222-4333-8444-555555555555";
        String clientSecret = secret.equals("secret") ? SECRET : "not-the-secret-value";
        link(newTenant(), tenantId, clientId, clientSecret)
                .statusCode(422)
                .body("field", equalTo(field))
                .body("message_code", equalTo(code))
                .body(not(containsString(clientSecret)));
    }
}
