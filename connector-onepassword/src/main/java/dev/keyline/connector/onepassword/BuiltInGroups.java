package dev.keyline.connector.onepassword;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.User;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What 1Password's built-in groups say of their members' privilege. SCIM shows a group's name and members but
 * not its permissions, so only the built-in groups, whose permissions 1Password documents, can be marked:
 *
 * <ul>
 *   <li>{@code Owners} (everything Administrators can, plus billing and deleting the account) and
 *       {@code Administrators} (manage vaults, groups and people, recover accounts): administrative.
 *   <li>{@code Provision Managers}: administrative. Its members provision and confirm people and can recover
 *       accounts, which gives access to a person's vaults.
 *   <li>{@code Recovery} (the group of older teams whose members recover accounts): administrative, for the same
 *       reason.
 *   <li>{@code Security}: not administrative. Its members view security reports and account activity, read-only;
 *       they cannot change people, groups, vaults or settings.
 *   <li>{@code Team Members} (everyone but guests): not administrative; 1Password gives it no team-level
 *       administrative permission.
 * </ul>
 *
 * <p>Every other group is a custom group; custom groups can be granted administrative permissions that SCIM does
 * not show, so theirs is unknown (null). A user is privileged when a listed group is administrative. A user is
 * never marked not privileged: hosted provisioning does not manage groups with the Recover Accounts or Manage
 * All Groups permission, so an administrator's membership may be missing from what SCIM lists, and a custom group
 * may carry such permissions unseen.
 */
final class BuiltInGroups {
    private static final Map<String, Boolean> PRIVILEGED = Map.of(
            "Owners", true,
            "Administrators", true,
            "Provision Managers", true,
            "Recovery", true,
            "Security", false,
            "Team Members", false);

    private BuiltInGroups() {}

    /** True or false for a built-in group's name (exactly as 1Password spells it), null for any other. */
    static Boolean privileged(String groupName) {
        return groupName == null ? null : PRIVILEGED.get(groupName);
    }

    static Group mark(Group group) {
        return group.withPrivileged(privileged(group.name()));
    }

    /** The user with its group references marked, and privileged when one of them is administrative. */
    static User mark(User user) {
        if (user.groups().isEmpty()) {
            return user;
        }
        List<GroupRef> refs = new ArrayList<>(user.groups().size());
        boolean administrative = false;
        for (GroupRef ref : user.groups()) {
            Boolean privileged = privileged(ref.name());
            administrative |= Boolean.TRUE.equals(privileged);
            refs.add(new GroupRef(ref.remoteId(), ref.name(), privileged));
        }
        return user.toBuilder()
                .groups(refs)
                .privileged(administrative ? Boolean.TRUE : null)
                .build();
    }
}
