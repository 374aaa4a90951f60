package dev.keyline.connector.tck.entra;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.keyline.connector.tck.KitRequest;
import dev.keyline.scimdouble.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Serves the token endpoint and Graph v1.0 from a {@link GraphState}. */
final class GraphHandler implements HttpHandler {
    private static final int DEFAULT_TOP = 100;
    private static final int MAX_TOP = 999;
    private static final int MAX_TOP_SIGN_IN = 120;

    private final GraphState state;

    GraphHandler(GraphState state) {
        this.state = state;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            state.record(new KitRequest(exchange.getRequestMethod(), path, query, exchange.getRequestHeaders()));
            if (exchange.getRequestMethod().equals("POST") && path.endsWith("/oauth2/v2.0/token")) {
                GraphToken.serve(state, exchange, path);
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                error(exchange, 405, "Request_BadRequest", "Only GET is served here.");
                return;
            }
            GraphState.Fault fault = state.nextFault();
            if (fault != null) {
                if (fault.retryAfter() != null) {
                    exchange.getResponseHeaders()
                            .set(
                                    "Retry-After",
                                    String.valueOf(fault.retryAfter().toSeconds()));
                }
                String code = fault.status() == 429
                        ? "TooManyRequests"
                        : fault.status() == 500 ? "UnknownError" : "serviceNotAvailable";
                error(exchange, fault.status(), code, "Scripted fault.");
                return;
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            Set<String> permissions =
                    auth == null || !auth.startsWith("Bearer ") ? null : state.permissionsOf(auth.substring(7));
            if (permissions == null) {
                error(
                        exchange,
                        401,
                        "InvalidAuthenticationToken",
                        "Access token validation failure. Invalid audience.");
                return;
            }
            route(exchange, path.replaceFirst("^/v1\\.0", ""), params(query), permissions);
        } catch (RuntimeException e) {
            error(
                    exchange,
                    500,
                    "UnknownError",
                    "The double failed: " + e.getClass().getSimpleName());
        }
    }

    private void route(HttpExchange ex, String path, Map<String, String> q, Set<String> perms) throws IOException {
        String[] parts = path.replaceFirst("^/", "").split("/");
        String select = q.getOrDefault("$select", "");
        boolean signIn = select.contains("signInActivity");
        String need = switch (parts[0]) {
            case "users" -> parts.length == 3 ? GraphDouble.GROUP_MEMBER_READ_ALL : GraphDouble.USER_READ_ALL;
            case "groups" -> GraphDouble.GROUP_MEMBER_READ_ALL;
            case "roleManagement" -> GraphDouble.ROLE_MANAGEMENT_READ_DIRECTORY;
            case "reports" -> GraphDouble.AUDIT_LOG_READ_ALL;
            default -> null;
        };
        if (need == null) {
            error(ex, 400, "BadRequest", "Resource not found for the segment '" + parts[0] + "'.");
            return;
        }
        if (!perms.contains(need) || (signIn && !perms.contains(GraphDouble.AUDIT_LOG_READ_ALL))) {
            error(ex, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
            return;
        }
        if (signIn && !state.premium) {
            error(
                    ex,
                    403,
                    "Authentication_RequestFromNonPremiumTenantOrB2CTenant",
                    "Neither tenant is B2C or tenant doesn't have premium license");
            return;
        }
        synchronized (state) {
            switch (parts[0]) {
                case "users" -> users(ex, parts, q, path);
                case "groups" -> groups(ex, parts, q, path);
                case "roleManagement" -> roleManagement(ex, parts, q, path);
                default -> page(ex, new ArrayList<>(state.registrations.values()), q, path, MAX_TOP);
            }
        }
    }

    private void users(HttpExchange ex, String[] parts, Map<String, String> q, String path) throws IOException {
        if (parts.length == 1) {
            List<Map<String, Object>> all = new ArrayList<>();
            for (Map<String, Object> user : state.users.values()) {
                if (matches(user, q.get("$filter"))) {
                    all.add(shape(user, q));
                }
            }
            page(
                    ex,
                    all,
                    q,
                    path,
                    q.getOrDefault("$select", "").contains("signInActivity") ? MAX_TOP_SIGN_IN : MAX_TOP);
        } else if (parts[1].equals("delta")) {
            GraphDelta.serve(state, ex, q, this);
        } else if (!state.users.containsKey(parts[1])) {
            error(
                    ex,
                    404,
                    "Request_ResourceNotFound",
                    "Resource '" + parts[1]
                            + "' does not exist or one of its queried reference-property objects are not present.");
        } else if (parts.length == 2) {
            send(ex, 200, shape(state.users.get(parts[1]), q));
        } else {
            List<Map<String, Object>> groups = new ArrayList<>();
            state.groups.forEach((id, g) -> {
                if (state.members.getOrDefault(id, List.of()).contains(parts[1])) {
                    groups.add(project(withType(g, "#microsoft.graph.group"), q.get("$select")));
                }
            });
            page(ex, groups, q, path, MAX_TOP);
        }
    }

    private void groups(HttpExchange ex, String[] parts, Map<String, String> q, String path) throws IOException {
        if (parts.length == 1) {
            List<Map<String, Object>> all = new ArrayList<>();
            for (Map<String, Object> group : state.groups.values()) {
                if (matches(group, q.get("$filter"))) {
                    all.add(project(group, q.get("$select")));
                }
            }
            page(ex, all, q, path, MAX_TOP);
        } else if (!state.groups.containsKey(parts[1])) {
            error(
                    ex,
                    404,
                    "Request_ResourceNotFound",
                    "Resource '" + parts[1]
                            + "' does not exist or one of its queried reference-property objects are not present.");
        } else if (parts.length == 2) {
            send(ex, 200, project(state.groups.get(parts[1]), q.get("$select")));
        } else {
            List<Map<String, Object>> users = new ArrayList<>();
            for (String id : state.members.getOrDefault(parts[1], List.of())) {
                Map<String, Object> user = state.users.get(id);
                if (user != null) {
                    users.add(project(withType(user, "#microsoft.graph.user"), q.get("$select")));
                }
            }
            page(ex, users, q, path, MAX_TOP);
        }
    }

    private void roleManagement(HttpExchange ex, String[] parts, Map<String, String> q, String path)
            throws IOException {
        String collection = parts.length > 2 ? parts[2] : "";
        if (collection.equals("roleDefinitions")) {
            List<Map<String, Object>> all = new ArrayList<>();
            state.roles.values().forEach(r -> all.add(project(r, q.get("$select"))));
            page(ex, all, q, path, MAX_TOP);
        } else if (collection.equals("roleAssignments")) {
            List<Map<String, Object>> all = new ArrayList<>();
            state.assignments.forEach((role, principals) -> {
                for (String principal : principals) {
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("id", role + "_" + principal);
                    a.put("principalId", principal);
                    a.put("roleDefinitionId", role);
                    a.put("directoryScopeId", "/");
                    if (q.getOrDefault("$expand", "").startsWith("principal")) {
                        Map<String, Object> user = state.users.get(principal);
                        Map<String, Object> group = state.groups.get(principal);
                        a.put(
                                "principal",
                                user != null
                                        ? withType(user, "#microsoft.graph.user")
                                        : group != null
                                                ? withType(group, "#microsoft.graph.group")
                                                : Map.of(
                                                        "@odata.type",
                                                        "#microsoft.graph.servicePrincipal",
                                                        "id",
                                                        principal));
                    }
                    all.add(a);
                }
            });
            page(ex, all, q, path, MAX_TOP);
        } else {
            error(ex, 400, "BadRequest", "Resource not found for the segment '" + collection + "'.");
        }
    }

    /** One page of {@code all}: {@code $top} (at most {@code max}), {@code $skiptoken} as an opaque offset. */
    void page(HttpExchange ex, List<Map<String, Object>> all, Map<String, String> q, String path, int max)
            throws IOException {
        int top = Math.min(max, Integer.parseInt(q.getOrDefault("$top", String.valueOf(DEFAULT_TOP))));
        int from = q.containsKey("$skiptoken") ? decodeSkip(q.get("$skiptoken")) : 0;
        int to = Math.min(all.size(), from + top);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", state.graphUrl + "/v1.0/$metadata#" + path.replaceFirst("^/", ""));
        if (q.containsKey("$count")) {
            body.put("@odata.count", all.size());
        }
        body.put("value", all.subList(Math.min(from, to), to));
        if (to < all.size()) {
            Map<String, String> next = new LinkedHashMap<>(q);
            next.put(
                    "$skiptoken",
                    Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(("o" + to).getBytes(StandardCharsets.UTF_8)));
            body.put("@odata.nextLink", link(path, next));
        }
        send(ex, 200, body);
    }

    String link(String path, Map<String, String> q) {
        StringBuilder out =
                new StringBuilder(state.graphUrl).append("/v1.0").append(path).append('?');
        q.forEach((k, v) -> out.append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"))
                .append('&'));
        return out.substring(0, out.length() - 1);
    }

    private static int decodeSkip(String token) {
        return Integer.parseInt(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).substring(1));
    }

    /** A user as {@code $select} and {@code $expand=manager} ask; the manager's id is kept in {@code _manager}. */
    Map<String, Object> shape(Map<String, Object> user, Map<String, String> q) {
        Map<String, Object> out = project(user, q.get("$select"));
        Object manager = user.get("_manager");
        if (q.getOrDefault("$expand", "").startsWith("manager") && manager != null) {
            out.put("manager", Map.of("@odata.type", "#microsoft.graph.user", "id", manager));
        }
        return out;
    }

    static Map<String, Object> project(Map<String, Object> record, String select) {
        Map<String, Object> out = new LinkedHashMap<>();
        Set<String> wanted = select == null || select.isBlank() ? null : Set.copyOf(Arrays.asList(select.split(",")));
        record.forEach((k, v) -> {
            if (!k.startsWith("_") && (wanted == null || wanted.contains(k) || k.equals("id") || k.startsWith("@"))) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static Map<String, Object> withType(Map<String, Object> record, String type) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("@odata.type", type);
        out.putAll(record);
        return out;
    }

    /** {@code prop eq 'text'} or {@code prop eq true}, joined by {@code and}. */
    private static boolean matches(Map<String, Object> record, String filter) {
        if (filter == null) {
            return true;
        }
        for (String clause : filter.split(" and ")) {
            String[] p = clause.strip().split(" eq ", 2);
            String value = p[1].strip();
            Object actual = record.get(p[0].strip());
            String expected = value.startsWith("'")
                    ? value.substring(1, value.length() - 1).replace("''", "'")
                    : value;
            if (actual == null || !String.valueOf(actual).equalsIgnoreCase(expected)) {
                return false;
            }
        }
        return true;
    }

    static Map<String, String> params(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    out.put(
                            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    /** Graph's error body, with the innerError it always carries. */
    static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("date", Instant.now().toString().replaceFirst("\\.\\d+Z$", "Z"));
        inner.put("request-id", UUID.randomUUID().toString());
        inner.put("client-request-id", UUID.randomUUID().toString());
        send(ex, status, Map.of("error", Map.of("code", code, "message", message, "innerError", inner)));
    }

    static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders()
                .set(
                        "Content-Type",
                        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8");
        ex.getResponseHeaders().set("request-id", UUID.randomUUID().toString());
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
