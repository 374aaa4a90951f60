package dev.keyline.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Shared reads must never hand a caller a read that began before it arrived: that is what keeps a synced page
 * exactly as fresh as the store. Reads here are numbered as they begin, and run by hand where the order matters,
 * so the tests need no timing.
 */
class SharedFreshReadsTest {

    /** Runs the submitted reads only when the test says so. */
    private final LinkedBlockingQueue<Runnable> submitted = new LinkedBlockingQueue<>();

    private final AtomicInteger began = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private Runnable nextSubmitted() throws InterruptedException {
        Runnable task = submitted.poll(10, TimeUnit.SECONDS);
        assertThat(task).as("a read was submitted").isNotNull();
        return task;
    }

    @Test
    void aCallerThatArrivesDuringAReadWaitsForTheNextOne() throws Exception {
        CountDownLatch inRead = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SharedFreshReads<String, Integer> reads = new SharedFreshReads<>(
                key -> {
                    int number = began.incrementAndGet();
                    if (number == 1) {
                        inRead.countDown();
                        await(release);
                    }
                    return number;
                },
                pool);

        CompletableFuture<Integer> first = reads.get("acc");
        assertThat(inRead.await(10, TimeUnit.SECONDS)).isTrue();
        // Read 1 has begun: a caller arriving now must not get it.
        CompletableFuture<Integer> second = reads.get("acc");
        CompletableFuture<Integer> third = reads.get("acc");
        assertThat(second).isNotDone();
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        // Both arrived while read 1 ran: they share read 2.
        assertThat(third.get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(began).hasValue(2);
    }

    @Test
    void callersThatArriveBeforeTheReadBeginsShareIt() throws Exception {
        SharedFreshReads<String, Integer> reads =
                new SharedFreshReads<>(key -> began.incrementAndGet(), submitted::add);

        CompletableFuture<Integer> a = reads.get("acc");
        CompletableFuture<Integer> b = reads.get("acc");
        CompletableFuture<Integer> other = reads.get("other-acc");
        Runnable accRead = nextSubmitted();
        Runnable otherRead = nextSubmitted();
        assertThat(submitted).isEmpty();
        accRead.run();
        otherRead.run();

        assertThat(a.get()).isEqualTo(1);
        assertThat(b.get()).isEqualTo(1);
        assertThat(other.get()).isEqualTo(2);
        assertThat(reads.activeKeys()).isZero();
        // Idle again: the next caller starts a read of its own.
        CompletableFuture<Integer> later = reads.get("acc");
        nextSubmitted().run();
        assertThat(later.get()).isEqualTo(3);
    }

    @Test
    void aCallerThatArrivesWhileTheReadRunsIsServedByALaterReadSubmittedWhenItEnds() throws Exception {
        AtomicReference<SharedFreshReads<String, Integer>> self = new AtomicReference<>();
        AtomicReference<CompletableFuture<Integer>> arrivedDuringRead = new AtomicReference<>();
        AtomicInteger submittedDuringRead = new AtomicInteger(-1);
        SharedFreshReads<String, Integer> reads = new SharedFreshReads<>(
                key -> {
                    int number = began.incrementAndGet();
                    if (number == 1) {
                        // A caller arrives while read 1 runs; one read per key at a time, so none is submitted.
                        arrivedDuringRead.set(self.get().get(key));
                        submittedDuringRead.set(submitted.size());
                    }
                    return number;
                },
                submitted::add);
        self.set(reads);
        CompletableFuture<Integer> first = reads.get("acc");
        CompletableFuture<Integer> beforeItBegan = reads.get("acc");

        nextSubmitted().run();

        assertThat(first.get()).isEqualTo(1);
        assertThat(beforeItBegan.get()).isEqualTo(1);
        assertThat(submittedDuringRead).hasValue(0);
        assertThat(arrivedDuringRead.get()).isNotDone();
        nextSubmitted().run();
        assertThat(arrivedDuringRead.get().get()).isEqualTo(2);
        assertThat(submitted).isEmpty();
        assertThat(reads.activeKeys()).isZero();
    }

    @Test
    void aFailedReadFailsOnlyTheCallersThatSharedIt() throws Exception {
        AtomicReference<SharedFreshReads<String, Integer>> self = new AtomicReference<>();
        AtomicReference<CompletableFuture<Integer>> arrivedDuringRead = new AtomicReference<>();
        SharedFreshReads<String, Integer> reads = new SharedFreshReads<>(
                key -> {
                    int number = began.incrementAndGet();
                    if (number == 1) {
                        arrivedDuringRead.set(self.get().get(key));
                        throw new IllegalStateException("database down");
                    }
                    return number;
                },
                submitted::add);
        self.set(reads);
        CompletableFuture<Integer> failing = reads.get("acc");
        nextSubmitted().run();

        assertThatThrownBy(failing::get)
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        nextSubmitted().run();
        assertThat(arrivedDuringRead.get().get()).isEqualTo(2);
    }

    @Test
    void aCallerCancellingItsFutureLeavesTheOthersAlone() throws Exception {
        SharedFreshReads<String, Integer> reads =
                new SharedFreshReads<>(key -> began.incrementAndGet(), submitted::add);
        CompletableFuture<Integer> impatient = reads.get("acc");
        CompletableFuture<Integer> patient = reads.get("acc");
        impatient.cancel(false);
        nextSubmitted().run();
        assertThat(patient.get()).isEqualTo(1);
    }

    @Test
    void underConcurrencyEveryCallerGetsAReadThatBeganAfterItArrived() throws Exception {
        SharedFreshReads<String, Integer> reads = new SharedFreshReads<>(
                key -> {
                    int number = began.incrementAndGet();
                    Thread.yield();
                    return number;
                },
                pool);
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Void>> checks = new ArrayList<>();
            AtomicInteger violations = new AtomicInteger();
            for (int c = 0; c < 8; c++) {
                String key = "acc-" + (c % 2);
                checks.add(CompletableFuture.runAsync(
                        () -> {
                            for (int i = 0; i < 500; i++) {
                                int beganBefore = began.get();
                                int got = reads.get(key).join();
                                if (got <= beganBefore) {
                                    violations.incrementAndGet();
                                }
                            }
                        },
                        callers));
            }
            CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            assertThat(violations).hasValue(0);
            assertThat(reads.activeKeys()).isZero();
        } finally {
            callers.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
