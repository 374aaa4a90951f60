package dev.keyline.platform.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.Page;
import dev.keyline.platform.base.FailureCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PrefetchingPagesTest {
    private final ExecutorService ahead = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        ahead.shutdownNow();
    }

    /** Page n (cursor "n", null for 0) holds n; the last one has no next cursor. */
    private static Function<String, Page<Integer>> pages(int count, List<String> fetched) {
        return cursor -> {
            int n = cursor == null ? 0 : Integer.parseInt(cursor);
            fetched.add(cursor == null ? "first" : cursor);
            return Page.of(List.of(n), n + 1 < count ? String.valueOf(n + 1) : null);
        };
    }

    @Test
    void everyPageReachesTheSinkOnceInOrder() {
        List<String> fetched = new CopyOnWriteArrayList<>();
        List<Integer> sunk = new CopyOnWriteArrayList<>();
        int count = PrefetchingPages.stream(pages(7, fetched), page -> sunk.addAll(page.items()), ahead);
        assertThat(count).isEqualTo(7);
        assertThat(sunk).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(fetched).containsExactly("first", "1", "2", "3", "4", "5", "6");
    }

    @Test
    void theNextPageIsFetchedWhileThePageBeforeIsStoredButNeverTwoAhead() throws Exception {
        List<String> fetched = new CopyOnWriteArrayList<>();
        Function<String, Page<Integer>> all = pages(5, fetched);
        CountDownLatch secondFetched = new CountDownLatch(1);
        AtomicInteger sinks = new AtomicInteger();
        AtomicInteger mostAhead = new AtomicInteger();
        Function<String, Page<Integer>> fetch = cursor -> {
            Page<Integer> page = all.apply(cursor);
            mostAhead.accumulateAndGet(fetched.size() - sinks.get(), Math::max);
            if ("1".equals(cursor)) {
                secondFetched.countDown();
            }
            return page;
        };
        List<Boolean> overlapped = new CopyOnWriteArrayList<>();
        PrefetchingPages.stream(
                fetch,
                page -> {
                    if (page.items().get(0) == 0) {
                        // In line, page 1 would only be asked for after this returns: the wait would run out.
                        try {
                            overlapped.add(secondFetched.await(20, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    sinks.incrementAndGet();
                },
                ahead);
        assertThat(overlapped).containsExactly(true);
        // The page being stored and the one fetched ahead: never more.
        assertThat(mostAhead.get()).isEqualTo(2);
    }

    @Test
    void aFailedFetchSurfacesAsItselfAfterThePagesBefore() {
        List<String> fetched = new CopyOnWriteArrayList<>();
        Function<String, Page<Integer>> all = pages(9, fetched);
        ConnectorException failure = new ConnectorException(ErrorCode.UPSTREAM_ERROR, "page 3 failed");
        List<Integer> sunk = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> PrefetchingPages.stream(
                        cursor -> {
                            if ("3".equals(cursor)) {
                                throw failure;
                            }
                            return all.apply(cursor);
                        },
                        page -> sunk.addAll(page.items()),
                        ahead))
                .isSameAs(failure);
        assertThat(sunk).containsExactly(0, 1, 2);
        assertThat(fetched).containsExactly("first", "1", "2");
    }

    @Test
    void aFailingSinkStopsTheWalkWithItsOwnFailure() {
        List<String> fetched = new CopyOnWriteArrayList<>();
        SyncFailure lost = new SyncFailure(FailureCode.LEASE_LOST, "lost");
        List<Integer> sunk = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> PrefetchingPages.stream(
                        pages(9, fetched),
                        page -> {
                            if (page.items().get(0) == 2) {
                                throw lost;
                            }
                            sunk.addAll(page.items());
                        },
                        ahead))
                .isSameAs(lost);
        assertThat(sunk).containsExactly(0, 1);
        // At most the page after the failed one was asked for.
        assertThat(fetched.size()).isLessThanOrEqualTo(4);
    }

    @Test
    void aCursorSeenBeforeEndsTheListingAfterItsPage() {
        List<Integer> sunk = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> PrefetchingPages.stream(
                        cursor -> Page.of(List.of(cursor == null ? 0 : 1), "again"),
                        page -> sunk.addAll(page.items()),
                        ahead))
                .isInstanceOf(ConnectorException.class)
                .satisfies(e -> assertThat(((ConnectorException) e).code()).isEqualTo(ErrorCode.UPSTREAM_ERROR));
        assertThat(sunk).containsExactly(0, 1);
    }

    @Test
    void aStoppedExecutorFetchesInLine() {
        ahead.shutdown();
        List<String> fetched = new CopyOnWriteArrayList<>();
        List<Integer> sunk = new CopyOnWriteArrayList<>();
        assertThat(PrefetchingPages.stream(pages(3, fetched), page -> sunk.addAll(page.items()), ahead))
                .isEqualTo(3);
        assertThat(sunk).containsExactly(0, 1, 2);
    }

    // ---- several pages in flight, for a listing paged by position ----

    /** Page n starts at record 10n; the predicted cursor is "p<n>", the real one "<n>". */
    private static PrefetchingPages.Positions<Integer> positions(List<String> rejected) {
        return new PrefetchingPages.Positions<>(
                cursor -> Optional.of("p" + (number(cursor) + 1)), (predicted, actual, items) -> {
                    boolean same = number(predicted) == number(actual) && !items.contains(-1);
                    if (!same) {
                        rejected.add(predicted + "≠" + actual);
                    }
                    return same;
                });
    }

    private static int number(String cursor) {
        return cursor == null ? 0 : Integer.parseInt(cursor.replace("p", ""));
    }

    /** Page n (by number, whatever the cursor's spelling) holds n; the last one has no next cursor. */
    private static Function<String, Page<Integer>> positional(int count, List<String> fetched) {
        return cursor -> {
            int n = number(cursor);
            fetched.add(cursor == null ? "first" : cursor);
            if (n >= count) {
                return Page.last(List.of());
            }
            return Page.of(List.of(n), n + 1 < count ? String.valueOf(n + 1) : null);
        };
    }

    @Test
    void predictedPagesAreFetchedSeveralAtOnceAndSunkInOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<String> fetched = new CopyOnWriteArrayList<>();
            List<String> rejected = new CopyOnWriteArrayList<>();
            Function<String, Page<Integer>> all = positional(12, fetched);
            CountDownLatch fourAhead = new CountDownLatch(4);
            Function<String, Page<Integer>> fetch = cursor -> {
                Page<Integer> page = all.apply(cursor);
                if (cursor != null) {
                    fourAhead.countDown();
                }
                return page;
            };
            List<Integer> sunk = new CopyOnWriteArrayList<>();
            List<Boolean> overlapped = new CopyOnWriteArrayList<>();
            int count = PrefetchingPages.stream(
                    fetch,
                    positions(rejected),
                    4,
                    page -> {
                        if (page.items().get(0) == 0) {
                            // One page ahead at a time, the second fetch would wait for this sink: it runs out.
                            try {
                                overlapped.add(fourAhead.await(20, TimeUnit.SECONDS));
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                        sunk.addAll(page.items());
                    },
                    pool);
            assertThat(overlapped).containsExactly(true);
            assertThat(count).isEqualTo(12);
            assertThat(sunk).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
            assertThat(rejected).isEmpty();
            // The real cursor of page 1, then predictions; at most 3 predicted past the end, never sunk.
            assertThat(fetched).contains("first", "1", "p2", "p11").doesNotContain("2", "11");
            assertThat(fetched.size()).isBetween(12, 15);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPredictedPageThatDoesNotAnswerTheRealCursorIsFetchedAgainAtIt() {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<String> fetched = new CopyOnWriteArrayList<>();
            List<String> rejected = new CopyOnWriteArrayList<>();
            // Page 3 really continues at 5 (the provider skipped ahead): the predicted 4 must not be used.
            Function<String, Page<Integer>> fetch = cursor -> {
                int n = number(cursor);
                fetched.add(cursor == null ? "first" : cursor);
                if (n >= 8) {
                    return Page.last(List.of());
                }
                String next = n == 3 ? "5" : n + 1 < 8 ? String.valueOf(n + 1) : null;
                return Page.of(List.of(n), next);
            };
            List<Integer> sunk = new ArrayList<>();
            PrefetchingPages.stream(fetch, positions(rejected), 3, page -> sunk.addAll(page.items()), pool);
            assertThat(sunk).containsExactly(0, 1, 2, 3, 5, 6, 7);
            assertThat(rejected).contains("p4≠5");
            assertThat(fetched).contains("5");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPredictedFetchFailingAtTheRealPositionFailsTheWalkWithoutAskingAgain() {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<String> fetched = new CopyOnWriteArrayList<>();
            List<String> rejected = new CopyOnWriteArrayList<>();
            Function<String, Page<Integer>> all = positional(6, fetched);
            Function<String, Page<Integer>> broken = cursor -> {
                if (number(cursor) == 2) {
                    fetched.add(cursor);
                    throw new ConnectorException(ErrorCode.RATE_LIMITED, "page 2 failed");
                }
                return all.apply(cursor);
            };
            List<Integer> before = new ArrayList<>();
            assertThatThrownBy(() -> PrefetchingPages.stream(
                            broken, positions(rejected), 3, page -> before.addAll(page.items()), pool))
                    .isInstanceOf(ConnectorException.class)
                    .hasMessage("page 2 failed");
            // The pages before it reached the sink; page 2 was asked for once, at its predicted cursor.
            assertThat(before).containsExactly(0, 1);
            assertThat(fetched).contains("p2").doesNotContain("2");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPredictedFetchFailingAtAnotherPositionIsDroppedAndTheRealCursorFetched() {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<String> fetched = new CopyOnWriteArrayList<>();
            List<String> rejected = new CopyOnWriteArrayList<>();
            // Page 1 ends early: the real next page is 3; the prediction for 2 failed, which says nothing about 3.
            Function<String, Page<Integer>> fetch = cursor -> {
                int n = number(cursor);
                fetched.add(cursor == null ? "first" : cursor);
                if (cursor != null && cursor.startsWith("p") && n == 2) {
                    throw new ConnectorException(ErrorCode.UPSTREAM_ERROR, "no page 2");
                }
                if (n >= 5) {
                    return Page.last(List.of());
                }
                return Page.of(List.of(n), n == 1 ? "3" : n + 1 < 5 ? String.valueOf(n + 1) : null);
            };
            List<Integer> sunk = new ArrayList<>();
            PrefetchingPages.stream(fetch, positions(rejected), 3, page -> sunk.addAll(page.items()), pool);
            assertThat(sunk).containsExactly(0, 1, 3, 4);
            assertThat(fetched).contains("p2", "3");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRepeatedPageAtThePredictedPositionIsRejectedAndTheListingStillFails() {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<String> rejected = new CopyOnWriteArrayList<>();
            // Page 2 and on hold the record -1 (what the page before ended with): as a predicted page it does not
            // answer; at the real cursor the provider returns page 1's cursor again, which ends the walk.
            Function<String, Page<Integer>> fetch = cursor -> {
                int n = number(cursor);
                if (n >= 2) {
                    return Page.of(List.of(-1), "1");
                }
                return Page.of(List.of(n), String.valueOf(n + 1));
            };
            List<Integer> sunk = new ArrayList<>();
            assertThatThrownBy(() -> PrefetchingPages.stream(
                            fetch, positions(rejected), 3, page -> sunk.addAll(page.items()), pool))
                    .isInstanceOf(ConnectorException.class)
                    .extracting(e -> ((ConnectorException) e).code())
                    .isEqualTo(ErrorCode.UPSTREAM_ERROR);
            assertThat(rejected).contains("p2≠2");
            assertThat(sunk).containsExactly(0, 1, -1);
        } finally {
            pool.shutdownNow();
        }
    }
}
