package dev.keyline.platform.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.Page;
import java.util.List;
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
        SyncFailure lost = new SyncFailure("lease_lost", "lost");
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
}
