package dev.keyline.platform.directory;

import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.User;

/**
 * Whether a user administers the account: one rule for live reads, synced reads, snapshots and the people view.
 * True when the provider says so or any role or group it marks administrative applies; false only when the
 * provider said so (a connector that knows all of a user's groups and roles and their marks says false, and the
 * sync says it for a provider that marks every group and role); otherwise unknown, never a guess.
 */
public final class Privilege {
    private Privilege() {}

    public static Boolean of(User user) {
        if (Boolean.TRUE.equals(user.privileged())
                || user.roles().stream().map(RoleRef::privileged).anyMatch(Boolean.TRUE::equals)
                || user.groups().stream().map(GroupRef::privileged).anyMatch(Boolean.TRUE::equals)) {
            return true;
        }
        return Boolean.FALSE.equals(user.privileged()) ? false : null;
    }
}
