package dev.keyline.platform.scheduling;

import static dev.keyline.platform.scheduling.ScheduledJobsTest.awaitFired;
import static dev.keyline.platform.scheduling.ScheduledJobsTest.sleep;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The jobs whose defaults are minutes or hours fire on the interval their key sets (their first run waits one
 * interval, so at the defaults none would fire during a test), and {@code off} leaves a job unscheduled. The work
 * itself stays off ({@code keyline.sync.scheduler.enabled}, {@code keyline.health.enabled} are false in tests).
 */
@QuarkusTest
@TestProfile(ShortIntervalsTest.Short.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class ShortIntervalsTest {

    public static class Short implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "keyline.sync.scheduler.tick", "1s",
                    "keyline.health.tick", "1s",
                    "keyline.connect.purge-interval", "1s",
                    "keyline.credentials.orphan-sweep-interval", "off");
        }
    }

    @Inject
    Scheduler scheduler;

    @Test
    void eachJobFiresOnTheIntervalOfItsKey() {
        awaitFiredAgain("keyline-sync-scheduler");
        awaitFiredAgain("keyline-health-checks");
        awaitFiredAgain("keyline-session-purge");
    }

    /** A second run: the first one only shows the initial delay (the same key) was read. */
    private void awaitFiredAgain(String id) {
        awaitFired(scheduler, id);
        Trigger job = scheduler.getScheduledJob(id);
        Instant first = job.getPreviousFireTime();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!job.getPreviousFireTime().isAfter(first) && System.nanoTime() < deadline) {
            sleep();
        }
        assertThat(job.getPreviousFireTime()).as("second run of %s", id).isAfter(first);
    }

    @Test
    void offLeavesTheJobUnscheduled() {
        assertThat(scheduler.getScheduledJob("keyline-credential-orphan-sweep")).isNull();
    }
}
