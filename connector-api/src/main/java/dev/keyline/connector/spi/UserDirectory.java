package dev.keyline.connector.spi;

import dev.keyline.connector.model.User;
import java.util.Optional;
import java.util.function.Consumer;

/** Reads users. Listing is by opaque cursor; every user appears exactly once across a full listing. */
public interface UserDirectory {

    /** One page. Filters in the query are applied by the connector, so a page may be shorter than asked. */
    Page<User> listUsers(UserQuery query);

    /** The user with this provider id, or empty when there is none. */
    Optional<User> getUser(String remoteId, boolean includeRaw);

    /**
     * Every user, page by page, in order. Stops at the first failure by throwing; pages already handed to
     * the sink stay handed. Returns the number of pages.
     */
    default int streamUsers(int pageSize, boolean includeRaw, Consumer<Page<User>> sink) {
        return Page.stream(
                cursor -> listUsers(UserQuery.all(pageSize, includeRaw).withCursor(cursor)), sink);
    }
}
