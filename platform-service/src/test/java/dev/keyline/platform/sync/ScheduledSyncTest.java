package dev.keyline.platform.sync;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The automatic triggers, which the other tests keep off: the initial sync after a link, and the scheduler. */
@QuarkusTest
@TestProfile(ScheduledSyncTest.Automatic.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class ScheduledSyncTest {

    public static class Automatic implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "keyline.sync.on-link", "true",
                    "keyline.sync.scheduler.enabled", "true",
                    "keyline.sync.scheduler.tick", "200ms");
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void aLinkStartsAnInitialSyncAndTheSchedulerStartsOneWhenTheAccountIsDue() throws Exception {
        try (ScimUpstream upstream = ScimUpstream.builder()
                .users(25)
                .groups(2)
                .seed(3)
                .urlForms(UrlForm.BRIDGE)
                .token("scheduled-token-0123456789")
                .start()) {
            CreatedTenant tenant = newTenant();
            String accountId = linkOnePassword(tenant, "org-scheduled", upstream);

            List<Map<String, Object>> runs = awaitRuns(tenant, accountId, r -> r.size() == 1 && done(r.get(0)));
            assertThat(runs.get(0)).containsEntry("trigger", "initial").containsEntry("state", "succeeded");
            assertThat(runs.get(0).get("users_seen")).isEqualTo(25);
            // The initial sync pushed the schedule an interval on: no scheduled run follows at once.
            Thread.sleep(600);
            assertThat(awaitRuns(tenant, accountId, r -> true)).hasSize(1);

            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement(
                            "update sync_leases set next_due_at = now() - interval '1 second' where account_id = ?")) {
                s.setString(1, accountId);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
            runs = awaitRuns(tenant, accountId, r -> r.size() == 2 && done(r.get(0)));
            assertThat(runs.get(0)).containsEntry("trigger", "scheduled").containsEntry("state", "succeeded");
            Thread.sleep(600);
            assertThat(awaitRuns(tenant, accountId, r -> true))
                    .as("one scheduled run per interval")
                    .hasSize(2);
        }
    }

    private static boolean done(Map<String, Object> run) {
        return "succeeded".equals(run.get("state")) || "failed".equals(run.get("state"));
    }

    private static List<Map<String, Object>> awaitRuns(
            CreatedTenant tenant, String accountId, Predicate<List<Map<String, Object>>> until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<Map<String, Object>> runs = as(tenant.apiKey())
                    .get("/accounts/" + accountId + "/syncs")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("data");
            if (until.test(runs) || System.nanoTime() > deadline) {
                return runs;
            }
            Thread.sleep(50);
        }
    }
}
