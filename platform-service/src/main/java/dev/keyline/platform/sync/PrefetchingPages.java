package dev.keyline.platform.sync;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.Page;
import dev.keyline.platform.base.FailureCode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Walks a cursor-paged listing as {@link Page#stream} does, but fetches ahead while the sink stores the current page,
 * so a sync takes about the longer of fetching and storing instead of their sum.
 *
 * <p>Without {@link Positions} one page is fetched ahead, at the cursor the current page returned. With them (a
 * directory that pages by position), up to {@code inFlight} pages are fetched at once at predicted cursors; pages
 * still reach the sink one at a time, in order, and a page fetched at a predicted cursor is used only when it
 * {@linkplain Positions#answers answers} the cursor the page before really returned. Otherwise everything fetched
 * ahead is dropped and the real cursor is fetched, so what reaches the sink (and every failure) is exactly what the
 * walk in line would give; a miss costs only requests. Memory stays at {@code inFlight + 1} pages.
 *
 * <p>A failed fetch surfaces from the walk exactly as the same fetch would in line: the very exception, after the
 * previous page reached the sink. A predicted fetch's failure surfaces only when its position is the real cursor's
 * (an {@code answers} test with no records); otherwise the real cursor is fetched in line. When the sink fails, every
 * fetch ahead is cancelled and its outcome ignored.
 */
final class PrefetchingPages {
    private PrefetchingPages() {}

    /**
     * How a listing's pages are predicted; see {@link dev.keyline.connector.spi.PositionalPaging}.
     *
     * @param after the cursor after a full page at a cursor (null: the first page), or empty
     * @param answers whether a page fetched at a predicted cursor stands for the real cursor
     */
    record Positions<T>(Function<String, Optional<String>> after, Answers<T> answers) {}

    @FunctionalInterface
    interface Answers<T> {
        boolean test(String predicted, String actual, List<T> items);
    }

    private record Ahead<T>(String cursor, boolean exact, Future<Page<T>> page) {}

    /** One page ahead, following the cursors; today's behaviour for directories that do not page by position. */
    static <T> int stream(Function<String, Page<T>> fetch, Consumer<Page<T>> sink, ExecutorService ahead) {
        return stream(fetch, null, 1, sink, ahead);
    }

    /**
     * @param fetch fetches the page at a cursor (null for the first page); runs on {@code pool} for every page after
     *     the first
     * @param positions null to follow the cursors, one page ahead
     * @param inFlight the most fetches running at once while the sink works, at least 1
     * @return the number of pages handed to the sink
     */
    static <T> int stream(
            Function<String, Page<T>> fetch,
            Positions<T> positions,
            int inFlight,
            Consumer<Page<T>> sink,
            ExecutorService pool) {
        if (inFlight < 1) {
            throw new IllegalArgumentException("inFlight must be at least 1: " + inFlight);
        }
        Deque<Ahead<T>> ahead = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        try {
            Page<T> page = fetch.apply(null);
            int pages = 0;
            while (true) {
                String cursor = page.next().orElse(null);
                boolean looping = cursor != null && !seen.add(cursor);
                if (cursor == null || looping) {
                    // Whatever was predicted lies past the end.
                    cancelAll(ahead);
                } else {
                    topUp(ahead, cursor, fetch, positions, inFlight, pool);
                }
                sink.accept(page);
                pages++;
                if (cursor == null) {
                    return pages;
                }
                if (looping) {
                    throw new ConnectorException(
                            ErrorCode.UPSTREAM_ERROR,
                            "The provider returned the same page twice while listing; stopped.");
                }
                page = take(ahead, cursor, fetch, positions);
            }
        } finally {
            cancelAll(ahead);
        }
    }

    /** Makes sure the real next cursor is being fetched, then predicts on from the last fetch until inFlight run. */
    private static <T> void topUp(
            Deque<Ahead<T>> ahead,
            String cursor,
            Function<String, Page<T>> fetch,
            Positions<T> positions,
            int inFlight,
            ExecutorService pool) {
        if (ahead.isEmpty() && !submit(ahead, cursor, true, fetch, pool)) {
            return;
        }
        if (positions == null) {
            return;
        }
        while (ahead.size() < inFlight) {
            Optional<String> predicted =
                    positions.after().apply(ahead.peekLast().cursor());
            if (predicted.isEmpty() || !submit(ahead, predicted.get(), false, fetch, pool)) {
                return;
            }
        }
    }

    private static <T> boolean submit(
            Deque<Ahead<T>> ahead,
            String cursor,
            boolean exact,
            Function<String, Page<T>> fetch,
            ExecutorService pool) {
        try {
            ahead.addLast(new Ahead<>(cursor, exact, pool.submit(() -> fetch.apply(cursor))));
            return true;
        } catch (RejectedExecutionException e) {
            // The service is stopping: the page is fetched in line, where the sink's checks end the run.
            return false;
        }
    }

    /** The page at the real {@code cursor}: from the fetches ahead when one answers it, else fetched in line. */
    private static <T> Page<T> take(
            Deque<Ahead<T>> ahead, String cursor, Function<String, Page<T>> fetch, Positions<T> positions) {
        Ahead<T> head = ahead.pollFirst();
        if (head == null) {
            return fetch.apply(cursor);
        }
        if (head.exact()) {
            return await(head.page(), "a page fetch");
        }
        Page<T> page;
        try {
            page = await(head.page(), "a page fetch");
        } catch (SyncFailure e) {
            throw e;
        } catch (RuntimeException e) {
            cancelAll(ahead);
            if (positions.answers().test(head.cursor(), cursor, List.of())) {
                // The very position failed: fetching it again would only ask a failing provider twice as often.
                throw e;
            }
            // Another position failed (past a total that lies high, say): it says nothing about this one.
            return fetch.apply(cursor);
        }
        if (positions.answers().test(head.cursor(), cursor, page.items())) {
            return page;
        }
        cancelAll(ahead);
        return fetch.apply(cursor);
    }

    private static <T> void cancelAll(Deque<Ahead<T>> ahead) {
        for (Ahead<T> a : ahead) {
            a.page().cancel(true);
        }
        ahead.clear();
    }

    /**
     * The result of a sync's background task ({@code what}: "a page fetch", "writing a page"): its failure rethrown
     * as is, an interruption or cancellation as the run's {@code interrupted} failure.
     */
    static <T> T await(Future<T> next, String what) {
        try {
            return next.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(what + " failed", cause);
        } catch (CancellationException e) {
            throw new SyncFailure(FailureCode.INTERRUPTED, "The sync was interrupted; nothing was marked deleted.");
        } catch (InterruptedException e) {
            next.cancel(true);
            Thread.currentThread().interrupt();
            throw new SyncFailure(FailureCode.INTERRUPTED, "The sync was interrupted; nothing was marked deleted.");
        }
    }
}
