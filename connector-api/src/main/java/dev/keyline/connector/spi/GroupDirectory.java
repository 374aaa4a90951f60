package dev.keyline.connector.spi;

import dev.keyline.connector.model.Group;
import java.util.Optional;
import java.util.function.Consumer;

/** Reads groups. Listing is by opaque cursor; every group appears exactly once across a full listing. */
public interface GroupDirectory {

    Page<Group> listGroups(GroupQuery query);

    /** The group with this provider id, with its members, or empty when there is none. */
    Optional<Group> getGroup(String remoteId, boolean includeRaw);

    /** Every group, page by page; see {@link UserDirectory#streamUsers}. */
    default int streamGroups(int pageSize, boolean includeMembers, boolean includeRaw, Consumer<Page<Group>> sink) {
        return Page.stream(
                cursor -> listGroups(GroupQuery.builder()
                        .cursor(cursor)
                        .pageSize(pageSize)
                        .includeMembers(includeMembers)
                        .includeRaw(includeRaw)
                        .build()),
                sink);
    }
}
