package dev.keyline.platform.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.spi.HealthReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A check's parallel health probe never runs against a connector that validation's failure already closed. */
class ParallelProbeTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** Stands for the connector: the probe notes whether it found it closed. */
    private static final class Target {
        final AtomicBoolean closed = new AtomicBoolean();
        final AtomicInteger probedWhileClosed = new AtomicInteger();
        final AtomicInteger probes = new AtomicInteger();

        HealthReport probe() {
            probes.incrementAndGet();
            if (closed.get()) {
                probedWhileClosed.incrementAndGet();
            }
            return new HealthReport(HealthReport.State.HEALTHY, null, List.of(), Instant.EPOCH);
        }
    }

    @Test
    void aProbeStillQueuedWhenValidationThrowsNeverStarts() {
        List<Runnable> queued = new ArrayList<>();
        Executor later = queued::add;
        Target connector = new Target();
        RuntimeException failure = new IllegalStateException("validation failed");

        try (ParallelProbe ignored = new ParallelProbe(connector::probe, later)) {
            throw failure;
        } catch (IllegalStateException e) {
            assertThat(e).isSameAs(failure);
        } finally {
            // As in LinkValidation.validate: the connector closes right after the probe.
            connector.closed.set(true);
        }
        // The executor gets round to the task only after the connector closed.
        assertThat(queued).hasSize(1);
        queued.forEach(Runnable::run);

        assertThat(connector.probes).hasValue(0);
        assertThat(connector.probedWhileClosed).hasValue(0);
    }

    @Test
    void aRunningProbeIsWaitedForBeforeTheConnectorCloses() throws Exception {
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Target connector = new Target();
        ParallelProbe report = new ParallelProbe(
                () -> {
                    probing.countDown();
                    await(release);
                    return connector.probe();
                },
                threads);
        assertThat(probing.await(10, TimeUnit.SECONDS)).isTrue();

        // Validation threw: the caller leaves, closing the probe and then the connector.
        Future<?> leaving = threads.submit(() -> {
            report.close();
            connector.closed.set(true);
        });
        Thread.sleep(200);
        assertThat(leaving.isDone()).as("close() waits for the running probe").isFalse();
        release.countDown();
        leaving.get(10, TimeUnit.SECONDS);

        assertThat(connector.probes).hasValue(1);
        assertThat(connector.probedWhileClosed).hasValue(0);
    }

    @Test
    void theReportIsReadWhenValidationSucceeds() {
        Target connector = new Target();
        HealthReport read;
        try (ParallelProbe report = new ParallelProbe(connector::probe, threads)) {
            read = report.join();
        }
        assertThat(read).isNotNull();
        assertThat(connector.probes).hasValue(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
