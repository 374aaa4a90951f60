package dev.keyline.connector.tck.entra;

import dev.keyline.connector.tck.KitRequest;
import dev.keyline.scimdouble.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** What a {@link GraphDouble} holds; every method is synchronized on the state. */
final class GraphState {
    /** A scripted answer for the next Graph request. */
    record Fault(int status, Duration retryAfter) {}

    /**
     * A change of a user for the delta query: the properties it touched, and the removed reason (null while the user
     * exists).
     */
    record Change(long version, String id, String removedReason, Set<String> properties) {
        Change {
            properties = Set.copyOf(properties);
        }
    }

    private static final AtomicLong TOKENS = new AtomicLong();

    final String tenantId;
    final Set<String> domains;
    final String clientId;
    volatile String clientSecret;
    final String graphUrl;
    final String wrongToken = "eyJ0eXAiOiJKV1QifQ.wrong-" + Long.toHexString(System.nanoTime()) + ".sig";
    volatile boolean premium;
    volatile boolean secretExpired;
    final Map<String, String> expiredClients;
    private final Set<String> granted;
    private final Map<String, Set<String>> tokens = new HashMap<>();
    final Map<String, Map<String, Object>> users;
    final Map<String, Map<String, Object>> groups;
    final Map<String, List<String>> members;
    final Map<String, Map<String, Object>> roles;
    final Map<String, List<String>> assignments;
    final Map<String, Map<String, Object>> registrations;
    private final List<Change> changes = new ArrayList<>();
    private long version = 1;
    private long expiredBefore;
    private boolean resync;
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Set<String> pastSecrets = new LinkedHashSet<>();
    private final List<KitRequest> requests = new ArrayList<>();

    GraphState(GraphDouble.Builder b) {
        tenantId = b.tenantId.toLowerCase(java.util.Locale.ROOT);
        domains = Set.copyOf(b.domains);
        clientId = b.clientId;
        clientSecret = b.clientSecret;
        expiredClients = Map.copyOf(b.expiredClients);
        graphUrl = b.graphUrl;
        premium = b.premium;
        granted = new HashSet<>(b.granted);
        users = new LinkedHashMap<>(b.users);
        groups = new LinkedHashMap<>(b.groups);
        members = new HashMap<>(b.members);
        roles = new LinkedHashMap<>(b.roles);
        assignments = new HashMap<>(b.assignments);
        registrations = new HashMap<>(b.registrations);
    }

    synchronized boolean knowsTenant(String tenant) {
        String t = tenant.toLowerCase(java.util.Locale.ROOT);
        return t.equals(tenantId) || domains.contains(t);
    }

    synchronized Set<String> granted() {
        return Set.copyOf(granted);
    }

    synchronized void grant(Set<String> permissions) {
        granted.clear();
        granted.addAll(permissions);
    }

    /** A JWT-shaped token whose {@code roles} claim lists {@code permissions}; Graph honours exactly those. */
    synchronized String issue(Set<String> permissions) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"typ\":\"JWT\",\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", graphUrl);
        claims.put("tid", tenantId);
        claims.put("appid", clientId);
        claims.put("roles", List.copyOf(new java.util.TreeSet<>(permissions)));
        claims.put("jti", "double-" + TOKENS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()));
        String token = header + "." + b64.encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8))
                + ".double-signature";
        tokens.put(token, Set.copyOf(permissions));
        return token;
    }

    /** The permissions of a bearer token, or null when Graph would not know it. */
    synchronized Set<String> permissionsOf(String token) {
        return tokens.get(token);
    }

    synchronized void putUser(Map<String, ?> user) {
        String id = String.valueOf(user.get("id"));
        users.put(id, new LinkedHashMap<>(user));
        changes.add(new Change(++version, id, null, user.keySet()));
    }

    synchronized void deleteUser(String id, boolean permanently) {
        if (users.remove(id) != null) {
            members.values().forEach(m -> m.remove(id));
            changes.add(new Change(++version, id, permanently ? "deleted" : "changed", Set.of()));
        }
    }

    synchronized void setAccountEnabled(String id, boolean enabled) {
        Map<String, Object> user = users.get(id);
        if (user == null) {
            throw new IllegalArgumentException("no user " + id);
        }
        user.put("accountEnabled", enabled);
        changes.add(new Change(++version, id, null, Set.of("accountEnabled")));
    }

    synchronized void putGroup(Map<String, ?> group, List<String> memberIds) {
        String id = String.valueOf(group.get("id"));
        groups.put(id, new LinkedHashMap<>(group));
        members.put(id, new ArrayList<>(memberIds));
    }

    synchronized void putRole(Map<String, ?> definition, List<String> principals) {
        String id = String.valueOf(definition.get("id"));
        roles.put(id, new LinkedHashMap<>(definition));
        assignments.put(id, new ArrayList<>(principals));
    }

    synchronized void putRegistration(String userId, boolean registered, List<String> methods) {
        registrations.put(
                userId,
                new LinkedHashMap<>(Map.of(
                        "id", userId, "isMfaRegistered", registered, "methodsRegistered", List.copyOf(methods))));
    }

    synchronized long version() {
        return version;
    }

    synchronized void expireDeltaTokens(boolean gone) {
        expiredBefore = ++version;
        resync = gone;
    }

    synchronized boolean resync() {
        return resync;
    }

    synchronized boolean expired(long token) {
        return token < expiredBefore;
    }

    /**
     * The changes of each user after {@code since}, merged (the last removed reason, every property touched), in order
     * of last change.
     */
    synchronized List<Change> changesSince(long since) {
        Map<String, Change> last = new LinkedHashMap<>();
        for (Change change : changes) {
            if (change.version() > since) {
                Change before = last.remove(change.id());
                Set<String> touched = new HashSet<>(change.properties());
                if (before != null) {
                    touched.addAll(before.properties());
                }
                last.put(change.id(), new Change(change.version(), change.id(), change.removedReason(), touched));
            }
        }
        return List.copyOf(last.values());
    }

    synchronized void fault(Fault fault) {
        faults.addLast(fault);
    }

    synchronized Fault nextFault() {
        return faults.pollFirst();
    }

    synchronized void record(KitRequest request) {
        requests.add(request);
    }

    synchronized List<KitRequest> requests() {
        return List.copyOf(requests);
    }

    synchronized void clearRequests() {
        requests.clear();
    }

    synchronized void rotateSecret(String secret) {
        pastSecrets.add(clientSecret);
        clientSecret = secret;
        secretExpired = false;
    }

    synchronized Set<String> secrets() {
        Set<String> out = new LinkedHashSet<>(tokens.keySet());
        out.add(wrongToken);
        out.add(clientSecret);
        out.addAll(pastSecrets);
        out.addAll(expiredClients.values());
        return out;
    }
}
