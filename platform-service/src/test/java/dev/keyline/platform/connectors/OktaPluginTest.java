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

import dev.keyline.connector.tck.okta.OktaDouble;
import dev.keyline.platform.support.DefaultPluginsProfile;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Okta plugin as it ships (loaded from the default plugins directory), against the Okta double standing in for
 * {@code acme.okta.com} through the operator's host overrides: it links with an API token and with a service app
 * (the platform signs the private-key JWT), lists, syncs, reconnects after a token rotation, and the org authorization
 * server's refusals come back as the connector's diagnoses.
 */
@QuarkusTest
@TestProfile(OktaPluginTest.Okta.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = OktaPluginTest.OktaResource.class, restrictToAnnotatedClass = true)
class OktaPluginTest {
    static final String HOST = "acme.okta.com";

    /** The shipped plugins; the host override comes from {@link OktaResource}, which starts the double. */
    public static class Okta extends DefaultPluginsProfile {
        @Override
        protected Map<String, String> hostOverrides() {
            return Map.of();
        }
    }

    /** Marks the field {@link OktaResource} injects its double into. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface InjectOkta {}

    /**
     * Starts the double and points the operator's host override for {@code acme.okta.com} at it. A test resource,
     * not a static field, so that the test and the service share one double whatever class loader reads the class.
     */
    public static class OktaResource implements QuarkusTestResourceLifecycleManager {
        private OktaDouble okta;

        @Override
        public Map<String, String> start() {
            okta = seeded(OktaDouble.builder()
                    .apiToken("00plugin" + UUID.randomUUID())
                    .start());
            return Map.of("keyline.egress.host-overrides.\"" + HOST + "\"", okta.orgUrl());
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(
                    okta, new TestInjector.AnnotatedAndMatchesType(InjectOkta.class, OktaDouble.class));
        }

        @Override
        public void stop() {
            if (okta != null) {
                okta.close();
            }
        }
    }

    @InjectOkta
    OktaDouble okta;

    static final String ADA = "00uada0000000000000";
    static final String BOB = "00ubob0000000000000";
    static final String ENGINEERING = "00geng0000000000000";

    private static OktaDouble seeded(OktaDouble okta) {
        Instant now = Instant.now();
        okta.putUser(ADA, "ACTIVE", profile("ada", "Ada", "Lovelace"), now, now);
        okta.putUser(BOB, "DEPROVISIONED", profile("bob", "Bob", "Leaver"), now, now);
        okta.putGroup(ENGINEERING, "Engineering", null, now, now, List.of(ADA));
        okta.assignAdminRole(ADA, "SUPER_ADMIN");
        okta.setLastLogin(ADA, Instant.parse("2026-12-01T08:00:00Z"));
        return okta;
    }

    private static Map<String, Object> profile(String name, String first, String last) {
        return Map.of(
                "login", name + "@acme.example", "email", name + "@acme.example", "firstName", first, "lastName", last);
    }

    private OktaDouble okta() {
        return okta;
    }

    private static ValidatableResponse link(CreatedTenant tenant, String kind, Map<String, String> credentials) {
        Map<String, Object> body = new HashMap<>();
        body.put("origin_owner_id", "org-" + UUID.randomUUID());
        body.put("origin_owner_name", "Acme");
        body.put("provider", "okta");
        body.put("credentials", credentials);
        if (kind != null) {
            body.put("auth_kind", kind);
        }
        return as(tenant.apiKey()).body(body).post("/accounts").then();
    }

    private static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    @Test
    void anApiTokenLinksListsSyncsAndReconnectsAfterARotation() {
        CreatedTenant tenant = newTenant();
        String token = okta().apiToken();
        String id = link(
                        tenant,
                        null,
                        Map.of("okta_domain", "https://acme-admin.okta.com/admin/dashboard", "api_token", token))
                .statusCode(201)
                .body("status", equalTo("active"))
                .body("validation_summary", containsString(HOST))
                .body("facts.okta_domain", equalTo(HOST))
                .body(not(containsString(token)))
                .extract()
                .path("id");

        List<Map<String, Object>> users = readAll(tenant, id, "/iam/users", 1);
        assertThat(users).extracting(u -> u.get("remote_id")).containsExactlyInAnyOrder(ADA, BOB);
        Map<String, Object> leaver = users.stream()
                .filter(u -> BOB.equals(u.get("remote_id")))
                .findFirst()
                .orElseThrow();
        assertThat(leaver.get("status")).isEqualTo(Map.of("value", "disabled", "source_value", "DEPROVISIONED"));
        List<Map<String, Object>> groups = readAll(tenant, id, "/iam/groups", 10);
        assertThat(groups).extracting(g -> g.get("remote_id")).containsExactly(ENGINEERING);

        String run = startSync(tenant, id);
        assertThat(awaitSync(tenant, id, run).getString("state")).isEqualTo("succeeded");

        String rotated = "00rotated" + UUID.randomUUID();
        okta().apiToken(rotated);
        try {
            as(tenant.apiKey())
                    .post("/accounts/" + id + "/check")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("error"))
                    .body("status_reason.code", equalTo("invalid_credentials"))
                    .body("status_reason.field", equalTo("api_token"))
                    .body("status_reason.message", containsString("Security > API > Tokens"));
            as(tenant.apiKey())
                    .body(Map.of("credentials", Map.of("api_token", rotated)))
                    .patch("/accounts/{id}", id)
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("active"));
            String again = startSync(tenant, id);
            assertThat(awaitSync(tenant, id, again).getString("state")).isEqualTo("succeeded");
        } finally {
            okta().apiToken(token);
        }
    }

    @Test
    void aServiceAppLinksWithAPrivateKeyJwtTheDoubleVerifies() throws Exception {
        KeyPair keys = keyPair();
        okta().registerServiceApp("0oaservice1", keys.getPublic(), OktaDouble.READ_SCOPES);
        CreatedTenant tenant = newTenant();
        String id = link(
                        tenant,
                        "oauth2_client_credentials",
                        Map.of("okta_domain", HOST, "client_id", "0oaservice1", "private_key", pem(keys)))
                .statusCode(201)
                .body("auth_kind", equalTo("oauth2_client_credentials"))
                .extract()
                .path("id");
        assertThat(readAll(tenant, id, "/iam/users", 10))
                .extracting(u -> u.get("remote_id"))
                .containsExactlyInAnyOrder(ADA, BOB);
    }

    @Test
    void theTokenEndpointsRefusalsAreExplainedInOktasTerms() throws Exception {
        KeyPair registered = keyPair();
        okta().registerServiceApp("0oanarrow", registered.getPublic(), Set.of("okta.users.read"));
        okta().registerServiceApp("0oawide", registered.getPublic(), OktaDouble.READ_SCOPES);
        CreatedTenant tenant = newTenant();

        link(
                        tenant,
                        "oauth2_client_credentials",
                        Map.of("okta_domain", HOST, "client_id", "0oatypo", "private_key", pem(registered)))
                .statusCode(422)
                .body("message_code", equalTo("okta.client_unknown"))
                .body("field", equalTo("client_id"));
        link(
                        tenant,
                        "oauth2_client_credentials",
                        Map.of("okta_domain", HOST, "client_id", "0oawide", "private_key", pem(keyPair())))
                .statusCode(422)
                .body("message_code", equalTo("okta.client_key_unknown"))
                .body("field", equalTo("private_key"));
        link(
                        tenant,
                        "oauth2_client_credentials",
                        Map.of("okta_domain", HOST, "client_id", "0oanarrow", "private_key", pem(registered)))
                .statusCode(422)
                .body("message_code", equalTo("okta.scopes_not_granted"))
                .body("detail", containsString("Okta API Scopes"));
    }
}
