package dev.keyline.platform.standalone;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bootstrap tenant on a database of its own (a separate profile starts a fresh PostgreSQL). */
@QuarkusTest
@TestProfile(StandaloneBootstrapTest.FreshDatabase.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class StandaloneBootstrapTest {

    @Inject
    StandaloneBootstrap bootstrap;

    public static class FreshDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyline.standalone.test-profile", "fresh-database");
        }
    }

    @Test
    void firstStartCreatesATenantWhoseKeyWorksAndLaterStartsDoNot() {
        Banner.FirstTenant first = bootstrap.createFirstTenantIfNone().orElseThrow();

        assertThat(first.name()).isEqualTo("Standalone");
        assertThat(first.apiKey()).startsWith("kl_live_");
        given().header("Authorization", "Bearer " + first.apiKey())
                .when()
                .get("/tenant")
                .then()
                .statusCode(200)
                .body("id", equalTo(first.id()));

        assertThat(bootstrap.createFirstTenantIfNone()).isEmpty();
    }
}
