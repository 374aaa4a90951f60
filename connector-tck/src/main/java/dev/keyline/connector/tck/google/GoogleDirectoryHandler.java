package dev.keyline.connector.tck.google;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.keyline.connector.tck.KitRequest;
import dev.keyline.scimdouble.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Answers {@code /admin/directory/v1/...} as Google does, and hands {@code POST /token} to the token endpoint. Only
 * the read methods the connector may use are served: users (list, get), groups (list, get), members (list), roles
 * (list, get) and role assignments (list).
 */
final class GoogleDirectoryHandler implements HttpHandler {
    private static final String ROOT = "/admin/directory/v1";

    private final GoogleDirectoryDouble google;
    private final GoogleTokenEndpoint tokenEndpoint;

    GoogleDirectoryHandler(GoogleDirectoryDouble google, GoogleTokenEndpoint tokenEndpoint) {
        this.google = google;
        this.tokenEndpoint = tokenEndpoint;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            Map<String, List<String>> headerNames = new LinkedHashMap<>();
            exchange.getRequestHeaders().keySet().forEach(name -> headerNames.put(name, List.of()));
            google.log(new KitRequest(exchange.getRequestMethod(), path, query, headerNames));
            if (path.equals("/token") && exchange.getRequestMethod().equals("POST")) {
                tokenEndpoint.handle(exchange);
                return;
            }
            if (!exchange.getRequestMethod().equals("GET") || !path.startsWith(ROOT + "/")) {
                send(exchange, 405, error(405, "Method Not Allowed", "badRequest", null));
                return;
            }
            answer(exchange, path.substring(ROOT.length()), parameters(query));
        }
    }

    private void answer(HttpExchange exchange, String path, Map<String, String> params) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        GoogleDirectoryDouble.Grant grant = auth != null && auth.startsWith("Bearer ")
                ? google.tokens.get(auth.substring("Bearer ".length()))
                : null;
        if (grant == null) {
            exchange.getResponseHeaders()
                    .add("WWW-Authenticate", "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"");
            send(
                    exchange,
                    401,
                    error(
                            401,
                            "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
                                    + "cookie or other valid authentication credential.",
                            "authError",
                            "UNAUTHENTICATED"));
            return;
        }
        if (google.apiDisabled) {
            send(
                    exchange,
                    403,
                    error(
                            403,
                            "Admin SDK API has not been used in project 1234567890 before or it is disabled. Enable "
                                    + "it by visiting https://console.developers.google.com/apis/api/"
                                    + "admin.googleapis.com/overview?project=1234567890 then retry.",
                            "accessNotConfigured",
                            "PERMISSION_DENIED"));
            return;
        }
        Optional<GoogleDirectoryDouble.Fault> fault = google.strike(path);
        if (fault.isPresent()) {
            GoogleDirectoryDouble.Fault f = fault.get();
            if (f.retryAfter() != null) {
                exchange.getResponseHeaders()
                        .add("Retry-After", String.valueOf(f.retryAfter().toSeconds()));
            }
            send(exchange, f.status(), error(f.status(), f.message(), f.reason(), f.statusName()));
            return;
        }
        String[] parts = path.substring(1).split("/");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8);
        }
        Route route = route(parts, params);
        if (route == null) {
            send(exchange, 404, error(404, "Not Found", "notFound", null));
            return;
        }
        if (!route.customerOk) {
            send(exchange, 400, error(400, "Bad Request", "badRequest", null));
            return;
        }
        Set<String> areas = grant.subject() == null ? null : google.admins.get(grant.subject());
        if (areas == null || !areas.contains(route.area)) {
            send(exchange, 403, error(403, "Not Authorized to access this resource/api", "forbidden", null));
            return;
        }
        if (!grant.scopes().contains(route.scope)
                && !(route.area.equals("groups")
                        && route.items != null
                        && route.items.equals("members")
                        && grant.scopes().contains(GoogleDirectoryDouble.SCOPE_MEMBERS))) {
            send(
                    exchange,
                    403,
                    error(
                            403,
                            "Request had insufficient authentication scopes.",
                            "insufficientPermissions",
                            "PERMISSION_DENIED"));
            return;
        }
        synchronized (google) {
            if (route.record != null) {
                if (route.record.isEmpty()) {
                    send(exchange, 404, error(404, "Resource Not Found: " + route.key, "notFound", null));
                } else {
                    send(exchange, 200, Json.write(route.record.get()));
                }
                return;
            }
            page(exchange, route, params);
        }
    }

    /** What a path asks for: one record, or a listing of {@code items} with its size limit. */
    private static final class Route {
        String area;
        String scope;
        boolean customerOk = true;
        Optional<Map<String, Object>> record;
        String key;
        List<Map<String, Object>> list;
        String items;
        String kind;
        int max;
    }

    private Route route(String[] parts, Map<String, String> params) {
        Route route = new Route();
        synchronized (google) {
            if (parts[0].equals("users")) {
                route.area = "users";
                route.scope = GoogleDirectoryDouble.SCOPE_USERS;
                if (parts.length == 1) {
                    route.customerOk = customer(params.get("customer"));
                    route.list = new ArrayList<>(google.users.values());
                    return listing(route, "users", "admin#directory#users", 500);
                }
                route.key = "userKey";
                route.record = google.users.values().stream()
                        .filter(u -> parts[1].equals(u.get("id"))
                                || parts[1].equalsIgnoreCase(String.valueOf(u.get("primaryEmail"))))
                        .findFirst();
                return parts.length == 2 ? route : null;
            }
            if (parts[0].equals("groups")) {
                route.area = "groups";
                route.scope = GoogleDirectoryDouble.SCOPE_GROUPS;
                if (parts.length == 1) {
                    route.customerOk = customer(params.get("customer"));
                    route.list = new ArrayList<>(google.groups.values());
                    return listing(route, "groups", "admin#directory#groups", 200);
                }
                Optional<Map<String, Object>> group = google.groups.values().stream()
                        .filter(g -> parts[1].equals(g.get("id"))
                                || parts[1].equalsIgnoreCase(String.valueOf(g.get("email"))))
                        .findFirst();
                route.key = "groupKey";
                if (parts.length == 2) {
                    route.record = group;
                    return route;
                }
                if (parts.length == 3 && parts[2].equals("members")) {
                    if (group.isEmpty()) {
                        route.record = Optional.empty();
                        return route;
                    }
                    route.list = new ArrayList<>(
                            google.members.getOrDefault(group.get().get("id"), List.of()));
                    return listing(route, "members", "admin#directory#members", 200);
                }
                return null;
            }
            if (parts[0].equals("customer") && parts.length >= 3) {
                route.area = "roles";
                route.scope = GoogleDirectoryDouble.SCOPE_ROLES;
                route.customerOk = customer(parts[1]);
                if (parts[2].equals("roles") && parts.length == 3) {
                    route.list = new ArrayList<>(google.roles.values());
                    return listing(route, "items", "admin#directory#roles", 100);
                }
                if (parts[2].equals("roles") && parts.length == 4) {
                    route.key = "roleId";
                    route.record = Optional.ofNullable(google.roles.get(parts[3]));
                    return route;
                }
                if (parts[2].equals("roleassignments") && parts.length == 3) {
                    String roleId = params.get("roleId");
                    route.list = google.roleAssignments.stream()
                            .filter(a -> roleId == null || roleId.equals(a.get("roleId")))
                            .toList();
                    return listing(route, "items", "admin#directory#roleAssignments", 200);
                }
            }
            return null;
        }
    }

    private static Route listing(Route route, String items, String kind, int max) {
        route.items = items;
        route.kind = kind;
        route.max = max;
        return route;
    }

    private boolean customer(String value) {
        return value != null && (value.equals("my_customer") || value.equals(google.customerId()));
    }

    private void page(HttpExchange exchange, Route route, Map<String, String> params) throws IOException {
        int size = route.max == 500 ? 100 : route.max;
        String maxResults = params.get("maxResults");
        if (maxResults != null) {
            try {
                size = Integer.parseInt(maxResults);
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > route.max) {
                send(
                        exchange,
                        400,
                        error(
                                400,
                                "Invalid value '" + maxResults + "'. Values must be within the range: [1, " + route.max
                                        + "]",
                                "invalid",
                                "INVALID_ARGUMENT"));
                return;
            }
        }
        int offset = 0;
        String token = params.get("pageToken");
        if (token != null) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                offset = Integer.parseInt(text.substring(text.indexOf(':') + 1));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                send(exchange, 400, error(400, "Invalid Input", "invalid", "INVALID_ARGUMENT"));
                return;
            }
        }
        List<Map<String, Object>> all = route.list;
        List<Map<String, Object>> slice =
                all.subList(Math.min(offset, all.size()), Math.min(offset + size, all.size()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("kind", route.kind);
        body.put("etag", "\"double-" + all.size() + "\"");
        if (!slice.isEmpty()) {
            body.put(route.items, slice);
        }
        if (offset + size < all.size()) {
            body.put(
                    "nextPageToken",
                    Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(("pos:" + (offset + size)).getBytes(StandardCharsets.UTF_8)));
        }
        send(exchange, 200, Json.write(body));
    }

    /** Google's error body (the discovery document's {@code $.xgafv} v1 format with {@code status}). */
    static String error(int code, String message, String reason, String status) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("message", message);
        detail.put(
                "domain",
                reason.endsWith("RateLimitExceeded")
                                || reason.equals("rateLimitExceeded")
                                || reason.equals("accessNotConfigured")
                        ? "usageLimits"
                        : "global");
        detail.put("reason", reason);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        error.put("errors", List.of(detail));
        if (status != null) {
            error.put("status", status);
        }
        if (reason.equals("accessNotConfigured")) {
            error.put(
                    "details",
                    List.of(Map.of(
                            "@type", "type.googleapis.com/google.rpc.ErrorInfo",
                            "reason", "SERVICE_DISABLED",
                            "domain", "googleapis.com")));
        }
        return Json.write(Map.of("error", error));
    }

    static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static Map<String, String> parameters(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.putIfAbsent(name, value);
        }
        return params;
    }
}
