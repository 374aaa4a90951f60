package dev.keyline.platform.people;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Groups an origin owner's account users into people: users sharing any canonical address are one person, and so,
 * transitively, are users linked through a chain of shared addresses (union-find, near-linear in the users). Two
 * users of one account sharing an address stay two accounts of that person, not one. A person found in a single
 * linked account, or a user without an address, is unmatched: nothing ties it to the owner's other accounts.
 */
final class Correlation {
    private Correlation() {}

    /**
     * The people among {@code users}, sorted by id.
     *
     * @param users every user read, in the owner's account order (which orders each person's accounts)
     */
    static List<Person> people(String tenantId, String ownerId, List<AccountUser> users) {
        int[] parent = new int[users.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
        Map<String, Integer> firstWithKey = new HashMap<>();
        for (int i = 0; i < users.size(); i++) {
            for (String key : users.get(i).keys()) {
                Integer first = firstWithKey.putIfAbsent(key, i);
                if (first != null) {
                    union(parent, first, i);
                }
            }
        }
        Map<Integer, List<AccountUser>> groups = new LinkedHashMap<>();
        for (int i = 0; i < users.size(); i++) {
            groups.computeIfAbsent(find(parent, i), root -> new ArrayList<>()).add(users.get(i));
        }
        List<Person> people = new ArrayList<>(groups.size());
        for (List<AccountUser> members : groups.values()) {
            people.add(person(tenantId, ownerId, members));
        }
        people.sort(Comparator.comparing(Person::id));
        return people;
    }

    private static Person person(String tenantId, String ownerId, List<AccountUser> members) {
        TreeSet<String> emails = new TreeSet<>();
        TreeSet<String> primaries = new TreeSet<>();
        for (AccountUser user : members) {
            emails.addAll(user.keys());
            if (user.primaryKey() != null) {
                primaries.add(user.primaryKey());
            }
        }
        // Primary addresses change less often than aliases, so the id stays when an alias comes or goes.
        String canonical = !primaries.isEmpty() ? primaries.first() : emails.isEmpty() ? null : emails.first();
        AccountUser first = members.get(0);
        String id = canonical == null
                ? PersonIds.ofUser(tenantId, ownerId, first.account().id(), first.remoteId())
                : PersonIds.ofAddress(tenantId, ownerId, canonical);
        boolean matched = members.stream().map(u -> u.account().id()).distinct().count() > 1;
        AccountUser named = members.stream()
                .filter(u -> canonical != null && canonical.equals(u.primaryKey()) && u.name() != null)
                .findFirst()
                .or(() -> members.stream().filter(u -> u.name() != null).findFirst())
                .orElse(first);
        String primaryEmail = members.stream()
                .filter(u -> canonical != null && canonical.equals(u.primaryKey()))
                .map(AccountUser::primaryEmailAddress)
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(canonical);
        return new Person(id, matched, named.name(), primaryEmail, List.copyOf(emails), members);
    }

    private static int find(int[] parent, int i) {
        int root = i;
        while (parent[root] != root) {
            root = parent[root];
        }
        while (parent[i] != root) {
            int next = parent[i];
            parent[i] = root;
            i = next;
        }
        return root;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            // The earlier user's root wins, so a person's accounts keep the order they were read in.
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }
}
