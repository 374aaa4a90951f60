package dev.keyline.platform.health;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.sync.SyncEvents.SyncFinished;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Gives back to the operating system the heap a large sync grew. The Serial collector (deploy/docker/jvm.options)
 * shrinks the heap only at a full collection, and a service whose young collections keep up rarely has one: after
 * the benchmark's syncs of 100k users the heap stayed committed at 244 MB of 256 with ~40 MB live, and the
 * resident size stayed with it until the process ended. So when a sync finishes and the committed heap has grown
 * by {@link #GROWTH} or more since the last trim (or since start), one full collection runs on a thread of its own;
 * it shrinks the heap to what {@code -XX:MaxHeapFreeRatio} allows above the live data. Small syncs, which grow
 * nothing, cost nothing. {@code -XX:+DisableExplicitGC} turns it off.
 */
@ApplicationScoped
public class HeapTrim {
    /** Growth of the committed heap that is worth a full collection (a few hundred ms at most on a 256 MB heap). */
    static final long GROWTH = 32L << 20;

    private static final Logger LOG = Logger.getLogger(HeapTrim.class);

    private final LongSupplier committed;
    private final Runnable collect;
    /** The committed heap after the last trim; the JVM's initial heap before the first. */
    private final AtomicLong baseline;

    private final AtomicBoolean running = new AtomicBoolean();

    HeapTrim() {
        this(ManagementFactory.getMemoryMXBean());
    }

    private HeapTrim(MemoryMXBean memory) {
        this(() -> memory.getHeapMemoryUsage().getCommitted(), System::gc, initial(memory));
    }

    HeapTrim(LongSupplier committed, Runnable collect, long initial) {
        this.committed = requireNonNull(committed, "committed is null");
        this.collect = requireNonNull(collect, "collect is null");
        this.baseline = new AtomicLong(initial);
    }

    private static long initial(MemoryMXBean memory) {
        long init = memory.getHeapMemoryUsage().getInit();
        return init > 0 ? init : memory.getHeapMemoryUsage().getCommitted();
    }

    void afterSync(@Observes SyncFinished finished) {
        trimIfGrown();
    }

    /**
     * Starts a trim when the heap has grown enough and none is running; true when it started one. Synchronous
     * observers must not do slow work, so the collection runs on its own short-lived thread.
     */
    boolean trimIfGrown() {
        long before = committed.getAsLong();
        if (before - baseline.get() < GROWTH || !running.compareAndSet(false, true)) {
            return false;
        }
        Thread trim = new Thread(
                () -> {
                    try {
                        collect.run();
                        long after = committed.getAsLong();
                        baseline.set(after);
                        LOG.debugf(
                                "Heap trimmed after a sync: %d MB committed before, %d MB after",
                                before >> 20, after >> 20);
                    } finally {
                        running.set(false);
                    }
                },
                "keyline-heap-trim");
        trim.setDaemon(true);
        trim.start();
        return true;
    }

    /** The committed heap the next trim is measured against. */
    long baseline() {
        return baseline.get();
    }
}
