package dev.keyline.connector.spi;

import dev.keyline.connector.model.StatusValue;

/**
 * A request for one page of users. Filters are exact, case-insensitive matches and are null when unused. The
 * platform makes queries; connectors read them. Use {@link #builder()} rather than the constructor, which will not
 * follow new components.
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
        return builder().pageSize(pageSize).includeRaw(includeRaw).build();
    }

    /** A query for the first page of every user, 100 at a time, without raw payloads, until changed. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this query's values, to change some of them. */
    public Builder toBuilder() {
        return new Builder()
                .cursor(cursor)
                .pageSize(pageSize)
                .email(email)
                .username(username)
                .status(status)
                .includeRaw(includeRaw);
    }

    public UserQuery withCursor(String cursor) {
        return toBuilder().cursor(cursor).build();
    }

    public boolean filtered() {
        return email != null || username != null || status != null;
    }

    /** Builds a {@link UserQuery}. */
    public static final class Builder {
        private String cursor;
        private int pageSize = 100;
        private String email;
        private String username;
        private StatusValue status;
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

        public Builder email(String email) {
            this.email = email;
            return this;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder status(StatusValue status) {
            this.status = status;
            return this;
        }

        public Builder includeRaw(boolean includeRaw) {
            this.includeRaw = includeRaw;
            return this;
        }

        public UserQuery build() {
            return new UserQuery(cursor, pageSize, email, username, status, includeRaw);
        }
    }
}
