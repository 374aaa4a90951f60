package dev.keyline.connector.spi;

/**
 * Reads what changed among the users since a watermark, where the provider offers it (SPI 3): Microsoft Graph's
 * delta queries, Okta's {@code lastUpdated} filter. The platform then syncs only the changes most of the time and
 * walks everything now and then, as the fallback and to find people who are gone without the provider saying so.
 *
 * <p>A watermark is the connector's own opaque text (a delta link, a time); the platform stores it and hands it back
 * as it was. It is taken with {@link #currentWatermark()} just <em>before</em> a full walk starts, so that whatever
 * changes during the walk is read again by the next incremental run: changes may be reported twice, never lost.
 * A watermark the provider no longer honours (Graph's {@code syncStateNotFound}, a time beyond its window) is a
 * {@link ConnectorException} with the message code {@link #WATERMARK_EXPIRED}; the platform then walks everything.
 * A watermark may carry the account's own URLs (a delta link): treat it like any other input and send it only to the
 * provider it came from.
 */
public interface UserChangeFeed {
    /** The message code of a watermark the provider no longer honours. */
    String WATERMARK_EXPIRED = "changes.watermark_expired";

    /** A watermark that means "now", taken before a full walk. May cost a request (Graph's {@code $deltatoken=latest}). */
    String currentWatermark();

    /**
     * One page of the users changed since {@code watermark}: new and changed users in full (as {@link UserDirectory}
     * would list them, disabled ones included), and the provider ids of users the provider says are gone for good.
     * {@code cursor} is null for the first page, then the previous page's {@link UserChanges#nextCursor()}.
     */
    UserChanges userChanges(String watermark, String cursor, int pageSize, boolean includeRaw);
}
