package dev.keyline.connector.keycloak;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.User;
import dev.keyline.connector.tck.KitRequest;
import dev.keyline.connector.tck.UpstreamDouble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;

/**
 * Keycloak's Admin REST API for one realm as documented for 26.x (UserRepresentation, GroupRepresentation, first/max
 * paging with bare JSON arrays, {@code {"error": "..."}} bodies, {@code Realm not found.} for an unknown realm),
 * serving a kit directory. The last group is served as a subgroup of the first one (reachable only through
 * {@code /groups/{id}/children}), so the connector's tree walk is exercised. Paths outside {@code /admin/realms}
 * answer an HTML page, as a login page or a proxy's would.
 */
final class KeycloakAdminDouble implements UpstreamDouble {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String realm;
    private final List<Map<String, Object>> users = new ArrayList<>();
    private final List<Map<String, Object>> topGroups = new ArrayList<>();
    private final Map<String, Map<String, Object>> groupsById = new LinkedHashMap<>();
    private final Map<String, List<Map<String, Object>>> children = new LinkedHashMap<>();
    private final Map<String, List<Map<String, Object>>> members = new LinkedHashMap<>();
    private final Map<String, List<Map<String, Object>>> userGroups = new LinkedHashMap<>();
    private final Set<String> validTokens = new CopyOnWriteArraySet<>();
    private final String forbiddenToken;
    private final List<KitRequest> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Integer> faults = new ConcurrentLinkedQueue<>();
    private volatile long retryAfterSeconds;

    KeycloakAdminDouble(String realm, List<User> users, List<Group> groups, String validToken) {
        this.realm = realm;
        this.validTokens.add(validToken);
        this.forbiddenToken = "forbidden-" + Integer.toHexString(validToken.hashCode());
        Map<String, String> groupNames = new LinkedHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            Group g = groups.get(i);
            boolean nested = i == groups.size() - 1 && groups.size() > 1;
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("id", g.remoteId());
            record.put("name", g.name());
            record.put("path", (nested ? "/" + groups.get(0).name() : "") + "/" + g.name());
            record.put("subGroupCount", i == 0 && groups.size() > 1 ? 1 : 0);
            record.put("subGroups", List.of());
            groupsById.put(g.remoteId(), record);
            groupNames.put(g.remoteId(), g.name());
            if (nested) {
                children.computeIfAbsent(groups.get(0).remoteId(), k -> new ArrayList<>())
                        .add(record);
            } else {
                topGroups.add(record);
            }
            List<Map<String, Object>> refs = new ArrayList<>();
            for (MemberRef m : g.members() == null ? List.<MemberRef>of() : g.members()) {
                refs.add(users.stream()
                        .filter(u -> u.remoteId().equals(m.remoteId()))
                        .findFirst()
                        .map(u -> brief(user(u)))
                        .orElseThrow());
            }
            members.put(g.remoteId(), refs);
        }
        for (User u : users) {
            this.users.add(user(u));
            userGroups.put(
                    u.remoteId(),
                    u.groups().stream()
                            .map(ref -> {
                                Map<String, Object> record = new LinkedHashMap<>();
                                record.put("id", ref.remoteId());
                                record.put("name", groupNames.get(ref.remoteId()));
                                record.put(
                                        "path", groupsById.get(ref.remoteId()).get("path"));
                                return record;
                            })
                            .toList());
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "keycloak-admin-double");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** A UserRepresentation as Keycloak renders it with briefRepresentation=false. */
    static Map<String, Object> user(User u) {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("id", u.remoteId());
        record.put("username", u.username());
        record.put("firstName", u.firstName());
        record.put("lastName", u.lastName());
        record.put("email", u.primaryEmailAddress());
        record.put("emailVerified", true);
        record.put("enabled", u.status().value() == StatusValue.ENABLED);
        record.put(
                "createdTimestamp", u.createdAt() == null ? null : u.createdAt().toEpochMilli());
        record.put("totp", false);
        record.put("attributes", Map.of("department", List.of("R&D")));
        record.values().removeIf(v -> v == null);
        return record;
    }

    private static Map<String, Object> brief(Map<String, Object> user) {
        Map<String, Object> record = new LinkedHashMap<>(user);
        record.remove("attributes");
        return record;
    }

    String rootUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String realm() {
        return realm;
    }

    String validToken() {
        return validTokens.iterator().next();
    }

    String wrongToken() {
        return "wrong-" + Integer.toHexString(validToken().hashCode());
    }

    String forbiddenToken() {
        return forbiddenToken;
    }

    /** Accepts this token too, as after a refresh. */
    void accept(String token) {
        validTokens.add(token);
    }

    /** Stops accepting this token, as when it expired. */
    void reject(String token) {
        validTokens.remove(token);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            requests.add(new KitRequest(exchange.getRequestMethod(), path, query, headers));
            if (!path.startsWith("/admin/realms/")) {
                send(exchange, 200, "text/html; charset=utf-8", "<!DOCTYPE html><html><body>Sign in</body></html>");
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                json(exchange, 405, Map.of("error", "HTTP 405 Method Not Allowed"));
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
            if (token == null || !(validTokens.contains(token) || token.equals(forbiddenToken))) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
                json(exchange, 401, Map.of("error", "HTTP 401 Unauthorized"));
                return;
            }
            String rest = path.substring("/admin/realms/".length());
            int slash = rest.indexOf('/');
            String realmName = URLDecoder.decode(slash < 0 ? rest : rest.substring(0, slash), StandardCharsets.UTF_8);
            if (!realmName.equals(realm)) {
                json(exchange, 404, Map.of("error", "Realm not found."));
                return;
            }
            if (token.equals(forbiddenToken)) {
                json(exchange, 403, Map.of("error", "HTTP 403 Forbidden"));
                return;
            }
            Integer fault = faults.poll();
            if (fault != null) {
                if (fault == 429) {
                    exchange.getResponseHeaders().add("Retry-After", String.valueOf(retryAfterSeconds));
                }
                json(exchange, fault, Map.of("error", "HTTP " + fault));
                return;
            }
            route(exchange, slash < 0 ? "" : rest.substring(slash), params(query));
        }
    }

    private void route(HttpExchange exchange, String path, Map<String, String> q) throws IOException {
        String[] parts = path.split("/");
        // parts[0] is empty: "/users/x/groups" -> ["", "users", "x", "groups"]
        if (path.equals("/users")) {
            List<Map<String, Object>> matching = users.stream()
                    .filter(u -> !q.containsKey("email") || q.get("email").equalsIgnoreCase((String) u.get("email")))
                    .filter(u -> !q.containsKey("username")
                            || q.get("username").equalsIgnoreCase((String) u.get("username")))
                    .filter(u -> !q.containsKey("enabled") || q.get("enabled").equals(String.valueOf(u.get("enabled"))))
                    .map(u -> "true".equals(q.get("briefRepresentation")) ? brief(u) : u)
                    .toList();
            json(exchange, 200, page(matching, q));
        } else if (path.equals("/users/count")) {
            json(exchange, 200, users.size());
        } else if (parts.length == 3 && parts[1].equals("users")) {
            Optional<Map<String, Object>> user =
                    users.stream().filter(u -> u.get("id").equals(parts[2])).findFirst();
            json(
                    exchange,
                    user.isPresent() ? 200 : 404,
                    user.isPresent() ? user.get() : Map.of("error", "User not found"));
        } else if (parts.length == 4 && parts[1].equals("users") && parts[3].equals("groups")) {
            List<Map<String, Object>> groups = userGroups.get(parts[2]);
            json(
                    exchange,
                    groups == null ? 404 : 200,
                    groups == null ? Map.of("error", "User not found") : page(groups, q));
        } else if (path.equals("/groups")) {
            json(exchange, 200, page(topGroups, q));
        } else if (parts.length == 3 && parts[1].equals("groups")) {
            Map<String, Object> group = groupsById.get(parts[2]);
            json(
                    exchange,
                    group == null ? 404 : 200,
                    group == null ? Map.of("error", "Could not find group by id") : group);
        } else if (parts.length == 4 && parts[1].equals("groups") && groupsById.containsKey(parts[2])) {
            if (parts[3].equals("children")) {
                json(exchange, 200, page(children.getOrDefault(parts[2], List.of()), q));
            } else if (parts[3].equals("members")) {
                json(exchange, 200, page(members.get(parts[2]), q));
            } else {
                json(exchange, 404, Map.of("error", "HTTP 404 Not Found"));
            }
        } else {
            json(exchange, 404, Map.of("error", "HTTP 404 Not Found"));
        }
    }

    /** Keycloak's paging: {@code first} (from 0) and {@code max}; absent {@code max} serves everything. */
    private static List<Map<String, Object>> page(List<Map<String, Object>> all, Map<String, String> q) {
        int first = Integer.parseInt(q.getOrDefault("first", "0"));
        int max = Integer.parseInt(q.getOrDefault("max", String.valueOf(Integer.MAX_VALUE)));
        if (first >= all.size()) {
            return List.of();
        }
        return all.subList(first, (int) Math.min(all.size(), (long) first + max));
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.put(
                        URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsString(body));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public List<KitRequest> requests() {
        return Collections.unmodifiableList(new ArrayList<>(requests));
    }

    @Override
    public void clearRequests() {
        requests.clear();
    }

    @Override
    public Set<String> secrets() {
        Set<String> secrets = new LinkedHashSet<>(validTokens);
        secrets.add(wrongToken());
        secrets.add(forbiddenToken);
        return secrets;
    }

    @Override
    public void rateLimitNext(Duration retryAfter) {
        retryAfterSeconds = retryAfter.toSeconds();
        faults.add(429);
    }

    @Override
    public void serverErrorNext() {
        faults.add(500);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    @Override
    public String toString() {
        return "KeycloakAdminDouble[" + rootUrl() + ", realm " + realm.toLowerCase(Locale.ROOT) + "]";
    }
}
