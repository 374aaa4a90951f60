package dev.keyline.connector.spi;

/**
 * A request for one page of groups.
 *
 * @param cursor the cursor from the previous page, or null for the first page
 * @param name an exact, case-insensitive name to match, or null
 * @param includeMembers whether each group must carry its members, even where the provider's listing omits
 *     them (costs one request per group on such providers)
 */
public record GroupQuery(String cursor, int pageSize, String name, boolean includeMembers, boolean includeRaw) {
    public GroupQuery {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1: " + pageSize);
        }
    }

    public static GroupQuery all(int pageSize) {
        return new GroupQuery(null, pageSize, null, true, false);
    }

    public GroupQuery withCursor(String cursor) {
        return new GroupQuery(cursor, pageSize, name, includeMembers, includeRaw);
    }
}
