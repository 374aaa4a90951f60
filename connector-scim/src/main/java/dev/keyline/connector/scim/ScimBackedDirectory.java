package dev.keyline.connector.scim;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.PositionalPaging;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import java.util.List;
import java.util.Optional;

/**
 * A connector whose {@link UserDirectory} and {@link GroupDirectory} are exactly a {@link ScimDirectory}'s:
 * implementing this instead of the two interfaces saves each SCIM-based connector the same four delegating
 * methods. A connector that reads users or groups differently implements the SPI interfaces itself. Listings are
 * paged by {@code startIndex}, so such a connector is {@link PositionalPaging} too and its pages may be fetched
 * several at once.
 */
public interface ScimBackedDirectory extends UserDirectory, GroupDirectory, PositionalPaging {

    /** The directory every listing and lookup is delegated to; the same instance on every call. */
    ScimDirectory scimDirectory();

    @Override
    default Page<User> listUsers(UserQuery query) {
        return scimDirectory().listUsers(query);
    }

    @Override
    default Optional<User> getUser(String remoteId, boolean includeRaw) {
        return scimDirectory().getUser(remoteId, includeRaw);
    }

    @Override
    default Page<Group> listGroups(GroupQuery query) {
        return scimDirectory().listGroups(query);
    }

    @Override
    default Optional<Group> getGroup(String remoteId, boolean includeRaw) {
        return scimDirectory().getGroup(remoteId, includeRaw);
    }

    @Override
    default Optional<String> cursorAfter(Capability listing, String cursor, int pageSize) {
        return scimDirectory().cursorAfter(listing, cursor, pageSize);
    }

    @Override
    default boolean answers(Capability listing, String predicted, String actual, List<String> remoteIds) {
        return scimDirectory().answers(listing, predicted, actual, remoteIds);
    }
}
