package dev.keyline.platform.account;

import dev.keyline.connector.spi.HealthReport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A provider's health report read on another thread while the caller validates on the same connector, so a
 * check costs about one provider round trip instead of two. Closed before the connector: a probe that has not
 * started by then never starts, and one that is running is waited for, so it never talks through a closed
 * connector (which is what happened when validation threw and the connector closed under a queued probe).
 */
final class ParallelProbe implements AutoCloseable {
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final CompletableFuture<HealthReport> report;

    ParallelProbe(Supplier<HealthReport> probe, Executor executor) {
        this.report = CompletableFuture.supplyAsync(
                // Whoever claims first decides: the task runs the probe, or close() has already ruled it out.
                () -> claimed.compareAndSet(false, true) ? probe.get() : null, executor);
    }

    /** The report (null when there is none), waiting for it. */
    HealthReport join() {
        return report.join();
    }

    @Override
    public void close() {
        if (claimed.compareAndSet(false, true)) {
            return;
        }
        try {
            // Running or done: bounded by the connector's own request deadline.
            report.join();
        } catch (CompletionException e) {
            // The probe's failure does not matter to a caller that is already leaving.
        }
    }
}
