package dev.keyline.sdk;

import static java.util.Objects.requireNonNull;

import dev.keyline.sdk.invoker.ApiException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Every item of a list operation, page after page: each page's {@code next} is the following request's
 * {@code cursor}, until {@code next} is {@code null}. Pages are fetched lazily, one at a time, as the stream or
 * iterator is consumed.
 *
 * <pre>{@code
 * IamApi iam = new IamApi(Keyline.client(url, key));
 * List<String> emails = Pages.stream(
 *                 cursor -> iam.listUsers(IamApi.APIListUsersRequest.newBuilder().xAccountId(account).cursor(cursor).build()),
 *                 page -> page.getData(),
 *                 page -> page.getNext())
 *         .map(user -> user.getPrimaryEmailAddress())
 *         .toList();
 * }</pre>
 */
public final class Pages {
    private Pages() {}

    /** Fetches the page that {@code cursor} names; {@code null} asks for the first page. */
    @FunctionalInterface
    public interface Fetcher<P> {
        P page(String cursor) throws ApiException;
    }

    /** Every item of every page, in order. A refusal surfaces as a {@link KeylineProblemException}. */
    public static <P, T> Stream<T> stream(Fetcher<P> fetcher, Function<P, List<T>> items, Function<P, String> next) {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(
                        iterator(fetcher, items, next), Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    /** As {@link #stream}, as an iterator. */
    public static <P, T> Iterator<T> iterator(
            Fetcher<P> fetcher, Function<P, List<T>> items, Function<P, String> next) {
        return new PageIterator<>(
                requireNonNull(fetcher, "fetcher is null"),
                requireNonNull(items, "items is null"),
                requireNonNull(next, "next is null"));
    }

    private static final class PageIterator<P, T> implements Iterator<T> {
        private final Fetcher<P> fetcher;
        private final Function<P, List<T>> items;
        private final Function<P, String> next;
        private Iterator<T> current = List.<T>of().iterator();
        private String cursor;
        private boolean last;

        PageIterator(Fetcher<P> fetcher, Function<P, List<T>> items, Function<P, String> next) {
            this.fetcher = fetcher;
            this.items = items;
            this.next = next;
        }

        @Override
        public boolean hasNext() {
            // A page may be empty and still have a next one, so keep fetching until an item or the end.
            while (!current.hasNext() && !last) {
                P page;
                try {
                    page = fetcher.page(cursor);
                } catch (ApiException e) {
                    throw KeylineProblemException.of(e);
                }
                requireNonNull(page, "the fetcher returned no page");
                List<T> pageItems = items.apply(page);
                current = pageItems == null ? List.<T>of().iterator() : pageItems.iterator();
                String following = next.apply(page);
                if (following != null && Objects.equals(following, cursor)) {
                    // The same cursor again would loop forever; a server never answers so, a wrong fetcher might.
                    throw new IllegalStateException("the page after cursor " + cursor + " names the same cursor");
                }
                cursor = following;
                last = following == null;
            }
            return current.hasNext();
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }
    }
}
