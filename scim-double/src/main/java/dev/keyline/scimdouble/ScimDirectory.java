package dev.keyline.scimdouble;

import static java.util.Objects.requireNonNull;

import java.text.Normalizer;
import java.time.Clock;
import java.time.Duration;
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
import java.util.function.UnaryOperator;

/**
 * The upstream's directory: users and groups, generated deterministically from a seed and changeable at
 * run time. Memberships are held on the users; a group's members are derived. Thread-safe: every change is
 * atomic, and readers (the HTTP server, tests) see immutable snapshots.
 *
 * <p>Listing order is insertion order: generated records first, in generation order, then added ones.
 * Every change moves the {@code lastModified} of what it touches forward.
 */
public final class ScimDirectory {
    /** Generated records were created in the year after this instant. */
    static final Instant GENERATION_EPOCH = Instant.parse("2023-03-01T09:00:00Z");

    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    private static final String[] GIVEN_NAMES = {
        "Ada", "Alan", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger",
        "Radia", "Tim", "Katherine", "John", "Hedy", "Niklaus", "Shafi", "Donald", "Zoë", "Leslie",
        "Anita", "Vint", "Joan", "Bjarne", "Lynn", "Guido", "Mary", "James", "Chloé", "Whitfield",
        "Adele", "Rasmus", "Yukihiro", "José", "Carol", "Jean", "Ivan", "Evelyn", "Jürgen", "Ngozi"
    };
    private static final String[] FAMILY_NAMES = {
        "Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen",
        "Dijkstra", "Perlman", "Berners-Lee", "Johnson", "McCarthy", "Lamarr", "Wirth", "Goldwasser", "Knuth",
        "Wilson", "Lamport", "Borg", "Cerf", "Clarke", "Stroustrup", "Conway", "van Rossum", "Jackson",
        "Gosling", "Spärck Jones", "Diffie", "Goldberg", "Lerdorf", "Matsumoto", "Abelson", "Shaw", "Sammet",
        "Sutherland", "Müller", "O'Brien", "Okafor"
    };
    private static final String[] GROUP_NAMES = {
        "Engineering",
        "Sales",
        "Support",
        "Finance",
        "Security",
        "Marketing",
        "Design",
        "Legal",
        "People",
        "Operations",
        "Data",
        "IT"
    };
    private static final String[] LANGUAGES = {"en", "en-US", "fr", "de", "es", "ja", "pt-BR", "nl"};

    private final Clock clock;
    private final String domain;
    private final SplittableRandom random;
    private final LinkedHashMap<String, ScimUser> users = new LinkedHashMap<>();
    private final LinkedHashMap<String, ScimGroup> groups = new LinkedHashMap<>();
    private final Set<String> userNames = new HashSet<>();
    // The next suffix to try per local part, so 100,000 users with few distinct names stay quick.
    private final Map<String, Integer> nextSuffix = new HashMap<>();
    private Instant lastChange = GENERATION_EPOCH;
    private Snapshot snapshot;

    /** An immutable view of the whole directory at one moment. */
    record Snapshot(
            List<ScimUser> users,
            List<ScimGroup> groups,
            Map<String, ScimGroup> groupsById,
            Map<String, List<ScimUser>> membersByGroup) {

        List<ScimUser> members(String groupId) {
            return membersByGroup.getOrDefault(groupId, List.of());
        }
    }

    private ScimDirectory(long seed, String domain, Clock clock) {
        this.random = new SplittableRandom(seed);
        this.domain = domain;
        this.clock = clock;
    }

    /**
     * A directory of {@code userCount} users and {@code groupCount} groups; each user is in
     * {@code min(membershipsPerUser, groupCount)} groups and {@code round(userCount * suspendedFraction)}
     * users are suspended. The same arguments give the same directory.
     */
    static ScimDirectory generate(
            long seed,
            int userCount,
            int groupCount,
            int membershipsPerUser,
            double suspendedFraction,
            String domain,
            Clock clock) {
        ScimDirectory directory = new ScimDirectory(seed, domain, clock);
        directory.populate(userCount, groupCount, membershipsPerUser, suspendedFraction);
        return directory;
    }

    private void populate(int userCount, int groupCount, int membershipsPerUser, double suspendedFraction) {
        List<String> groupIds = new ArrayList<>(groupCount);
        for (int i = 0; i < groupCount; i++) {
            String name = GROUP_NAMES[i % GROUP_NAMES.length];
            if (i >= GROUP_NAMES.length) {
                name = name + " " + (i / GROUP_NAMES.length + 1);
            }
            Instant created = GENERATION_EPOCH.plus(random.nextInt(365 * 24 * 60), ChronoUnit.MINUTES);
            ScimGroup group = new ScimGroup(
                    newGroupId(), name, created, created.plus(random.nextInt(90 * 24 * 60), ChronoUnit.MINUTES));
            groups.put(group.id(), group);
            groupIds.add(group.id());
        }
        Set<Integer> suspended = new HashSet<>();
        long suspendedCount = Math.min(userCount, Math.round(userCount * suspendedFraction));
        while (suspended.size() < suspendedCount) {
            suspended.add(random.nextInt(userCount));
        }
        int memberships = Math.min(membershipsPerUser, groupCount);
        for (int i = 0; i < userCount; i++) {
            String given = GIVEN_NAMES[random.nextInt(GIVEN_NAMES.length)];
            String family = FAMILY_NAMES[random.nextInt(FAMILY_NAMES.length)];
            String userName = uniqueUserName(given, family);
            List<ScimEmail> emails = new ArrayList<>(2);
            // Some addresses come without a type, as 1Password sends them.
            emails.add(new ScimEmail(userName, i % 5 == 2 ? "" : "work", true));
            if (i % 6 == 4) {
                emails.add(new ScimEmail(localPart(given) + "." + localPart(family) + "@home.example", "home", false));
            }
            List<String> memberOf = new ArrayList<>(memberships);
            while (memberOf.size() < memberships) {
                String groupId = groupIds.get(random.nextInt(groupCount));
                if (!memberOf.contains(groupId)) {
                    memberOf.add(groupId);
                }
            }
            Instant created = GENERATION_EPOCH.plus(random.nextInt(365 * 24 * 60), ChronoUnit.MINUTES);
            ScimUser user = new ScimUser(
                    newUserId(),
                    userName,
                    given,
                    family,
                    given + " " + family,
                    !suspended.contains(i),
                    emails,
                    LANGUAGES[random.nextInt(LANGUAGES.length)],
                    memberOf,
                    created,
                    created.plus(random.nextInt(90 * 24 * 60), ChronoUnit.MINUTES));
            users.put(user.id(), user);
        }
        lastChange = GENERATION_EPOCH.plus(Duration.ofDays(500));
    }

    // ---- reading ----

    /** Every user, in listing order. */
    public List<ScimUser> users() {
        return snapshot().users();
    }

    /** Every group, in listing order. */
    public List<ScimGroup> groups() {
        return snapshot().groups();
    }

    public synchronized Optional<ScimUser> user(String id) {
        return Optional.ofNullable(users.get(id));
    }

    public synchronized Optional<ScimGroup> group(String id) {
        return Optional.ofNullable(groups.get(id));
    }

    /** The ids of the group's members, in listing order of the users; empty for an unknown group. */
    public List<String> memberIds(String groupId) {
        return snapshot().members(groupId).stream().map(ScimUser::id).toList();
    }

    public synchronized int userCount() {
        return users.size();
    }

    public synchronized int groupCount() {
        return groups.size();
    }

    synchronized Snapshot snapshot() {
        if (snapshot == null) {
            Map<String, List<ScimUser>> members = new HashMap<>();
            for (ScimUser user : users.values()) {
                for (String groupId : user.groupIds()) {
                    members.computeIfAbsent(groupId, id -> new ArrayList<>()).add(user);
                }
            }
            members.replaceAll((id, list) -> List.copyOf(list));
            snapshot = new Snapshot(
                    List.copyOf(users.values()), List.copyOf(groups.values()), Map.copyOf(groups), members);
        }
        return snapshot;
    }

    // ---- changing ----

    /** Adds an active user with a fresh id, a unique userName derived from the names, and no groups. */
    public synchronized ScimUser addUser(String givenName, String familyName) {
        requireNonNull(givenName, "givenName is null");
        requireNonNull(familyName, "familyName is null");
        Instant now = tick();
        String userName = uniqueUserName(givenName, familyName);
        ScimUser user = new ScimUser(
                newUserId(),
                userName,
                givenName,
                familyName,
                givenName + " " + familyName,
                true,
                List.of(new ScimEmail(userName, "work", true)),
                "en",
                List.of(),
                now,
                now);
        users.put(user.id(), user);
        changed();
        return user;
    }

    /**
     * Adds a chosen person or account next to the generated ones (an owner, a guest, a service account): a fresh id,
     * exactly this userName (which must be new), one primary work address, the given {@code userType} (null
     * serves none) and no groups.
     */
    public synchronized ScimUser addUser(
            String userName, String email, String givenName, String familyName, String userType, boolean active) {
        requireNonNull(userName, "userName is null");
        requireNonNull(email, "email is null");
        requireNonNull(givenName, "givenName is null");
        requireNonNull(familyName, "familyName is null");
        if (userNames.contains(userName)) {
            throw new IllegalArgumentException("a user named " + userName + " exists already");
        }
        Instant now = tick();
        ScimUser user = new ScimUser(
                        newUserId(),
                        userName,
                        givenName,
                        familyName,
                        givenName + " " + familyName,
                        active,
                        List.of(new ScimEmail(email, "work", true)),
                        "en",
                        List.of(),
                        now,
                        now)
                .withProfile(userType, null, null, null);
        users.put(user.id(), user);
        userNames.add(userName);
        changed();
        return user;
    }

    /** Adds a user exactly as given; its id must be new and its groups must exist. */
    public synchronized ScimUser addUser(ScimUser user) {
        requireNonNull(user, "user is null");
        if (users.containsKey(user.id())) {
            throw new IllegalArgumentException("a user with id " + user.id() + " exists already");
        }
        checkGroupsExist(user.groupIds());
        users.put(user.id(), user);
        userNames.add(user.userName());
        lastChange = later(lastChange, user.lastModified());
        changed();
        return user;
    }

    /** Replaces a user with {@code change(user)}, keeping its id and moving {@code lastModified} forward. */
    public synchronized ScimUser updateUser(String id, UnaryOperator<ScimUser> change) {
        ScimUser current = existingUser(id);
        ScimUser changed = requireNonNull(change.apply(current), "change returned null");
        if (!changed.id().equals(id)) {
            throw new IllegalArgumentException("a user's id cannot change: " + id + " -> " + changed.id());
        }
        checkGroupsExist(changed.groupIds());
        ScimUser stored = changed.withLastModified(tick());
        users.put(id, stored);
        userNames.add(stored.userName());
        changed();
        return stored;
    }

    public ScimUser suspendUser(String id) {
        return updateUser(id, user -> user.withActive(false));
    }

    public ScimUser reactivateUser(String id) {
        return updateUser(id, user -> user.withActive(true));
    }

    public synchronized void removeUser(String id) {
        existingUser(id);
        users.remove(id);
        changed();
    }

    /** Adds an empty group with a fresh id. */
    public synchronized ScimGroup addGroup(String displayName) {
        requireNonNull(displayName, "displayName is null");
        Instant now = tick();
        ScimGroup group = new ScimGroup(newGroupId(), displayName, now, now);
        groups.put(group.id(), group);
        changed();
        return group;
    }

    /** Adds a group with a fresh id and these users (which must exist) as its members. */
    public synchronized ScimGroup addGroup(String displayName, List<String> memberIds) {
        requireNonNull(memberIds, "memberIds is null");
        for (String memberId : memberIds) {
            existingUser(memberId);
        }
        ScimGroup group = addGroup(displayName);
        for (String memberId : memberIds) {
            addMember(group.id(), memberId);
        }
        return groups.get(group.id());
    }

    /** Adds a group exactly as given; its id must be new. Members join through their users. */
    public synchronized ScimGroup addGroup(ScimGroup group) {
        requireNonNull(group, "group is null");
        if (groups.containsKey(group.id())) {
            throw new IllegalArgumentException("a group with id " + group.id() + " exists already");
        }
        groups.put(group.id(), group);
        lastChange = later(lastChange, group.lastModified());
        changed();
        return group;
    }

    public synchronized ScimGroup renameGroup(String id, String displayName) {
        requireNonNull(displayName, "displayName is null");
        ScimGroup renamed = existingGroup(id).withDisplayName(displayName).withLastModified(tick());
        groups.put(id, renamed);
        changed();
        return renamed;
    }

    /** Removes the group and every membership in it. */
    public synchronized void removeGroup(String id) {
        existingGroup(id);
        groups.remove(id);
        Instant now = tick();
        users.replaceAll((userId, user) -> user.groupIds().contains(id)
                ? user.withGroupIds(without(user.groupIds(), id)).withLastModified(now)
                : user);
        changed();
    }

    /** Puts the user in the group; no change when it is already a member. */
    public synchronized void addMember(String groupId, String userId) {
        ScimGroup group = existingGroup(groupId);
        ScimUser user = existingUser(userId);
        if (user.groupIds().contains(groupId)) {
            return;
        }
        List<String> memberOf = new ArrayList<>(user.groupIds());
        memberOf.add(groupId);
        Instant now = tick();
        users.put(userId, user.withGroupIds(memberOf).withLastModified(now));
        groups.put(groupId, group.withLastModified(now));
        changed();
    }

    /** Takes the user out of the group; no change when it is not a member. */
    public synchronized void removeMember(String groupId, String userId) {
        ScimGroup group = existingGroup(groupId);
        ScimUser user = existingUser(userId);
        if (!user.groupIds().contains(groupId)) {
            return;
        }
        Instant now = tick();
        users.put(userId, user.withGroupIds(without(user.groupIds(), groupId)).withLastModified(now));
        groups.put(groupId, group.withLastModified(now));
        changed();
    }

    // ---- helpers ----

    private ScimUser existingUser(String id) {
        ScimUser user = users.get(requireNonNull(id, "id is null"));
        if (user == null) {
            throw new IllegalArgumentException("no user with id " + id);
        }
        return user;
    }

    private ScimGroup existingGroup(String id) {
        ScimGroup group = groups.get(requireNonNull(id, "id is null"));
        if (group == null) {
            throw new IllegalArgumentException("no group with id " + id);
        }
        return group;
    }

    private void checkGroupsExist(List<String> groupIds) {
        for (String groupId : groupIds) {
            existingGroup(groupId);
        }
    }

    private static List<String> without(List<String> ids, String id) {
        return ids.stream().filter(g -> !g.equals(id)).toList();
    }

    private void changed() {
        snapshot = null;
    }

    /** Now, whole seconds, and strictly after the previous change so sync tests can rely on ordering. */
    private Instant tick() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        lastChange = now.isAfter(lastChange) ? now : lastChange.plusSeconds(1);
        return lastChange;
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private String newUserId() {
        String id;
        do {
            id = randomBase32(26);
        } while (users.containsKey(id));
        return id;
    }

    private String newGroupId() {
        String id;
        do {
            id = randomBase32(26).toLowerCase(Locale.ROOT);
        } while (groups.containsKey(id));
        return id;
    }

    private String randomBase32(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = BASE32[random.nextInt(BASE32.length)];
        }
        return new String(chars);
    }

    private String uniqueUserName(String given, String family) {
        String local = localPart(given) + "." + localPart(family);
        int n = nextSuffix.getOrDefault(local, 1);
        String candidate = n == 1 ? local + "@" + domain : local + n + "@" + domain;
        while (userNames.contains(candidate)) {
            n++;
            candidate = local + n + "@" + domain;
        }
        nextSuffix.put(local, n + 1);
        userNames.add(candidate);
        return candidate;
    }

    /** ASCII, lower-case, letters and digits only: "Spärck Jones" becomes "sparckjones". */
    private static String localPart(String name) {
        String ascii = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        String local = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        return local.isEmpty() ? "user" : local;
    }
}
