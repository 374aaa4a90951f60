package dev.keyline.connector.spi;

import java.util.List;
import java.util.Optional;

/**
 * Optional refinement of {@link UserDirectory} and {@link GroupDirectory} for providers whose listings are paged by
 * position, such as SCIM's {@code startIndex}/{@code count} (RFC 7644 §3.4.2.4): where page k of an unfiltered
 * listing starts is known before page k-1 has been read, so the platform may fetch several pages at once. A
 * connector implements this interface next to the directory interfaces; one that does not is always read page after
 * page, following the cursors it returns.
 *
 * <p>Fetching ahead never changes what is listed: the platform applies pages in order and uses a page fetched at a
 * predicted cursor only when {@link #answers} says it is what the cursor the previous page actually returned would
 * have given; otherwise it fetches that cursor and predicts again from there. So the connector's own checks of an
 * incomplete listing (a repeated page, a total that lies) keep working, at the cost of a few wasted requests when a
 * prediction misses. Only unfiltered listings ({@link UserQuery#all}, a {@link GroupQuery} without a name) are read
 * this way. Implementations must be thread-safe: the predicted pages are fetched from several threads at once.
 */
public interface PositionalPaging {

    /**
     * Where the page after the one at {@code cursor} starts, assuming that page comes back full ({@code pageSize}
     * records) and is not the last one.
     *
     * @param listing {@link Capability#USERS} or {@link Capability#GROUPS}
     * @param cursor a cursor this connector handed out for that listing, or a predicted one, or null for the first
     *     page
     * @return a cursor {@link UserDirectory#listUsers} / {@link GroupDirectory#listGroups} accept, or empty when the
     *     position cannot be told in advance (the platform then follows the cursors)
     */
    Optional<String> cursorAfter(Capability listing, String cursor, int pageSize);

    /**
     * Whether the page fetched at {@code predicted} is exactly the page a fetch at {@code actual} would have
     * returned. Conservative: false whenever in doubt (the platform then fetches {@code actual}), and always false
     * for another position or when the page holds the record the page before ended with (a server that ignores the
     * position answers the same records again; only the fetch at {@code actual} can tell that apart).
     *
     * @param listing {@link Capability#USERS} or {@link Capability#GROUPS}
     * @param predicted a cursor from {@link #cursorAfter}
     * @param actual the next cursor of the page before, as the connector returned it
     * @param remoteIds the provider ids of the records of the page fetched at {@code predicted}, in order; empty
     *     when that page was empty or its fetch failed, so the answer says whether the two cursors are the same
     *     position (the platform then reports that failure as the failure of the real page, without asking the
     *     provider again)
     */
    boolean answers(Capability listing, String predicted, String actual, List<String> remoteIds);
}
