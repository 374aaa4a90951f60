package dev.keyline.platform.sync;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.Page;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Walks a cursor-paged listing as {@link Page#stream} does, but fetches page k+1 while the sink stores page k, so
 * a sync takes about the longer of fetching and storing instead of their sum. One page is in flight at most (the
 * next fetch starts only once the sink is done with the page before), so memory stays at two pages.
 *
 * <p>A failed fetch surfaces from the walk exactly as the same fetch would in line: the very exception, after the
 * previous page reached the sink. When the sink fails, the fetch ahead is cancelled and its outcome ignored.
 */
final class PrefetchingPages {
    private PrefetchingPages() {}

    /**
     * @param fetch fetches the page at a cursor (null for the first page); runs on {@code ahead} for every page
     *     after the first
     * @return the number of pages handed to the sink
     */
    static <T> int stream(Function<String, Page<T>> fetch, Consumer<Page<T>> sink, ExecutorService ahead) {
        Set<String> seen = new HashSet<>();
        Page<T> page = fetch.apply(null);
        int pages = 0;
        while (true) {
            String cursor = page.next().orElse(null);
            boolean looping = cursor != null && !seen.add(cursor);
            Future<Page<T>> next = null;
            if (cursor != null && !looping) {
                try {
                    next = ahead.submit(() -> fetch.apply(cursor));
                } catch (RejectedExecutionException e) {
                    // The service is stopping: fetch in line below, where the sink's checks end the run.
                    next = null;
                }
            }
            try {
                sink.accept(page);
            } catch (RuntimeException | Error e) {
                if (next != null) {
                    next.cancel(true);
                }
                throw e;
            }
            pages++;
            if (cursor == null) {
                return pages;
            }
            if (looping) {
                throw new ConnectorException(
                        ErrorCode.UPSTREAM_ERROR, "The provider returned the same page twice while listing; stopped.");
            }
            page = next == null ? fetch.apply(cursor) : await(next);
        }
    }

    private static <T> T await(Future<T> next) {
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
            throw new IllegalStateException("a page fetch failed", cause);
        } catch (CancellationException e) {
            throw new SyncFailure("interrupted", "The sync was interrupted; nothing was marked deleted.");
        } catch (InterruptedException e) {
            next.cancel(true);
            Thread.currentThread().interrupt();
            throw new SyncFailure("interrupted", "The sync was interrupted; nothing was marked deleted.");
        }
    }
}
