package dev.keyline.platform.credential;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.VaultDoubleResource;
import dev.keyline.platform.support.VaultKv2Double;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code keyline.credentials.store=vault}: the service talks to Vault (the double) through quarkus-vault. */
@QuarkusTest
@TestProfile(VaultCredentialStoreWiringTest.VaultProfile.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class VaultCredentialStoreWiringTest {
    private static final String SECRET = "scim-bearer-wired-0123456789";

    @VaultDoubleResource.InjectVault
    VaultKv2Double vault;

    @Inject
    CredentialStoreProducer stores;

    @Inject
    CredentialStore injected;

    public static class VaultProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // The shared in-memory double would otherwise replace the Vault store this test is about.
            return Map.of("quarkus.arc.exclude-types", "dev.keyline.platform.support.InMemoryCredentialStore");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(VaultDoubleResource.class));
        }
    }

    @Test
    void vaultStoreIsSelectedAndRoundTripsThroughVault() {
        CredentialStore store = stores.configured();
        assertThat(store.kind()).isEqualTo("vault");
        assertThat(injected.kind()).isEqualTo("vault");

        store.put("tenant-w", "acc-1", Map.of("bearer_token", SECRET));

        assertThat(vault.latest("keyline/tenants/tenant-w/accounts/acc-1")).containsEntry("bearer_token", SECRET);
        assertThat(store.get("tenant-w", "acc-1")).contains(Map.of("bearer_token", SECRET));
        store.delete("tenant-w", "acc-1");
        assertThat(vault.paths()).doesNotContain("keyline/tenants/tenant-w/accounts/acc-1");
    }

    @Test
    void readinessFollowsVault() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'credential-store' }.data.kind", equalTo("vault"))
                .body("checks.find { it.name == 'credential-store' }.status", equalTo("UP"));

        vault.stop();
        try {
            given().when()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'credential-store' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'credential-store' }.data.reason", equalTo("unavailable"))
                    .body(not(containsString(VaultDoubleResource.TOKEN)))
                    .body(not(containsString("127.0.0.1")));
        } finally {
            vault.restart();
        }

        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
