package dev.keyline.platform.sync;

import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who belongs to what, as one run's group and role listings said it, so each user's record carries both sides: many
 * providers list membership only on groups (SCIM servers) and assignments only on roles. Filled on the run's thread
 * while roles and groups are applied, page by page and in order; then {@link #freeze frozen} before users are
 * listed, and only read from there on, by the threads that build the users' records.
 *
 * <p>Memory: one reference per membership and per assignment (the refs themselves are shared, one per group or
 * role), plus one mark per group and role; the records themselves are never held here.
 */
final class MembershipIndex {
    /** What one group or role record adds to the index; kept on its {@link SyncPass.Incoming} until it is applied. */
    record Links(GroupRef group, RoleRef role, List<String> users, List<String> groups) {
        static Links of(Group group) {
            return new Links(group.ref(), null, memberIds(group.members()), List.of());
        }

        static Links of(Role role) {
            return new Links(
                    null,
                    role.ref(),
                    memberIds(role.members()),
                    role.groups() == null
                            ? List.of()
                            : role.groups().stream().map(GroupRef::remoteId).toList());
        }

        private static List<String> memberIds(List<MemberRef> members) {
            return members == null
                    ? List.of()
                    : members.stream().map(MemberRef::remoteId).toList();
        }
    }

    private final Map<String, List<GroupRef>> groupsOfUser = new HashMap<>();
    private final Map<String, List<RoleRef>> rolesOfUser = new HashMap<>();
    private final Map<String, List<RoleRef>> rolesOfGroup = new HashMap<>();
    /** Each group's and role's privilege mark (null: not marked), by remote id. */
    private final Map<String, Boolean> groupMarks = new HashMap<>();

    private final Map<String, Boolean> roleMarks = new HashMap<>();
    private boolean groupListedMembers;
    /** Whether every group and role carries a mark; judged once, when the index is frozen. */
    private boolean everyMarkKnown;

    private volatile boolean frozen;
    /** Set by the (concurrent) user builds when a user listed a group of its own. */
    private final AtomicBoolean userCarriedGroups = new AtomicBoolean();

    void add(Links links) {
        if (frozen) {
            throw new IllegalStateException("the membership index is read-only once users are listed");
        }
        if (links.group() != null) {
            GroupRef group = links.group();
            groupMarks.put(group.remoteId(), group.privileged());
            groupListedMembers |= !links.users().isEmpty();
            links.users()
                    .forEach(u -> groupsOfUser
                            .computeIfAbsent(u, k -> new ArrayList<>(2))
                            .add(group));
        }
        if (links.role() != null) {
            RoleRef role = links.role();
            roleMarks.put(role.remoteId(), role.privileged());
            links.users()
                    .forEach(u -> rolesOfUser
                            .computeIfAbsent(u, k -> new ArrayList<>(2))
                            .add(role));
            links.groups()
                    .forEach(g -> rolesOfGroup
                            .computeIfAbsent(g, k -> new ArrayList<>(2))
                            .add(role));
        }
    }

    /** From here on the index is only read, from several threads (the executor's hand-off publishes it). */
    void freeze() {
        // Once, not per user: scanning every mark for each user would cost users × (groups + roles).
        everyMarkKnown = !groupMarks.containsValue(null) && !roleMarks.containsValue(null);
        frozen = true;
    }

    boolean isEmpty() {
        return groupMarks.isEmpty() && roleMarks.isEmpty();
    }

    /**
     * The user with both sides joined: its groups are the provider's own, then those that listed it as a member;
     * its roles the provider's own, then those assigned to it directly, then those of its groups (each role once, by
     * remote id). A ref without a privilege mark gets the mark of the group or role listed under its id. When the
     * provider marked every group and role of the account and the user's own mark is unknown, it becomes whether any
     * of the user's groups and roles is marked privileged.
     */
    User enrich(User user) {
        if (!user.groups().isEmpty()) {
            userCarriedGroups.set(true);
        }
        if (isEmpty()) {
            return user;
        }
        Map<String, GroupRef> groups = new LinkedHashMap<>();
        user.groups().forEach(g -> groups.putIfAbsent(g.remoteId(), marked(g)));
        groupsOfUser.getOrDefault(user.remoteId(), List.of()).forEach(g -> groups.putIfAbsent(g.remoteId(), g));
        Map<String, RoleRef> roles = new LinkedHashMap<>();
        user.roles().forEach(r -> roles.putIfAbsent(r.remoteId(), marked(r)));
        rolesOfUser.getOrDefault(user.remoteId(), List.of()).forEach(r -> roles.putIfAbsent(r.remoteId(), r));
        for (String group : groups.keySet()) {
            rolesOfGroup.getOrDefault(group, List.of()).forEach(r -> roles.putIfAbsent(r.remoteId(), r));
        }
        Boolean privileged = user.privileged();
        if (privileged == null && everyMarkKnown) {
            privileged = privileged(groups.values(), roles.values());
        }
        return user.toBuilder()
                .groups(new ArrayList<>(groups.values()))
                .roles(new ArrayList<>(roles.values()))
                .privileged(privileged)
                .build();
    }

    /** Whether groups listed members and no user listed a group of its own: the provider tells membership on groups. */
    boolean membershipOnGroupsOnly() {
        return groupListedMembers && !userCarriedGroups.get();
    }

    private GroupRef marked(GroupRef ref) {
        Boolean mark = groupMarks.get(ref.remoteId());
        return ref.privileged() == null && mark != null ? new GroupRef(ref.remoteId(), ref.name(), mark) : ref;
    }

    private RoleRef marked(RoleRef ref) {
        Boolean mark = roleMarks.get(ref.remoteId());
        return ref.privileged() == null && mark != null ? new RoleRef(ref.remoteId(), ref.name(), mark) : ref;
    }

    /** Whether any applies; null when one of them has no mark (a group or role this run's listings did not have). */
    private static Boolean privileged(Iterable<GroupRef> groups, Iterable<RoleRef> roles) {
        boolean unknown = false;
        for (GroupRef g : groups) {
            if (Boolean.TRUE.equals(g.privileged())) {
                return true;
            }
            unknown |= g.privileged() == null;
        }
        for (RoleRef r : roles) {
            if (Boolean.TRUE.equals(r.privileged())) {
                return true;
            }
            unknown |= r.privileged() == null;
        }
        return unknown ? null : false;
    }
}
