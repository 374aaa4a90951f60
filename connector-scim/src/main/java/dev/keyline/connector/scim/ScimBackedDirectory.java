package dev.keyline.connector.scim;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import java.util.Optional;

/**
 * A connector whose {@link UserDirectory} and {@link GroupDirectory} are exactly a {@link ScimDirectory}'s:
 * implementing this instead of the two interfaces saves each SCIM-based connector the same four delegating
 * methods. A connector that reads users or groups differently implements the SPI interfaces itself.
 */
public interface ScimBackedDirectory extends UserDirectory, GroupDirectory {

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
}
