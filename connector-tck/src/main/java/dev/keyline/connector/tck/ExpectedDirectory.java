package dev.keyline.connector.tck;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.RoleScope;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserStatus;
import dev.keyline.connector.model.UserType;
import dev.keyline.connector.model.UserTypeValue;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The directory a connector under test must report, in the normalized model with the provider's ids as
 * {@code remoteId}: an {@link UpstreamDouble} serves it in the provider's format and the kit compares what the
 * connector lists with it, field by field. Users carry their {@link GroupRef}s and groups their
 * {@link MemberRef}s, both with the names the connector is expected to report. {@code raw} is ignored.
 *
 * @param users in listing order
 * @param groups in listing order
 * @param roles in listing order, with their assignments; empty unless added ({@link #withRoles(int)})
 */
public record ExpectedDirectory(List<User> users, List<Group> groups, List<Role> roles) {

    private static final Instant EPOCH = Instant.parse("2023-03-01T09:00:00Z");
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final String[] GIVEN_NAMES = {
        "Ada", "Grace", "Alan", "Barbara", "Edsger", "Frances", "Donald", "Radia", "Ken", "Margaret", "Tim", "Hedy"
    };
    private static final String[] FAMILY_NAMES = {
        "Lovelace", "Hopper", "Turing", "Liskov", "Dijkstra", "Allen", "Knuth", "Perlman", "Thompson", "Hamilton"
    };
    private static final String[] GROUP_NAMES = {
        "Engineering", "Finance", "Sales", "Support", "Operations", "Legal", "Marketing", "Security"
    };

    public ExpectedDirectory {
        users = List.copyOf(users);
        groups = List.copyOf(groups);
        roles = List.copyOf(roles);
    }

    /** A directory without roles. */
    public ExpectedDirectory(List<User> users, List<Group> groups) {
        this(users, groups, List.of());
    }

    /**
     * The kit's default: 23 users, 6 groups, 2 memberships per user, 20 % suspended, seed 23, so page sizes 1, 7
     * and 100 do not divide evenly. Enabled users have the status source value {@code "active"}, suspended ones
     * {@code "suspended"}; remap with {@link #mapUsers(UnaryOperator)} when the provider says it otherwise.
     */
    public static ExpectedDirectory standard() {
        return generate(23, 6, 2, 0.2, 23);
    }

    /**
     * A directory of {@code userCount} users and {@code groupCount} groups; each user is in
     * {@code min(membershipsPerUser, groupCount)} groups and {@code round(userCount * suspendedFraction)} users
     * are suspended. Every fifth user's primary address has no type, every sixth has a second, home address.
     * The same arguments give the same directory.
     */
    public static ExpectedDirectory generate(
            int userCount, int groupCount, int membershipsPerUser, double suspendedFraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, Group> groups = new LinkedHashMap<>();
        for (int i = 0; i < groupCount; i++) {
            String name = GROUP_NAMES[i % GROUP_NAMES.length]
                    + (i >= GROUP_NAMES.length ? " " + (i / GROUP_NAMES.length + 1) : "");
            Instant created = minutesAfter(EPOCH, random, 365 * 24 * 60);
            String id = randomId(random).toLowerCase(Locale.ROOT);
            groups.put(
                    id,
                    new Group(
                            id,
                            name,
                            null,
                            null,
                            List.of(),
                            0,
                            created,
                            minutesAfter(created, random, 90 * 24 * 60),
                            null));
        }
        List<String> groupIds = List.copyOf(groups.keySet());
        Set<Integer> suspended = new HashSet<>();
        long suspendedCount = Math.min(userCount, Math.round(userCount * suspendedFraction));
        while (suspended.size() < suspendedCount) {
            suspended.add(random.nextInt(userCount));
        }
        int memberships = Math.min(membershipsPerUser, groupCount);
        Set<String> userNames = new HashSet<>();
        Map<String, List<MemberRef>> members = new LinkedHashMap<>();
        List<User> users = new ArrayList<>(userCount);
        for (int i = 0; i < userCount; i++) {
            String given = GIVEN_NAMES[random.nextInt(GIVEN_NAMES.length)];
            String family = FAMILY_NAMES[random.nextInt(FAMILY_NAMES.length)];
            String local = given.toLowerCase(Locale.ROOT) + "." + family.toLowerCase(Locale.ROOT);
            String userName = local + "@acme.example";
            for (int n = 2; !userNames.add(userName); n++) {
                userName = local + n + "@acme.example";
            }
            List<Email> emails = new ArrayList<>(2);
            emails.add(new Email(userName, i % 5 == 2 ? null : "work", true));
            if (i % 6 == 4) {
                emails.add(new Email(local + "@home.example", "home", false));
            }
            String id = randomId(random);
            List<GroupRef> refs = new ArrayList<>(memberships);
            while (refs.size() < memberships) {
                Group group = groups.get(groupIds.get(random.nextInt(groupCount)));
                if (refs.stream().noneMatch(r -> r.remoteId().equals(group.remoteId()))) {
                    refs.add(new GroupRef(group.remoteId(), group.name()));
                    members.computeIfAbsent(group.remoteId(), g -> new ArrayList<>())
                            .add(new MemberRef(id, userName));
                }
            }
            boolean active = !suspended.contains(i);
            Instant created = minutesAfter(EPOCH, random, 365 * 24 * 60);
            users.add(User.builder(id)
                    .username(userName)
                    .name(given + " " + family)
                    .firstName(given)
                    .lastName(family)
                    .primaryEmailAddress(userName)
                    .emails(emails)
                    .status(new UserStatus(
                            active ? StatusValue.ENABLED : StatusValue.DISABLED, active ? "active" : "suspended"))
                    .groups(refs)
                    .createdAt(created)
                    .updatedAt(minutesAfter(created, random, 90 * 24 * 60))
                    .build());
        }
        List<Group> withMembers = groups.values().stream()
                .map(g -> g.withMembers(members.getOrDefault(g.remoteId(), List.of())))
                .toList();
        return new ExpectedDirectory(users, withMembers);
    }

    /** The same directory with every user replaced by {@code change(user)} (ids must not change). */
    public ExpectedDirectory mapUsers(UnaryOperator<User> change) {
        return new ExpectedDirectory(users.stream().map(change).toList(), groups, roles);
    }

    /**
     * The same directory with the access-review facts a SCIM server can serve: by position, users are an employee
     * (type member from {@code "Employee"}, a title, a department and the first user as manager), a guest
     * ({@code "Guest"}), a service account ({@code "Service"}, holding the {@code admin} role named
     * {@code "Administrator"}) or untyped (holding the {@code auditor} role, served without a display name). Roles
     * on users carry no privilege mark: SCIM has none.
     */
    public ExpectedDirectory withAccessReviewFacts() {
        String managerId = users.isEmpty() ? null : users.get(0).remoteId();
        List<User> changed = new ArrayList<>(users.size());
        for (int i = 0; i < users.size(); i++) {
            User.Builder user = users.get(i).toBuilder();
            switch (i % 4) {
                case 0 ->
                    user.type(new UserType(UserTypeValue.MEMBER, "Employee"))
                            .title("Engineer")
                            .department("Engineering")
                            .managerRemoteId(i == 0 ? null : managerId);
                case 1 -> user.type(new UserType(UserTypeValue.GUEST, "Guest"));
                case 2 ->
                    user.type(new UserType(UserTypeValue.SERVICE, "Service"))
                            .roles(List.of(new RoleRef("admin", "Administrator", null)));
                default -> user.roles(List.of(new RoleRef("auditor", "auditor", null)));
            }
            changed.add(user.build());
        }
        return new ExpectedDirectory(changed, groups, roles);
    }

    /** The same directory with one group renamed, on the group and on every user's reference to it. */
    public ExpectedDirectory renameGroup(String remoteId, String name) {
        requireNonNull(name, "name is null");
        group(remoteId).orElseThrow(() -> new IllegalArgumentException("no group with id " + remoteId));
        List<Group> renamed = groups.stream()
                .map(g -> g.remoteId().equals(remoteId)
                        ? new Group(
                                g.remoteId(),
                                name,
                                g.description(),
                                g.type(),
                                g.members(),
                                g.memberCount(),
                                g.createdAt(),
                                g.updatedAt(),
                                g.raw(),
                                g.privileged())
                        : g)
                .toList();
        List<User> changed = users.stream()
                .map(u -> u.toBuilder()
                        .groups(u.groups().stream()
                                .map(r -> r.remoteId().equals(remoteId)
                                        ? new GroupRef(r.remoteId(), name, r.privileged())
                                        : r)
                                .toList())
                        .build())
                .toList();
        return new ExpectedDirectory(changed, renamed, roles);
    }

    /**
     * The same directory with each group's privilege mark set to {@code privileged(group)}, on the group and on every
     * user's reference to it.
     */
    public ExpectedDirectory markGroups(Function<Group, Boolean> privileged) {
        Map<String, Boolean> marks = new HashMap<>();
        List<Group> marked = new ArrayList<>(groups.size());
        for (Group group : groups) {
            Boolean mark = privileged.apply(group);
            marks.put(group.remoteId(), mark);
            marked.add(group.withPrivileged(mark));
        }
        List<User> changed = users.stream()
                .map(u -> u.toBuilder()
                        .groups(u.groups().stream()
                                .map(r -> new GroupRef(r.remoteId(), r.name(), marks.get(r.remoteId())))
                                .toList())
                        .build())
                .toList();
        return new ExpectedDirectory(changed, marked, roles);
    }

    /**
     * The same directory with {@code count} roles: role {@code i} is assigned directly to every user whose position
     * modulo {@code count} is {@code i}, and to group {@code i} when there is one; privilege marks cycle through
     * true, false and unknown, scopes through org-wide, group, app and unknown; every role lists permissions.
     */
    public ExpectedDirectory withRoles(int count) {
        List<Role> added = new ArrayList<>(count);
        RoleScope[] scopes = {RoleScope.ORG_WIDE, RoleScope.GROUP, RoleScope.APP, null};
        Boolean[] marks = {true, false, null};
        for (int i = 0; i < count; i++) {
            List<MemberRef> members = new ArrayList<>();
            for (int u = i; u < users.size(); u += count) {
                members.add(new MemberRef(users.get(u).remoteId(), users.get(u).username()));
            }
            List<GroupRef> assignedGroups = i < groups.size()
                    ? List.of(
                            new GroupRef(groups.get(i).remoteId(), groups.get(i).name()))
                    : List.of();
            added.add(Role.builder("role-" + (i + 1))
                    .name("Role " + (i + 1))
                    .description(i % 2 == 0 ? "The role number " + (i + 1) : null)
                    .privileged(marks[i % marks.length])
                    .scope(scopes[i % scopes.length])
                    .permissions(List.of("read:" + (i + 1), "write:" + (i + 1)))
                    .members(members)
                    .groups(assignedGroups)
                    .createdAt(EPOCH.plus(i, ChronoUnit.DAYS))
                    .updatedAt(EPOCH.plus(i + 1, ChronoUnit.DAYS))
                    .build());
        }
        return new ExpectedDirectory(users, groups, added);
    }

    public Optional<Role> role(String remoteId) {
        requireNonNull(remoteId, "remoteId is null");
        return roles.stream().filter(r -> r.remoteId().equals(remoteId)).findFirst();
    }

    public Optional<User> user(String remoteId) {
        requireNonNull(remoteId, "remoteId is null");
        return users.stream().filter(u -> u.remoteId().equals(remoteId)).findFirst();
    }

    public Optional<Group> group(String remoteId) {
        requireNonNull(remoteId, "remoteId is null");
        return groups.stream().filter(g -> g.remoteId().equals(remoteId)).findFirst();
    }

    /** The ids of a group's members; empty for an unknown group. */
    public List<String> memberIds(String groupRemoteId) {
        return group(groupRemoteId)
                .map(g -> g.members().stream().map(MemberRef::remoteId).toList())
                .orElse(List.of());
    }

    private static Instant minutesAfter(Instant start, SplittableRandom random, int maxMinutes) {
        return start.plus(random.nextInt(maxMinutes), ChronoUnit.MINUTES);
    }

    private static String randomId(SplittableRandom random) {
        char[] chars = new char[26];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = BASE32[random.nextInt(BASE32.length)];
        }
        return new String(chars);
    }
}
