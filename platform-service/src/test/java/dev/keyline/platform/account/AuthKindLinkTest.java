package dev.keyline.platform.account;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import dev.keyline.platform.oauth.OAuthValues;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.OAuthServerDouble;
import dev.keyline.platform.support.OAuthTestConnectorFactory;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Linking through the API with the auth kinds that need no person at the provider, and the kinds' errors. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class AuthKindLinkTest {
    private static OAuthServerDouble idp;

    @Inject
    DataSource dataSource;

    @Inject
    InMemoryCredentialStore store;

    @BeforeAll
    static void start() {
        idp = new OAuthServerDouble();
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @Test
    void clientCredentialsLinkHeadlesslyAndKeepTheSecretAndTokenOutOfEverythingButTheStore() {
        CreatedTenant tenant = newTenant();
        String id = link(
                        tenant,
                        "org-cc",
                        "oauth2_client_credentials",
                        Map.of(
                                "base_url", idp.baseUrl(),
                                "client_id", OAuthServerDouble.CLIENT_ID,
                                "client_secret", OAuthServerDouble.CLIENT_SECRET))
                .statusCode(201)
                .body("status", equalTo("active"))
                .body("auth_kind", equalTo("oauth2_client_credentials"))
                .body("validation_summary", equalTo("Connected to Test Org"))
                .body(not(containsString(OAuthServerDouble.CLIENT_SECRET)))
                .extract()
                .path("id");

        Map<String, String> stored = store.get(tenant.id(), id).orElseThrow();
        assertThat(stored)
                .containsEntry(OAuthValues.KIND, "oauth2_client_credentials")
                .containsEntry(OAuthValues.CLIENT_ID, OAuthServerDouble.CLIENT_ID)
                .containsEntry(OAuthValues.CLIENT_SECRET, OAuthServerDouble.CLIENT_SECRET)
                .containsEntry("base_url", idp.baseUrl())
                .containsKey(OAuthValues.ACCESS_TOKEN)
                .doesNotContainKey("client_secret");
        // The protected API saw exactly the token that was stored.
        assertThat(idp.protectedCalls()).contains("Bearer " + stored.get(OAuthValues.ACCESS_TOKEN));
        String row = Sql.rows(dataSource, "select * from linked_accounts where id = ?", id)
                .toString();
        assertThat(row)
                .doesNotContain(OAuthServerDouble.CLIENT_SECRET)
                .doesNotContain(stored.get(OAuthValues.ACCESS_TOKEN));
    }

    @Test
    void aClientSecretTheProviderRefusesIsReportedOnItsFieldAndCreatesNothing() {
        CreatedTenant tenant = newTenant();
        link(
                        tenant,
                        "org-bad",
                        "oauth2_client_credentials",
                        Map.of(
                                "base_url",
                                idp.baseUrl(),
                                "client_id",
                                OAuthServerDouble.CLIENT_ID,
                                "client_secret",
                                "wrong-1"))
                .statusCode(422)
                .body("code", equalTo("invalid_credentials"))
                .body("field", equalTo("client_secret"))
                .body("message_code", equalTo("auth.invalid_client"))
                .body(not(containsString("wrong-1")));
        assertThat(store.accountIds(tenant.id())).isEmpty();
        assertThat(Sql.rows(dataSource, "select id from linked_accounts where tenant_id = ?", tenant.id()))
                .isEmpty();
    }

    @Test
    void theConnectorExplainsATokenFailureInItsProvidersTerms() {
        CreatedTenant tenant = newTenant();
        idp.nextTokenError = "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000222: The provided"
                + " client secret keys for app 'x' are expired.\",\"error_codes\":[7000222]}";
        link(
                        tenant,
                        "org-expired",
                        "oauth2_client_credentials",
                        Map.of(
                                "base_url",
                                idp.baseUrl(),
                                "client_id",
                                OAuthServerDouble.CLIENT_ID,
                                "client_secret",
                                "expired-1"))
                .statusCode(422)
                .body("code", equalTo("invalid_credentials"))
                .body("field", equalTo("client_secret"))
                .body("message_code", equalTo("oauth_test.secret_expired"))
                .body("detail", containsString("has expired"))
                .body(not(containsString("expired-1")));
        assertThat(store.accountIds(tenant.id())).isEmpty();
    }

    @Test
    void aServiceAccountKeySignsAnAssertionTheTokenEndpointCanVerify() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String json = "{\"type\":\"service_account\",\"client_email\":\"reader@proj.iam.example\","
                + "\"private_key_id\":\"k1\",\"private_key\":" + quote(pem) + "}";
        CreatedTenant tenant = newTenant();
        int before = idp.tokenRequests().size();
        link(
                        tenant,
                        "org-sa",
                        "jwt_bearer",
                        Map.of("base_url", idp.baseUrl(), "service_account_key", json, "subject", "admin@example.com"))
                .statusCode(201)
                .body("auth_kind", equalTo("jwt_bearer"));

        Map<String, String> request = idp
                .tokenRequests()
                .subList(before, idp.tokenRequests().size())
                .stream()
                .filter(r -> r.get("grant_type").endsWith("jwt-bearer"))
                .findFirst()
                .orElseThrow();
        String[] jwt = request.get("assertion").split("\\.");
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(pair.getPublic());
        rsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(jwt[2]))).isTrue();
        String header = new String(Base64.getUrlDecoder().decode(jwt[0]), StandardCharsets.UTF_8);
        String claims = new String(Base64.getUrlDecoder().decode(jwt[1]), StandardCharsets.UTF_8);
        assertThat(header).contains("\"alg\":\"RS256\"").contains("\"kid\":\"k1\"");
        assertThat(claims)
                .contains("\"iss\":\"reader@proj.iam.example\"")
                .contains("\"sub\":\"admin@example.com\"")
                .contains("\"aud\":\"" + idp.baseUrl() + "/token\"")
                .contains("\"scope\":\"directory.read\"");
    }

    @Test
    void theKindIsChosenOrRefusedClearly() {
        CreatedTenant tenant = newTenant();
        // oauth-test offers two kinds that need no person: which one must be said.
        link(tenant, "org-x", null, Map.of("base_url", idp.baseUrl()))
                .statusCode(400)
                .body("code", equalTo("auth_kind_required"))
                .body("field", equalTo("auth_kind"));
        link(tenant, "org-x", "oauth2_authorization_code", Map.of("base_url", idp.baseUrl()))
                .statusCode(400)
                .body("code", equalTo("auth_kind_interactive"));
        link(tenant, "org-x", "fields", Map.of("base_url", idp.baseUrl()))
                .statusCode(400)
                .body("code", equalTo("auth_kind_unsupported"));
        link(tenant, "org-x", "oauth2_client_credentials", Map.of("base_url", idp.baseUrl(), "auth.access_token", "x"))
                .statusCode(400)
                .body("code", equalTo("unknown_field"))
                .body("field", equalTo("credentials.auth.access_token"));
        link(tenant, "org-x", "oauth2_client_credentials", Map.of("base_url", idp.baseUrl(), "client_id", "c"))
                .statusCode(422)
                .body("code", equalTo("invalid_config"))
                .body("field", equalTo("client_secret"));
        assertThat(store.accountIds(tenant.id())).isEmpty();
    }

    @Test
    void aChangedClientSecretIsProvenByANewGrantAndAMovedUrlNeedsItAgain() {
        CreatedTenant tenant = newTenant();
        String id = link(
                        tenant,
                        "org-rot",
                        "oauth2_client_credentials",
                        Map.of(
                                "base_url", idp.baseUrl(),
                                "client_id", OAuthServerDouble.CLIENT_ID,
                                "client_secret", OAuthServerDouble.CLIENT_SECRET))
                .statusCode(201)
                .extract()
                .path("id");
        String firstToken = store.get(tenant.id(), id).orElseThrow().get(OAuthValues.ACCESS_TOKEN);

        as(tenant.apiKey())
                .body(Map.of("credentials", Map.of("client_secret", "not-the-secret")))
                .patch("/accounts/" + id)
                .then()
                .statusCode(422)
                .body("field", equalTo("client_secret"));
        assertThat(store.get(tenant.id(), id).orElseThrow().get(OAuthValues.ACCESS_TOKEN))
                .isEqualTo(firstToken);

        as(tenant.apiKey())
                .body(Map.of(
                        "credentials",
                        Map.of("base_url", "http://localhost:" + idp.baseUrl().replaceAll(".*:", ""))))
                .patch("/accounts/" + id)
                .then()
                .statusCode(400)
                .body("code", equalTo("secrets_required"));

        as(tenant.apiKey())
                .body(Map.of("credentials", Map.of("client_secret", OAuthServerDouble.CLIENT_SECRET)))
                .patch("/accounts/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("active"));
        assertThat(store.get(tenant.id(), id).orElseThrow().get(OAuthValues.ACCESS_TOKEN))
                .isNotEqualTo(firstToken);
    }

    @Test
    void theConnectorListShowsEachKindsForm() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .get("/connectors")
                .then()
                .statusCode(200)
                .body(
                        "data.find { it.id == 'oauth-test' }.auth_kinds",
                        equalTo(List.of("oauth2_authorization_code", "oauth2_client_credentials", "jwt_bearer")))
                .body("data.find { it.id == 'oauth-test' }.auth_options[0].interactive", equalTo(true))
                .body(
                        "data.find { it.id == 'oauth-test' }.auth_options[1].fields.field.key",
                        equalTo(List.of("base_url", "client_id", "client_secret")))
                .body(
                        "data.find { it.id == 'oauth-test' }.auth_options[2].fields.field.key",
                        hasItems("service_account_key", "subject"))
                .body("data.find { it.id == 'fake-scim' }.auth_options[0].kind", equalTo("fields"));
    }

    private static ValidatableResponse link(
            CreatedTenant tenant, String owner, String kind, Map<String, String> credentials) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "origin_owner_id",
                owner,
                "origin_owner_name",
                "Org " + owner,
                "provider",
                OAuthTestConnectorFactory.ID,
                "credentials",
                credentials));
        if (kind != null) {
            body.put("auth_kind", kind);
        }
        return as(tenant.apiKey()).body(body).post("/accounts").then();
    }

    private static String quote(String s) {
        return "\""
                + s.replace("\\", "\\\\")
                        .replace("\"", "\\\"")
                        .replace("\r", "\\r")
                        .replace("\n", "\\n") + "\"";
    }
}
