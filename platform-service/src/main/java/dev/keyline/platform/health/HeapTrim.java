package dev.keyline.platform.health;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.sync.SyncEvents.SyncFinished;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Gives back to the operating system the heap a large sync grew. The Serial collector (deploy/docker/jvm.options)
 * shrinks the heap only at a full collection, and a service whose young collections keep up rarely has one: after
 * the benchmark's syncs of 100k users the heap stayed committed at 244 MB of 256 with ~40 MB live, and the
 * resident size stayed with it until the process ended. So when a sync finishes and the committed heap has grown
 * by {@link #GROWTH} or more since the last trim (or since start), one full collection runs on a thread of its own;
 * it shrinks the heap to what {@code -XX:MaxHeapFreeRatio} allows above the live data. Small syncs, which grow
 * nothing, cost nothing. Trims are at least {@link #MIN_INTERVAL_NANOS} apart, so a busy replica finishing syncs all
 * the time while its heap regrows under load does not pause for a full collection after each of them; a sync that
 * finishes sooner has its trim considered again once the interval is over, so the last of a burst is not forgotten.
 * {@code -XX:+DisableExplicitGC} turns it off.
 */
// Kept (#16): the Serial collector has no periodic uncommit. `--quick` 2026-12-06, scenario 3 RSS before/peak: 327/340
// MB without it vs 301/314 and 329/334 MB with it (noise: 10k users barely grow the heap); the full mode's 100k users
// showed 488 -> 410 MB (docs/benchmarks.md, 2026-11-26).
@ApplicationScoped
public class HeapTrim {
    /** Growth of the committed heap that is worth a full collection (a few hundred ms at most on a 256 MB heap). */
    static final long GROWTH = 32L << 20;
    /** The least time between two trims. */
    static final long MIN_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(5);

    private static final Logger LOG = Logger.getLogger(HeapTrim.class);

    private final LongSupplier committed;
    private final Runnable collect;
    /** The committed heap after the last trim; the JVM's initial heap before the first. */
    private final AtomicLong baseline;

    private final AtomicBoolean running = new AtomicBoolean();
    private final LongSupplier nanoTime;
    /** Runs a task after a delay in nanoseconds. */
    private final BiConsumer<Long, Runnable> later;

    private final AtomicBoolean deferred = new AtomicBoolean();
    /** When the last trim started, by {@link #nanoTime}; null before the first. */
    private volatile Long lastStarted;

    HeapTrim() {
        this(ManagementFactory.getMemoryMXBean());
    }

    private HeapTrim(MemoryMXBean memory) {
        this(
                () -> memory.getHeapMemoryUsage().getCommitted(),
                System::gc,
                initial(memory),
                System::nanoTime,
                (delay, task) -> CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS)
                        .execute(task));
    }

    HeapTrim(
            LongSupplier committed,
            Runnable collect,
            long initial,
            LongSupplier nanoTime,
            BiConsumer<Long, Runnable> later) {
        this.committed = requireNonNull(committed, "committed is null");
        this.collect = requireNonNull(collect, "collect is null");
        this.baseline = new AtomicLong(initial);
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.later = requireNonNull(later, "later is null");
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
        long now = nanoTime.getAsLong();
        Long last = lastStarted;
        if (before - baseline.get() < GROWTH) {
            return false;
        }
        if (last != null && now - last < MIN_INTERVAL_NANOS) {
            if (deferred.compareAndSet(false, true)) {
                later.accept(MIN_INTERVAL_NANOS - (now - last), () -> {
                    deferred.set(false);
                    trimIfGrown();
                });
            }
            return false;
        }
        if (!running.compareAndSet(false, true)) {
            return false;
        }
        lastStarted = now;
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
