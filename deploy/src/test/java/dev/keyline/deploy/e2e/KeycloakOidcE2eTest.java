package dev.keyline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.scimdouble.ScimUpstream;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real OIDC end to end: a Keycloak from the {@code keycloak-quarkus-dist} zip with the realm in
 * {@code deploy/keycloak/}, and the packaged service in its production profile with OIDC on, against real
 * PostgreSQL. The operator acts by the realm role {@code operator}, tenants by the {@code keyline_tenant} claim
 * mapped from a user attribute; tokens are obtained with the password grant.
 */
class KeycloakOidcE2eTest {
    private static final String CLIENT = "keyline-cli";
    private static final String SHORT_LIVED_CLIENT = "keyline-short-lived";

    private static KeycloakProcess keycloak;
    private static Backing backing;
    private static ScimUpstream upstreamA;
    private static ScimUpstream upstreamB;
    private static KeylineProcess keyline;

    @BeforeAll
    static void start() {
        long started = System.nanoTime();
        keycloak = new KeycloakProcess().start();
        // PostgreSQL and the upstreams start while Keycloak boots; the service needs Keycloak's discovery document.
        backing = new Backing(true);
        upstreamA = ScimUpstream.builder()
                .users(40)
                .groups(3)
                .seed(21)
                .token("scim-e2e-" + E2e.secret(12))
                .start();
        upstreamB = ScimUpstream.builder()
                .users(25)
                .groups(2)
                .seed(22)
                .token("scim-e2e-" + E2e.secret(12))
                .start();
        keycloak.awaitReady();
        E2e.timing("oidc: keycloak ready", started);
        Map<String, String> properties = new LinkedHashMap<>(backing.properties("oidc"));
        properties.put("quarkus.profile", "prod");
        properties.put("quarkus.oidc.tenant-enabled", "true");
        properties.put("quarkus.oidc.auth-server-url", keycloak.issuer());
        // The realm's clients put this audience in their access tokens; Keyline refuses to start without one.
        properties.put("quarkus.oidc.token.audience", "keyline-api");
        properties.put("keyline.auth.tenant-claim", "keyline_tenant");
        // Only OIDC operators here: no operator key is configured.
        properties.remove("keyline.auth.operator-key-sha256");
        keyline = KeylineProcess.start("oidc", properties, backing.environment());
        E2e.timing("oidc: keycloak and keyline ready", started);
    }

    @AfterAll
    static void stop() {
        if (keyline != null) {
            keyline.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
        for (ScimUpstream upstream : new ScimUpstream[] {upstreamA, upstreamB}) {
            if (upstream != null) {
                upstream.close();
            }
        }
        if (backing != null) {
            backing.close();
        }
    }

    @Test
    void tenantsAndOperatorActWithKeycloakTokens() {
        long started = System.nanoTime();
        Api anonymous = new Api(keyline.url(), null);
        Api operator = anonymous.as(keycloak.token(CLIENT, "keyline-operator"));
        JsonNode a = operator.post("/tenants", Map.of("name", "Tenant A"))
                .expect(201)
                .json();
        JsonNode b = operator.post("/tenants", Map.of("name", "Tenant B"))
                .expect(201)
                .json();
        String tenantA = a.path("tenant").path("id").asText();
        String tenantB = b.path("tenant").path("id").asText();
        assertThat(operator.get("/tenants/" + tenantA).status()).isEqualTo(200);

        // Before the IdP names a tenant for the user, the user's token acts for none.
        Api unassigned = anonymous.as(keycloak.token(CLIENT, "tenant-a-admin"));
        assertThat(unassigned.get("/tenant").status()).isEqualTo(403);
        keycloak.setTenant("tenant-a-admin", tenantA);
        keycloak.setTenant("tenant-b-admin", tenantB);
        Api asA = anonymous.as(keycloak.token(CLIENT, "tenant-a-admin"));
        Api asB = anonymous.as(keycloak.token(CLIENT, "tenant-b-admin"));
        assertThat(asA.get("/tenant").expect(200).json().path("id").asText()).isEqualTo(tenantA);
        assertThat(asB.get("/tenant").expect(200).json().path("id").asText()).isEqualTo(tenantB);
        E2e.timing("oidc: tenants created, tokens issued", started);

        String accountA = Flows.link(asA, "org-a", upstreamA);
        String accountB = Flows.link(asB, "org-b", upstreamB);
        assertThat(Flows.users(asA, accountA, "live")).hasSize(40);
        assertThat(Flows.users(asB, accountB, "live")).hasSize(25);
        assertThat(asA.get("/accounts").expect(200).json().path("data").findValuesAsText("id"))
                .containsExactly(accountA);
        E2e.timing("oidc: accounts linked and read", started);

        // Tenant A's token on tenant B's account: as if it did not exist.
        assertThat(asA.get("/accounts/" + accountB).status()).isEqualTo(404);
        assertThat(asA.get("/iam/users", Map.of("x-account-id", accountB)).status())
                .isEqualTo(404);
        assertThat(asA.get("/accounts/" + accountB + "/syncs").status()).isEqualTo(404);
        assertThat(asA.delete("/accounts/" + accountB).status()).isEqualTo(404);
        assertThat(asB.get("/accounts/" + accountA).status()).isEqualTo(404);
        assertThat(asB.get("/accounts").expect(200).json().path("data").findValuesAsText("id"))
                .containsExactly(accountB);
        // Roles do not cross: a tenant is no operator, the operator is no tenant.
        assertThat(asA.post("/tenants", Map.of("name", "Sneaky")).status()).isEqualTo(403);
        assertThat(operator.get("/accounts").status()).isEqualTo(403);
        // No token, a tampered token: 401.
        assertThat(anonymous.get("/accounts").status()).isEqualTo(401);
        String token = keycloak.token(CLIENT, "tenant-a-admin");
        String tampered =
                token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        assertThat(anonymous.as(tampered).get("/accounts").status()).isEqualTo(401);

        // An expired token: the short-lived client's tokens live 10 seconds.
        String shortLived = keycloak.token(SHORT_LIVED_CLIENT, "tenant-a-admin");
        Instant expiry = Instant.ofEpochSecond(claims(shortLived).path("exp").asLong());
        Api expiring = anonymous.as(shortLived);
        assertThat(expiring.get("/accounts").status()).isEqualTo(200);
        Duration wait = Duration.between(Instant.now(), expiry).plusSeconds(2);
        if (!wait.isNegative()) {
            E2e.sleep(wait);
        }
        Api.Response expired = expiring.get("/accounts");
        assertThat(expired.status()).as(expired.body()).isEqualTo(401);
        System.out.printf(
                "[e2e] oidc: operator, 2 tenants, 2 accounts; cross-tenant 404s, tampered and expired tokens 401"
                        + " (token lifespan %d s)%n",
                claims(shortLived).path("exp").asLong()
                        - claims(shortLived).path("iat").asLong());
        E2e.timing("oidc: flows", started);
    }

    private static JsonNode claims(String jwt) {
        String payload = jwt.split("\\.")[1];
        try {
            return Api.JSON.readTree(Base64.getUrlDecoder().decode(payload));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
