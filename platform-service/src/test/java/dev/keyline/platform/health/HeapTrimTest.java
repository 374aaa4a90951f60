package dev.keyline.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HeapTrimTest {
    private static final long MB = 1L << 20;

    private final AtomicLong committed = new AtomicLong(64 * MB);
    private final AtomicInteger collections = new AtomicInteger();
    private final AtomicLong clock = new AtomicLong(1_000);
    /** Tasks the trim deferred, with their delays; run by hand. */
    private final java.util.List<java.util.Map.Entry<Long, Runnable>> deferred = new java.util.ArrayList<>();

    @Test
    void aSyncThatGrewNothingCostsNoCollection() {
        HeapTrim trim = new HeapTrim(
                committed::get,
                collections::incrementAndGet,
                64 * MB,
                clock::get,
                (delay, task) -> deferred.add(java.util.Map.entry(delay, task)));
        committed.set(64 * MB + HeapTrim.GROWTH - 1);

        assertThat(trim.trimIfGrown()).isFalse();
        assertThat(collections).hasValue(0);
    }

    @Test
    void aGrownHeapIsCollectedOnceAndTheNextTrimCountsFromWhatIsLeft() throws Exception {
        CountDownLatch collected = new CountDownLatch(1);
        HeapTrim trim = new HeapTrim(
                committed::get,
                () -> {
                    collections.incrementAndGet();
                    committed.set(90 * MB); // what the full collection left committed
                    collected.countDown();
                },
                64 * MB,
                clock::get,
                (delay, task) -> deferred.add(java.util.Map.entry(delay, task)));
        committed.set(244 * MB);

        assertThat(trim.trimIfGrown()).isTrue();
        assertThat(collected.await(10, TimeUnit.SECONDS)).isTrue();
        awaitBaseline(trim, 90 * MB);
        assertThat(collections).hasValue(1);

        // Growth is measured from the trimmed heap, not from the start.
        clock.addAndGet(HeapTrim.MIN_INTERVAL_NANOS);
        committed.set(90 * MB + HeapTrim.GROWTH - 1);
        assertThat(trim.trimIfGrown()).isFalse();
        assertThat(collections).hasValue(1);
    }

    @Test
    void trimsAreAtLeastTheMinimumIntervalApart() throws Exception {
        HeapTrim trim = new HeapTrim(
                committed::get,
                // Each collection leaves a different heap, so the test can tell the second one has run.
                () -> committed.set((90 + collections.incrementAndGet()) * MB),
                64 * MB,
                clock::get,
                (delay, task) -> deferred.add(java.util.Map.entry(delay, task)));
        committed.set(200 * MB);
        assertThat(trim.trimIfGrown()).isTrue();
        awaitBaseline(trim, 91 * MB);

        // The heap grew back under load while syncs kept finishing: no second pause until the interval is over.
        committed.set(200 * MB);
        clock.addAndGet(HeapTrim.MIN_INTERVAL_NANOS - 10);
        assertThat(trim.trimIfGrown()).isFalse();
        assertThat(trim.trimIfGrown()).isFalse();
        assertThat(collections).hasValue(1);
        // ...but the last sync's growth is looked at again when the interval ends, once however many syncs finished.
        assertThat(deferred).hasSize(1);
        assertThat(deferred.get(0).getKey()).isEqualTo(10L);

        clock.addAndGet(10);
        deferred.get(0).getValue().run();
        awaitBaseline(trim, 92 * MB);
        assertThat(collections).hasValue(2);
    }

    @Test
    void syncsFinishingDuringATrimStartNoSecondOne() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        HeapTrim trim = new HeapTrim(
                committed::get,
                () -> {
                    collections.incrementAndGet();
                    started.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                64 * MB,
                clock::get,
                (delay, task) -> deferred.add(java.util.Map.entry(delay, task)));
        committed.set(200 * MB);

        assertThat(trim.trimIfGrown()).isTrue();
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(trim.trimIfGrown()).isFalse();
        release.countDown();
        awaitBaseline(trim, 200 * MB);
        assertThat(collections).hasValue(1);
    }

    private static void awaitBaseline(HeapTrim trim, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (trim.baseline() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(trim.baseline()).isEqualTo(expected);
    }
}
