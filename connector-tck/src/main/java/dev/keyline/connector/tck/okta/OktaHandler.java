package dev.keyline.connector.tck.okta;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.keyline.connector.tck.KitRequest;
import dev.keyline.scimdouble.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Serves an {@link OktaDouble}: authentication, faults, then the management API's read endpoints. */
final class OktaHandler implements HttpHandler {
    private static final Pattern USER = Pattern.compile("/api/v1/users/([^/]+)(/groups|/roles|/factors)?");
    private static final Pattern GROUP = Pattern.compile("/api/v1/groups/([^/]+)(/users|/roles)?");
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("SUPER_ADMIN", "Super Organization administrator"),
            Map.entry("ORG_ADMIN", "Organization Administrator"),
            Map.entry("APP_ADMIN", "Application Administrator"),
            Map.entry("USER_ADMIN", "Group Administrator"),
            Map.entry("HELP_DESK_ADMIN", "Help Desk Administrator"),
            Map.entry("READ_ONLY_ADMIN", "Read-only Administrator"),
            Map.entry("MOBILE_ADMIN", "Mobile Administrator"),
            Map.entry("API_ACCESS_MANAGEMENT_ADMIN", "API Access Management Administrator"),
            Map.entry("REPORT_ADMIN", "Report Administrator"),
            Map.entry("GROUP_MEMBERSHIP_ADMIN", "Group Membership Administrator"));

    private final OktaDouble okta;
    private final OktaTokenEndpoint tokens;

    OktaHandler(OktaDouble okta) {
        this.okta = okta;
        this.tokens = new OktaTokenEndpoint(okta);
    }

    static String label(String roleType) {
        return LABELS.getOrDefault(roleType, roleType);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String query = exchange.getRequestURI().getRawQuery();
            Map<String, List<String>> names = new LinkedHashMap<>();
            exchange.getRequestHeaders().keySet().forEach(n -> names.put(n.toLowerCase(Locale.ROOT), List.of()));
            OktaFault fault;
            synchronized (okta.lock) {
                okta.requests.add(new KitRequest(exchange.getRequestMethod(), path, query, names));
                fault = okta.faults.stream()
                        .filter(f -> f.strikes(path))
                        .findFirst()
                        .orElse(null);
            }
            if (path.equals("/oauth2/v1/token")) {
                tokens.handle(exchange);
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                error(exchange, 405, "E0000022", "The endpoint does not support the provided HTTP method");
                return;
            }
            Set<String> scopes = authenticate(exchange);
            if (scopes == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "SSWS");
                error(exchange, 401, "E0000011", "Invalid token provided");
                return;
            }
            if (fault != null) {
                answer(exchange, fault);
                return;
            }
            String needed = scopeFor(path);
            if (!scopes.contains("*") && !scopes.contains(needed)) {
                exchange.getResponseHeaders()
                        .add(
                                "WWW-Authenticate",
                                "Bearer realm=\"IdpMyAccountAPI\", error=\"insufficient_scope\", "
                                        + "error_description=\"The access token provided does not contain the "
                                        + "required scopes.\", resource=\"" + path + "\"");
                error(exchange, 403, "E0000006", "You do not have permission to perform the requested action");
                return;
            }
            route(exchange, path, query);
        } catch (RuntimeException e) {
            error(exchange, 500, "E0000009", "Internal Server Error");
        }
    }

    /** The scopes the caller holds ({@code *} for an API token), or null when the credential is unknown. */
    private Set<String> authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            return null;
        }
        if (header.equals("SSWS " + okta.apiToken())) {
            return Set.of("*");
        }
        if (header.equals("SSWS " + okta.forbiddenApiToken())) {
            return Set.of();
        }
        if (header.startsWith("Bearer ")) {
            synchronized (okta.lock) {
                return okta.accessTokens.get(header.substring("Bearer ".length()));
            }
        }
        return null;
    }

    private static String scopeFor(String path) {
        if (path.startsWith("/api/v1/iam/") || path.endsWith("/roles")) {
            return "okta.roles.read";
        }
        return path.startsWith("/api/v1/groups") ? "okta.groups.read" : "okta.users.read";
    }

    private void answer(HttpExchange exchange, OktaFault fault) throws IOException {
        switch (fault.kind()) {
            case RATE_LIMITED -> {
                long reset = okta.clock.instant().plus(fault.resetIn()).getEpochSecond();
                exchange.getResponseHeaders().add("x-rate-limit-limit", "600");
                exchange.getResponseHeaders().add("x-rate-limit-remaining", "0");
                exchange.getResponseHeaders().add("x-rate-limit-reset", String.valueOf(reset));
                error(exchange, 429, "E0000047", "API call exceeded rate limit due to too many requests.");
            }
            case SERVER_ERROR -> error(exchange, 500, "E0000009", "Internal Server Error");
            case FORBIDDEN ->
                error(exchange, 403, "E0000006", "You do not have permission to perform the requested action");
        }
    }

    private void route(HttpExchange exchange, String path, String query) throws IOException {
        Map<String, String> params = params(query);
        Matcher user = USER.matcher(path);
        Matcher group = GROUP.matcher(path);
        synchronized (okta.lock) {
            if (path.equals("/api/v1/users")) {
                listUsers(exchange, params);
            } else if (path.equals("/api/v1/groups")) {
                page(exchange, "/api/v1/groups", params, new ArrayList<>(okta.groups.values()), 10_000, 10_000);
            } else if (path.equals("/api/v1/iam/assignees/users")) {
                assignees(exchange, params);
            } else if (user.matches()) {
                userResource(exchange, decode(user.group(1)), user.group(2));
            } else if (group.matches()) {
                groupResource(exchange, path, decode(group.group(1)), group.group(2), params);
            } else {
                error(exchange, 404, "E0000022", "The endpoint does not support the provided HTTP method");
            }
        }
    }

    private void listUsers(HttpExchange exchange, Map<String, String> params) throws IOException {
        String expression = params.getOrDefault("filter", params.get("search"));
        Predicate<Map<String, Object>> match;
        try {
            match = expression == null ? u -> !"DEPROVISIONED".equals(u.get("status")) : OktaFilter.parse(expression);
        } catch (RuntimeException e) {
            error(exchange, 400, "E0000031", "Invalid search criteria.");
            return;
        }
        List<Object> selected = new ArrayList<>();
        for (Map<String, Object> u : okta.users.values()) {
            try {
                if (match.test(u)) {
                    selected.add(u);
                }
            } catch (RuntimeException e) {
                error(exchange, 400, "E0000031", "Invalid search criteria.");
                return;
            }
        }
        page(exchange, "/api/v1/users", params, selected, 200, 200);
    }

    private void userResource(HttpExchange exchange, String id, String sub) throws IOException {
        Map<String, Object> user = okta.users.get(id);
        if (user == null) {
            // Okta also finds a user by login; the double's ids and logins never collide, so ids suffice.
            user = okta.users.values().stream()
                    .filter(u -> id.equalsIgnoreCase(
                            String.valueOf(OktaShapes.profileOf(u).get("login"))))
                    .findFirst()
                    .orElse(null);
        }
        if (user == null) {
            error(exchange, 404, "E0000007", "Not found: Resource not found: " + id + " (User)");
            return;
        }
        String userId = (String) user.get("id");
        if (sub == null) {
            json(exchange, 200, user);
        } else if (sub.equals("/groups")) {
            List<Object> of = new ArrayList<>();
            okta.members.forEach((groupId, ids) -> {
                if (ids.contains(userId)) {
                    of.add(okta.groups.get(groupId));
                }
            });
            json(exchange, 200, of);
        } else if (sub.equals("/roles")) {
            List<Object> roles = new ArrayList<>(okta.userRoles.getOrDefault(userId, List.of()));
            okta.members.forEach((groupId, ids) -> {
                if (ids.contains(userId)) {
                    roles.addAll(okta.groupRoles.getOrDefault(groupId, List.of()));
                }
            });
            json(exchange, 200, roles);
        } else {
            json(exchange, 200, okta.factors.getOrDefault(userId, List.of()));
        }
    }

    private void groupResource(HttpExchange exchange, String path, String id, String sub, Map<String, String> params)
            throws IOException {
        Map<String, Object> group = okta.groups.get(id);
        if (group == null) {
            error(exchange, 404, "E0000007", "Not found: Resource not found: " + id + " (UserGroup)");
        } else if (sub == null) {
            json(exchange, 200, group);
        } else if (sub.equals("/users")) {
            List<Object> users = okta.members.getOrDefault(id, List.of()).stream()
                    .map(okta.users::get)
                    .filter(u -> u != null)
                    .map(u -> (Object) u)
                    .toList();
            page(exchange, path, params, users, 1000, 1000);
        } else {
            json(exchange, 200, okta.groupRoles.getOrDefault(id, List.of()));
        }
    }

    /** Users holding a role directly or through a group, as Okta's IAM assignees listing pages them. */
    private void assignees(HttpExchange exchange, Map<String, String> params) throws IOException {
        List<String> ids = new ArrayList<>(okta.userRoles.keySet());
        okta.groupRoles
                .keySet()
                .forEach(g -> okta.members.getOrDefault(g, List.of()).forEach(u -> {
                    if (!ids.contains(u)) {
                        ids.add(u);
                    }
                }));
        int limit = limit(params, 100, 100);
        int offset = offset(exchange, params);
        if (offset < 0) {
            return;
        }
        List<Object> value = new ArrayList<>();
        for (String id : ids.subList(Math.min(offset, ids.size()), Math.min(offset + limit, ids.size()))) {
            value.add(Map.of("id", id, "orn", "orn:okta:directory:double:users:" + id));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("value", value);
        if (offset + limit < ids.size()) {
            body.put(
                    "_links",
                    Map.of(
                            "next",
                            Map.of(
                                    "href",
                                    origin(exchange) + "/api/v1/iam/assignees/users?limit=" + limit + "&after="
                                            + token(offset + limit))));
        }
        json(exchange, 200, body);
    }

    /** A page of a bare-array listing with RFC 8288 {@code Link} headers, as Okta pages. */
    private void page(
            HttpExchange exchange, String path, Map<String, String> params, List<Object> all, int def, int max)
            throws IOException {
        int limit = limit(params, def, max);
        int offset = offset(exchange, params);
        if (offset < 0) {
            return;
        }
        List<Object> page = all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
        StringBuilder keep = new StringBuilder("limit=" + limit);
        for (String name : List.of("filter", "search")) {
            if (params.containsKey(name)) {
                keep.append('&').append(name).append('=').append(encode(params.get(name)));
            }
        }
        String base = origin(exchange) + path + "?";
        exchange.getResponseHeaders().add("Link", "<" + base + keep + ">; rel=\"self\"");
        if (offset + limit < all.size()) {
            exchange.getResponseHeaders()
                    .add("Link", "<" + base + keep + "&after=" + token(offset + limit) + ">; rel=\"next\"");
        }
        json(exchange, 200, page);
    }

    private static int limit(Map<String, String> params, int def, int max) {
        try {
            int limit = Integer.parseInt(params.getOrDefault("limit", String.valueOf(def)));
            return Math.max(1, Math.min(limit, max));
        } catch (NumberFormatException e) {
            return def;
        }
    }

    /** The offset an {@code after} cursor stands for; -1 (after answering 400) for one the double never issued. */
    private static int offset(HttpExchange exchange, Map<String, String> params) throws IOException {
        String after = params.get("after");
        if (after == null) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8);
            if (text.startsWith("okta-double:")) {
                return Integer.parseInt(text.substring("okta-double:".length()));
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        error(exchange, 400, "E0000001", "Api validation failed: after");
        return -1;
    }

    private static String token(int offset) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("okta-double:" + offset).getBytes(StandardCharsets.UTF_8));
    }

    private static String origin(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        return "http://" + (host == null ? "127.0.0.1" : host);
    }

    static Map<String, String> params(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.putIfAbsent(
                        decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return params;
    }

    static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Okta's error body. */
    static void error(HttpExchange exchange, int status, String code, String summary) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorCode", code);
        body.put("errorSummary", summary);
        body.put("errorLink", code);
        body.put("errorId", "oae" + OktaShapes.randomId(19));
        body.put("errorCauses", List.of());
        json(exchange, status, body);
    }

    static void json(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
