package dev.keyline.connector.spi;

/**
 * A request for one page of groups. The platform makes queries; connectors read them. Use {@link #builder()} rather
 * than the constructor, which will not follow new components.
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
        return builder().pageSize(pageSize).build();
    }

    /** A query for the first page of every group with its members, 100 at a time, without raw payloads. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this query's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder()
                .cursor(cursor)
                .pageSize(pageSize)
                .name(name)
                .includeMembers(includeMembers)
                .includeRaw(includeRaw);
    }

    public GroupQuery withCursor(String cursor) {
        return toBuilder().cursor(cursor).build();
    }

    /** Builds a {@link GroupQuery}. */
    public static final class Builder {
        private String cursor;
        private int pageSize = 100;
        private String name;
        private boolean includeMembers = true;
        private boolean includeRaw;

        private Builder() {}

        public Builder cursor(String cursor) {
            this.cursor = cursor;
            return this;
        }

        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder includeMembers(boolean includeMembers) {
            this.includeMembers = includeMembers;
            return this;
        }

        public Builder includeRaw(boolean includeRaw) {
            this.includeRaw = includeRaw;
            return this;
        }

        public GroupQuery build() {
            return new GroupQuery(cursor, pageSize, name, includeMembers, includeRaw);
        }
    }
}
