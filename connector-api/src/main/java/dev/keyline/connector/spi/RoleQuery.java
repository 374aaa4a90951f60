package dev.keyline.connector.spi;

/**
 * A request for one page of roles. The platform makes queries; connectors read them. Use {@link #builder()}.
 *
 * @param cursor the cursor from the previous page, or null for the first page
 * @param includeAssignments whether each role must carry the users and groups it is assigned to, even where the
 *     provider's listing omits them (costs requests on such providers)
 */
public record RoleQuery(String cursor, int pageSize, boolean includeAssignments, boolean includeRaw) {
    public RoleQuery {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1: " + pageSize);
        }
    }

    /** A query for the first page of every role with its assignments, 100 at a time, without raw payloads. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this query's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder()
                .cursor(cursor)
                .pageSize(pageSize)
                .includeAssignments(includeAssignments)
                .includeRaw(includeRaw);
    }

    public RoleQuery withCursor(String cursor) {
        return toBuilder().cursor(cursor).build();
    }

    /** Builds a {@link RoleQuery}. */
    public static final class Builder {
        private String cursor;
        private int pageSize = 100;
        private boolean includeAssignments = true;
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

        public Builder includeAssignments(boolean includeAssignments) {
            this.includeAssignments = includeAssignments;
            return this;
        }

        public Builder includeRaw(boolean includeRaw) {
            this.includeRaw = includeRaw;
            return this;
        }

        public RoleQuery build() {
            return new RoleQuery(cursor, pageSize, includeAssignments, includeRaw);
        }
    }
}
