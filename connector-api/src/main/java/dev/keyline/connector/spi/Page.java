package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One page of a listing.
 *
 * @param items the records of this page, possibly none even when more pages follow
 * @param next the opaque cursor of the following page, or empty on the last page
 */
public record Page<T>(List<T> items, Optional<String> next) {
    public Page {
        items = List.copyOf(items);
        requireNonNull(next, "next is null");
    }

    public static <T> Page<T> last(List<T> items) {
        return new Page<>(items, Optional.empty());
    }

    public static <T> Page<T> of(List<T> items, String nextOrNull) {
        return new Page<>(items, Optional.ofNullable(nextOrNull));
    }

    /**
     * Walks a cursor-paged listing, handing each page to the sink. A cursor that comes back twice means the
     * upstream is looping; that is an {@link ErrorCode#UPSTREAM_ERROR} rather than an endless listing.
     *
     * @param fetch fetches the page at a cursor (null for the first page)
     * @return the number of pages handed to the sink
     */
    public static <T> int stream(Function<String, Page<T>> fetch, Consumer<Page<T>> sink) {
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        while (true) {
            Page<T> page = fetch.apply(cursor);
            sink.accept(page);
            pages++;
            if (page.next().isEmpty()) {
                return pages;
            }
            cursor = page.next().get();
            if (!seen.add(cursor)) {
                throw new ConnectorException(
                        ErrorCode.UPSTREAM_ERROR, "The provider returned the same page twice while listing; stopped.");
            }
        }
    }
}
