package dev.keyline.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.sync.SyncEngine;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.scheduler.Trigger;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The periodic work runs on the Quarkus scheduler, under fixed job names. In the test profile the webhook poll and
 * flush are short and the orphan sweep starts at once; the other jobs are checked in {@link ShortIntervalsTest}.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class ScheduledJobsTest {

    @Inject
    Scheduler scheduler;

    @Inject
    SyncEngine engine;

    @Test
    void theWebhookJobsFireOnTheirShortTestIntervals() {
        awaitFired(scheduler, "keyline-webhook-poll");
        awaitFired(scheduler, "keyline-webhook-outbox");
    }

    @Test
    void theOrphanSweepRunsRightAfterStartThoughItsIntervalIsAnHour() {
        awaitFired(scheduler, "keyline-credential-orphan-sweep");
    }

    @Test
    void theSyncEngineRenewsLeasesOnAJobOfItsOwnAndHasNoQueueCheckWhenItIsZero() {
        engine.wake();
        assertThat(scheduler.getScheduledJobs().stream().map(Trigger::getId))
                .anyMatch(id -> id.startsWith("keyline-sync-lease-"));
        // keyline.sync.queue-check=0s in the test profile: the engine schedules no look at the queue.
        assertThat(scheduler.getScheduledJobs().stream().map(Trigger::getId))
                .noneMatch(id -> id.startsWith("keyline-sync-queue-check-"));
    }

    static void awaitFired(Scheduler scheduler, String id) {
        Trigger job = scheduler.getScheduledJob(id);
        assertThat(job).as("scheduled job %s", id).isNotNull();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (job.getPreviousFireTime() == null && System.nanoTime() < deadline) {
            sleep();
        }
        assertThat(job.getPreviousFireTime()).as("last run of %s", id).isNotNull();
    }

    static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
