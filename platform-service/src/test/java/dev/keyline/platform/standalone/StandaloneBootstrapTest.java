package dev.keyline.platform.standalone;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.tenant.TenantDtos.CreatedTenant;
import dev.keyline.platform.tenant.TenantService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The bootstrap tenant on a database of its own (a separate profile starts a fresh PostgreSQL). */
@QuarkusTest
@TestProfile(StandaloneBootstrapTest.FreshDatabase.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class StandaloneBootstrapTest {
    private static final String CHECK = "checks.find { it.name == 'standalone-bootstrap' }";

    @Inject
    StandaloneBootstrap bootstrap;

    @Inject
    StandaloneStartup startup;

    @Inject
    TenantService tenants;

    @Inject
    UserTransaction transaction;

    @Inject
    DataSource dataSource;

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

    @Test
    void aBootstrapTenantWhoseTransactionIsCutOffLeavesNeitherTenantNorKey() throws Exception {
        // What a shutdown that aborts the bootstrap's transaction does: the tenant and its key go together.
        transaction.begin();
        CreatedTenant created;
        try {
            created = tenants.createTenant(StandaloneBootstrap.TENANT_NAME);
        } finally {
            transaction.rollback();
        }

        String tenantId = created.tenant().id();
        assertThat(Sql.rows(dataSource, "select id from tenants where id = ?", tenantId))
                .isEmpty();
        assertThat(Sql.rows(dataSource, "select id from api_keys where tenant_id = ?", tenantId))
                .isEmpty();
        given().header("Authorization", "Bearer " + created.apiKey().key())
                .when()
                .get("/tenant")
                .then()
                .statusCode(401);
    }

    @Test
    void onceRegisteredReadinessIsDownUntilTheBootstrapHasFinished() {
        // Outside standalone mode (as in tests) the check is not there at all.
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.name", not(hasItem(StandaloneBootstrapReadinessCheck.NAME)));
        startup.registerReadiness();
        try {
            given().when()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(503)
                    .body("status", equalTo("DOWN"))
                    .body(CHECK + ".status", equalTo("DOWN"))
                    .body(CHECK + ".data.state", equalTo("pending"));

            assertThat(startup.progress().run(new NothingToCreate())).isEqualTo(BootstrapProgress.State.DONE);

            given().when()
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200)
                    .body("status", equalTo("UP"))
                    .body(CHECK + ".status", equalTo("UP"));
        } finally {
            startup.unregisterReadiness();
        }
    }

    /** A later start's work: the tenant and the operator key exist already. */
    private static final class NothingToCreate implements BootstrapProgress.Steps {
        @Override
        public Optional<Banner.FirstTenant> createFirstTenantIfNone() {
            return Optional.empty();
        }

        @Override
        public Optional<String> takeNewOperatorKey() {
            return Optional.empty();
        }

        @Override
        public String banner(Optional<Banner.FirstTenant> tenant, Optional<String> operatorKey) {
            return "banner";
        }

        @Override
        public boolean demoEnabled() {
            return false;
        }

        @Override
        public String setUpDemo() {
            throw new AssertionError("no demo");
        }

        @Override
        public void print(String text) {}
    }
}
