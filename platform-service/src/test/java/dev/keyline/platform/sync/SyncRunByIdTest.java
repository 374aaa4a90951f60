package dev.keyline.platform.sync;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A started run is followed by its own address: {@code Location} on the answer, {@code GET …/syncs/{run_id}}. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class SyncRunByIdTest {
    private ScimUpstream upstream;

    @AfterEach
    void stop() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aStartedRunIsAtItsLocationUntilItFinishes() throws InterruptedException {
        upstream = ScimUpstream.builder()
                .users(5)
                .groups(1)
                .urlForms(UrlForm.BRIDGE)
                .token("run-by-id-token-0123456789")
                .start();
        CreatedTenant tenant = newTenant();
        String account = linkOnePassword(tenant, "org-run-by-id", upstream);

        Response started = as(tenant.apiKey()).post("/v1/accounts/" + account + "/syncs");
        started.then().statusCode(202);
        String runId = started.path("id");
        URI location = URI.create(started.header("Location"));
        assertThat(location.getPath()).isEqualTo("/v1/accounts/" + account + "/syncs/" + runId);

        String state = "queued";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!state.equals("succeeded") && !state.equals("failed") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            state = as(tenant.apiKey())
                    .get(location.getPath())
                    .then()
                    .statusCode(200)
                    .body("id", equalTo(runId))
                    .extract()
                    .path("state");
        }
        assertThat(state).isEqualTo("succeeded");
    }

    @Test
    void anotherAccountsOrTenantsRunIsNotFound() {
        upstream = ScimUpstream.builder()
                .users(2)
                .urlForms(UrlForm.BRIDGE)
                .token("run-by-id-token-9876543210")
                .start();
        CreatedTenant tenant = newTenant();
        String account = linkOnePassword(tenant, "org-run-owner", upstream);
        String other = linkOnePassword(tenant, "org-run-other", upstream);
        String runId = as(tenant.apiKey())
                .post("/v1/accounts/" + account + "/syncs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");

        as(tenant.apiKey())
                .get("/v1/accounts/" + other + "/syncs/" + runId)
                .then()
                .statusCode(404)
                .body("code", equalTo("not_found"));
        as(newTenant().apiKey())
                .get("/v1/accounts/" + account + "/syncs/" + runId)
                .then()
                .statusCode(404);
        as(tenant.apiKey())
                .get("/v1/accounts/" + account + "/syncs/run_missing")
                .then()
                .statusCode(404)
                .body("code", equalTo("not_found"));
    }
}
