package dev.keyline.scimdouble;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Answers one request of a {@link ScimUpstream}: routing, auth, faults, quirks and the SCIM payloads. */
final class ScimHandler implements HttpHandler {
    static final String SCIM_JSON = "application/scim+json";
    static final String LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    static final String ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
    static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
    static final String ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

    private static final String LOGIN_PAGE = """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Sign in</title></head>
            <body>
            <h1>Sign in to continue</h1>
            <form method="post" action="/app/login">
            <label>Email <input name="email" type="email"></label>
            <label>Password <input name="password" type="password"></label>
            <button type="submit">Sign in</button>
            </form>
            </body>
            </html>
            """;

    private final ScimUpstream upstream;

    ScimHandler(ScimUpstream upstream) {
        this.upstream = upstream;
    }

    /** Where a path leads: the endpoint, the URL prefix it came through and the record id, if any. */
    record Route(Endpoint endpoint, String prefix, String id) {}

    /** The paging parameters of a listing, already clamped. */
    record Paging(int startIndex, int count) {
        int page() {
            return count == 0 ? 1 : (startIndex - 1) / count + 1;
        }
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            serve(exchange);
        } catch (IOException e) {
            // The client went away; nothing to tell it.
        } catch (InterruptedException e) {
            // The upstream is closing.
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (exchange.getResponseCode() == -1) {
                try {
                    new Reply(exchange, null).error(500, "The test upstream failed: " + e);
                } catch (IOException ignored) {
                    // Nothing more to do.
                }
            }
        } finally {
            exchange.close();
        }
    }

    private void serve(HttpExchange exchange) throws IOException, InterruptedException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        Route route = route(path);
        boolean authorized = authorized(exchange);
        Set<String> headerNames = new TreeSet<>();
        exchange.getRequestHeaders().keySet().forEach(name -> headerNames.add(name.toLowerCase(Locale.ROOT)));
        upstream.requests()
                .record(new RequestLog.RecordedRequestDraft(
                        upstream.clock().instant(), method, path, query, headerNames, route.endpoint(), authorized));
        exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
        pause(upstream.latency());

        if (!method.equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            new Reply(exchange, null).error(405, "This SCIM service is read-only here; " + method + " is not allowed.");
            return;
        }
        Mode mode = upstream.mode();
        if (mode == Mode.NOT_SCIM) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ok");
            body.put("service", "inventory");
            body.put("message", "Welcome to the Inventory API.");
            body.put("items", List.of());
            new Reply(exchange, null).send(200, "application/json", Json.write(body));
            return;
        }
        if (mode == Mode.SCIM_API_DISABLED && disabled(exchange, path, route)) {
            return;
        }
        if (route.endpoint() == Endpoint.PING) {
            new Reply(exchange, null).send(200, "text/plain; charset=utf-8", "pong");
            return;
        }

        Paging paging = null;
        String badPaging = null;
        if (route.endpoint().listing()) {
            try {
                paging = paging(query);
            } catch (NumberFormatException e) {
                badPaging = "startIndex and count must be integers.";
            }
        }
        Fault fault = upstream.strike(route.endpoint(), paging == null ? 0 : paging.page());
        Reply reply = new Reply(exchange, fault);
        if (fault != null) {
            switch (fault.kind()) {
                case STATUS -> {
                    if (fault.status() == 401) {
                        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                    }
                    reply.error(fault.status(), describe(fault.status()));
                    return;
                }
                case RATE_LIMITED -> {
                    long seconds = Math.max(0, fault.duration().toSeconds());
                    exchange.getResponseHeaders().set("Retry-After", String.valueOf(seconds));
                    reply.error(429, "Too many requests. Retry after " + seconds + " seconds.");
                    return;
                }
                case CONNECTION_RESET -> {
                    // Closing without sending headers drops the connection (see handle's finally).
                    return;
                }
                case STALL -> pause(fault.duration());
                case HTML_LOGIN_PAGE -> {
                    reply.send(200, "text/html; charset=utf-8", LOGIN_PAGE);
                    return;
                }
                case HUGE_BODY -> {
                    hugeBody(exchange, route, fault.amount());
                    return;
                }
                default -> {
                    // Faults that reshape the answer are applied below.
                }
            }
        }

        if (!authorized) {
            if (upstream.has(Quirk.FORBIDDEN_FOR_WRONG_TOKEN) || forbidden(exchange)) {
                reply.error(403, "The bearer token is not allowed to use this SCIM service.");
            } else {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                reply.error(401, "A valid bearer token is required.");
            }
            return;
        }
        if (badPaging != null) {
            reply.error(400, "invalidValue", badPaging);
            return;
        }
        if (route.endpoint().listing()
                && upstream.has(Quirk.SORT_BY_REJECTED)
                && RecordedRequest.queryParameter(query, "sortBy").isPresent()) {
            reply.error(400, "invalidValue", "Sorting is not supported.");
            return;
        }

        String base = upstream.rootUrl() + route.prefix();
        ScimDirectory.Snapshot snapshot = upstream.directory().snapshot();
        ScimRenderer renderer = new ScimRenderer(base, upstream.quirks(), snapshot);
        boolean withoutMembers = RecordedRequest.queryParameter(query, "excludedAttributes")
                .map(v -> v.toLowerCase(Locale.ROOT).contains("members"))
                .orElse(false);
        switch (route.endpoint()) {
            case LIST_USERS -> reply.list(snapshot.users(), paging, renderer::user);
            case GET_USER -> {
                Optional<ScimUser> user = upstream.directory().user(route.id());
                if (user.isEmpty()) {
                    reply.error(404, "User " + route.id() + " not found.");
                } else {
                    reply.scim(200, renderer.user(user.get()));
                }
            }
            case LIST_GROUPS -> {
                boolean members = !withoutMembers && !upstream.has(Quirk.GROUPS_LISTED_WITHOUT_MEMBERS);
                reply.list(snapshot.groups(), paging, group -> renderer.group(group, members));
            }
            case GET_GROUP -> {
                Optional<ScimGroup> group = upstream.directory().group(route.id());
                if (group.isEmpty()) {
                    reply.error(404, "Group " + route.id() + " not found.");
                } else {
                    reply.scim(200, renderer.group(group.get(), !withoutMembers));
                }
            }
            case RESOURCE_TYPES -> reply.scim(200, renderer.resourceTypes());
            case SERVICE_PROVIDER_CONFIG -> reply.scim(200, renderer.serviceProviderConfig());
            case SCHEMAS -> reply.scim(200, renderer.schemas());
            case HEALTH -> reply.send(200, "application/json", Json.write(health()));
            default -> reply.error(404, "Nothing here: " + path);
        }
    }

    /** Handles the requests a bridge with its SCIM API switched off answers differently; false for the rest. */
    private boolean disabled(HttpExchange exchange, String path, Route route) throws IOException {
        Reply reply = new Reply(exchange, null);
        if (path.equals("/") || path.isEmpty()) {
            exchange.getResponseHeaders().set("Location", "/app/login");
            reply.send(302, "text/html; charset=utf-8", "<a href=\"/app/login\">Found</a>.");
            return true;
        }
        if (path.equals("/app/login")) {
            reply.send(200, "text/html; charset=utf-8", LOGIN_PAGE);
            return true;
        }
        Endpoint endpoint = route.endpoint();
        if (endpoint == Endpoint.LIST_USERS
                || endpoint == Endpoint.GET_USER
                || endpoint == Endpoint.LIST_GROUPS
                || endpoint == Endpoint.GET_GROUP) {
            reply.send(404, "text/plain; charset=utf-8", "404 page not found\n");
            return true;
        }
        return false;
    }

    private Route route(String path) {
        if (upstream.urlForms().contains(UrlForm.BRIDGE)) {
            if (path.equals("/ping")) {
                return new Route(Endpoint.PING, "", null);
            }
            if (path.equals("/health")) {
                return new Route(Endpoint.HEALTH, "", null);
            }
        }
        List<String> prefixes = new ArrayList<>(3);
        if (upstream.urlForms().contains(UrlForm.HOSTED)) {
            prefixes.add("/scim/v2");
        }
        if (upstream.urlForms().contains(UrlForm.BRIDGE)) {
            prefixes.add("/scim");
            prefixes.add("");
        }
        for (String prefix : prefixes) {
            if (!path.startsWith(prefix + "/")) {
                continue;
            }
            String rest = path.substring(prefix.length());
            Route route = resource(rest, prefix);
            if (route != null) {
                return route;
            }
        }
        return new Route(Endpoint.OTHER, "", null);
    }

    private static Route resource(String rest, String prefix) {
        switch (rest) {
            case "/Users":
                return new Route(Endpoint.LIST_USERS, prefix, null);
            case "/Groups":
                return new Route(Endpoint.LIST_GROUPS, prefix, null);
            case "/ResourceTypes":
                return new Route(Endpoint.RESOURCE_TYPES, prefix, null);
            case "/ServiceProviderConfig":
                return new Route(Endpoint.SERVICE_PROVIDER_CONFIG, prefix, null);
            case "/Schemas":
                return new Route(Endpoint.SCHEMAS, prefix, null);
            default:
                break;
        }
        if (rest.startsWith("/Users/") && rest.length() > "/Users/".length()) {
            return new Route(Endpoint.GET_USER, prefix, rest.substring("/Users/".length()));
        }
        if (rest.startsWith("/Groups/") && rest.length() > "/Groups/".length()) {
            return new Route(Endpoint.GET_GROUP, prefix, rest.substring("/Groups/".length()));
        }
        return null;
    }

    private boolean authorized(HttpExchange exchange) {
        return bearerIs(exchange, upstream.token());
    }

    private boolean forbidden(HttpExchange exchange) {
        return bearerIs(exchange, upstream.forbiddenToken());
    }

    private static boolean bearerIs(HttpExchange exchange, String token) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
    }

    private Paging paging(String query) {
        int startIndex = RecordedRequest.queryParameter(query, "startIndex")
                .map(String::strip)
                .map(Integer::parseInt)
                .orElse(1);
        int count = RecordedRequest.queryParameter(query, "count")
                .map(String::strip)
                .map(Integer::parseInt)
                .orElse(upstream.defaultPageSize());
        // RFC 7644 3.4.2.4: a startIndex below 1 means 1, a negative count means 0.
        return new Paging(Math.max(1, startIndex), Math.min(Math.max(0, count), upstream.maxPageSize()));
    }

    private Map<String, Object> health() {
        Instant now = upstream.clock().instant();
        List<Object> reports = new ArrayList<>();
        upstream.healthStates().forEach((source, state) -> {
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("source", source);
            report.put("state", state);
            report.put("time", now.minusSeconds(30).toString());
            report.put("expires", now.plusSeconds(570).toString());
            reports.add(report);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("build", "209031");
        body.put("version", "2.9.3");
        body.put("reports", reports);
        body.put("retrievedAt", now.toString());
        return body;
    }

    /** A valid ListResponse of about {@code bytes} bytes, written as it goes so it never sits in memory. */
    private void hugeBody(HttpExchange exchange, Route route, long bytes) throws IOException {
        List<ScimUser> users = upstream.directory().users();
        ScimRenderer renderer = new ScimRenderer(upstream.rootUrl() + route.prefix(), Set.of(), null);
        String item = users.isEmpty()
                ? "{\"schemas\":[\"" + USER_SCHEMA + "\"],\"id\":\"FILLER\",\"userName\":\"filler@acme.example\"}"
                : Json.write(renderer.user(users.get(0)));
        byte[] head = ("{\"schemas\":[\"" + LIST_SCHEMA
                        + "\"],\"totalResults\":1,\"itemsPerPage\":1,\"startIndex\":1,\"Resources\":[" + item)
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = "]}".getBytes(StandardCharsets.UTF_8);
        StringBuilder repeated = new StringBuilder();
        while (repeated.length() < 64 * 1024) {
            repeated.append(',').append(item);
        }
        byte[] block = repeated.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", SCIM_JSON);
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(head);
            long written = head.length;
            while (written + block.length + tail.length <= bytes) {
                out.write(block);
                written += block.length;
            }
            out.write(tail);
        }
    }

    private static void pause(Duration duration) throws InterruptedException {
        if (!duration.isZero() && !duration.isNegative()) {
            Thread.sleep(duration.toMillis());
        }
    }

    private static String describe(int status) {
        return switch (status) {
            case 401 -> "A valid bearer token is required.";
            case 403 -> "The bearer token is not allowed to use this SCIM service.";
            case 500 -> "Internal server error.";
            case 502 -> "Bad gateway.";
            case 503 -> "The service is temporarily unavailable.";
            case 504 -> "Gateway timeout.";
            default -> "Request failed with status " + status + ".";
        };
    }

    /** Writes one answer, applying the reshaping faults. */
    private final class Reply {
        private final HttpExchange exchange;
        private final Fault fault;

        Reply(HttpExchange exchange, Fault fault) {
            this.exchange = exchange;
            this.fault = fault;
        }

        private boolean is(Fault.Kind kind) {
            return fault != null && fault.kind() == kind;
        }

        void error(int status, String detail) throws IOException {
            error(status, null, detail);
        }

        void error(int status, String scimType, String detail) throws IOException {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("schemas", List.of(ERROR_SCHEMA));
            body.put("status", String.valueOf(status));
            if (scimType != null) {
                body.put("scimType", scimType);
            }
            body.put("detail", detail);
            scim(status, body);
        }

        void scim(int status, Map<String, Object> body) throws IOException {
            send(status, SCIM_JSON, Json.write(body));
        }

        <T> void list(List<T> all, Paging paging, java.util.function.Function<T, Map<String, Object>> render)
                throws IOException {
            int from = Math.min(all.size(), paging.startIndex() - 1);
            if (is(Fault.Kind.REPEAT_PREVIOUS_PAGE)) {
                from = Math.max(0, from - paging.count());
            }
            int to = Math.min(all.size(), from + paging.count());
            List<T> items = is(Fault.Kind.EMPTY_PAGE) ? List.of() : all.subList(from, to);
            long total = upstream.has(Quirk.TOTAL_RESULTS_LIES_LOW) ? items.size() : all.size();
            if (is(Fault.Kind.TOTAL_RESULTS_OFF_BY)) {
                total = Math.max(0, total + fault.amount());
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("schemas", List.of(LIST_SCHEMA));
            body.put("totalResults", total);
            body.put("itemsPerPage", items.size());
            body.put("startIndex", upstream.has(Quirk.START_INDEX_ZERO) ? 0 : paging.startIndex());
            List<Object> resources = new ArrayList<>(items.size());
            for (T item : items) {
                resources.add(render.apply(item));
            }
            body.put("Resources", resources);
            scim(200, body);
        }

        void send(int status, String contentType, String text) throws IOException {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            if (is(Fault.Kind.TRUNCATED_JSON)) {
                body = java.util.Arrays.copyOf(body, body.length / 2);
            }
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
