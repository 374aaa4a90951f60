package dev.keyline.connector.spi;

import dev.keyline.connector.model.StatusValue;

/**
 * A request for one page of users. Filters are exact, case-insensitive matches and are null when unused.
 *
 * @param cursor the cursor from the previous page, or null for the first page
 * @param pageSize the most records wanted, at least 1
 * @param includeRaw whether to keep the provider's payload on each record
 */
public record UserQuery(
        String cursor, int pageSize, String email, String username, StatusValue status, boolean includeRaw) {
    public UserQuery {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1: " + pageSize);
        }
    }

    public static UserQuery all(int pageSize, boolean includeRaw) {
        return new UserQuery(null, pageSize, null, null, null, includeRaw);
    }

    public UserQuery withCursor(String cursor) {
        return new UserQuery(cursor, pageSize, email, username, status, includeRaw);
    }

    public boolean filtered() {
        return email != null || username != null || status != null;
    }
}
