package dev.keyline.connector.tck.json;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.keyline.scimdouble.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;

/** Answers one request of a {@link JsonApiDouble}: log, method, faults, authentication, route, page. */
final class JsonApiHandler implements HttpHandler {
    private static final String JSON = "application/json; charset=utf-8";
    private static final String LOGIN_PAGE = "<!DOCTYPE html><html><head><title>Sign in</title></head><body>"
            + "<form method=\"post\" action=\"/login\"><input name=\"username\"><input name=\"password\" "
            + "type=\"password\"><button>Sign in</button></form></body></html>";

    private final JsonApiDouble api;

    JsonApiHandler(JsonApiDouble api) {
        this.api = api;
    }

    /** Where a request goes: a collection's listing, one of its records, or nowhere (collection null). */
    private record Route(String collection, String id) {
        boolean listing() {
            return collection != null && id == null;
        }
    }

    /** The page a listing request asks for. */
    private record Window(int offset, int limit) {
        int page() {
            return offset / limit + 1;
        }
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            serve(exchange);
        } catch (IOException e) {
            // The client went away; nothing to tell it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (exchange.getResponseCode() == -1) {
                try {
                    send(exchange, null, 500, JSON, error("internal", "The test double failed: " + e));
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
        Function<String, String> header = name -> exchange.getRequestHeaders().getFirst(name);
        boolean authorized = api.auth().accepts(header);
        boolean forbidden = !authorized && api.forbiddenAuth().accepts(header);
        TreeSet<String> headerNames = new TreeSet<>();
        exchange.getRequestHeaders().keySet().forEach(name -> headerNames.add(name.toLowerCase(Locale.ROOT)));
        api.requestLog()
                .record(sequence -> new ApiRequest(
                        sequence,
                        api.clock().instant(),
                        method,
                        path,
                        query,
                        headerNames,
                        route.collection(),
                        route.listing(),
                        authorized));
        exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());

        if (!method.equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            send(exchange, null, 405, JSON, error("method_not_allowed", "This API is read-only here."));
            return;
        }
        Paging paging = api.paging();
        Window window = null;
        String badPaging = null;
        if (route.listing()) {
            try {
                window = window(paging, query);
            } catch (IllegalArgumentException e) {
                badPaging = "Invalid " + paging.sizeParameter() + " or " + paging.positionParameter() + ".";
            }
        }
        JsonFault fault = api.strike(route.collection(), route.listing(), window == null ? 0 : window.page());
        if (fault != null && disturbed(exchange, fault, route)) {
            return;
        }
        if (!authorized) {
            int status = forbidden ? 403 : api.wrongCredentialsStatus();
            String challenge = api.auth().challenge();
            if (status == 401 && challenge != null) {
                exchange.getResponseHeaders().set("WWW-Authenticate", challenge);
            }
            send(
                    exchange,
                    fault,
                    status,
                    JSON,
                    error(status == 401 ? "unauthorized" : "forbidden", "Invalid credentials."));
            return;
        }
        if (badPaging != null) {
            send(exchange, fault, 400, JSON, error("invalid_request", badPaging));
            return;
        }
        if (route.collection() == null) {
            send(exchange, fault, 404, JSON, error("not_found", "Nothing here: " + path));
            return;
        }
        JsonCollection collection = api.findCollection(route.collection()).orElse(null);
        if (collection == null) {
            send(exchange, fault, 404, JSON, error("not_found", "Nothing here: " + path));
        } else if (route.id() != null) {
            Optional<Map<String, Object>> record = collection.get(route.id());
            if (record.isEmpty()) {
                send(exchange, fault, 404, JSON, error("not_found", "No record " + route.id() + "."));
            } else {
                send(exchange, fault, 200, JSON, Json.write(record.get()));
            }
        } else {
            list(exchange, fault, paging, window, collection, query);
        }
    }

    /** Applies a fault that answers instead of the API; false when the request goes on (after a stall, say). */
    private boolean disturbed(HttpExchange exchange, JsonFault fault, Route route)
            throws IOException, InterruptedException {
        switch (fault.kind()) {
            case STATUS -> {
                if (fault.status() == 401 && api.auth().challenge() != null) {
                    exchange.getResponseHeaders()
                            .set("WWW-Authenticate", api.auth().challenge());
                }
                send(exchange, fault, fault.status(), JSON, error("error", "Scripted failure " + fault.status() + "."));
                return true;
            }
            case RATE_LIMITED -> {
                rateLimitHeaders(exchange, fault);
                send(exchange, fault, 429, JSON, error("rate_limited", "Too many requests."));
                return true;
            }
            case CONNECTION_RESET -> {
                // Closing without sending headers drops the connection (see handle's finally).
                return true;
            }
            case STALL -> {
                Thread.sleep(fault.duration().toMillis());
                return false;
            }
            case HTML_LOGIN_PAGE -> {
                send(exchange, fault, 200, "text/html; charset=utf-8", LOGIN_PAGE);
                return true;
            }
            case HUGE_BODY -> {
                hugeBody(exchange, route, fault.amount());
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void rateLimitHeaders(HttpExchange exchange, JsonFault fault) {
        long seconds = (fault.duration().toMillis() + 999) / 1000;
        // The moment the window reopens, rounded up so a client that waits for it is never early.
        Instant reset = api.clock().instant().plus(fault.duration());
        long resetEpoch = reset.getEpochSecond() + (reset.getNano() > 0 ? 1 : 0);
        var headers = exchange.getResponseHeaders();
        switch (fault.rateLimitHeaders()) {
            case RETRY_AFTER_SECONDS -> headers.set("Retry-After", String.valueOf(seconds));
            case RETRY_AFTER_HTTP_DATE ->
                headers.set(
                        "Retry-After",
                        DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                Instant.ofEpochSecond(resetEpoch).atOffset(ZoneOffset.UTC)));
            case X_RATELIMIT_RESET -> {
                headers.set("X-RateLimit-Limit", "60");
                headers.set("X-RateLimit-Remaining", "0");
                headers.set("X-RateLimit-Reset", String.valueOf(resetEpoch));
            }
            case RATELIMIT_RESET -> {
                headers.set("RateLimit-Limit", "60");
                headers.set("RateLimit-Remaining", "0");
                headers.set("RateLimit-Reset", String.valueOf(seconds));
            }
        }
    }

    private Route route(String rawPath) {
        String base = api.basePath();
        if (!rawPath.startsWith(base)) {
            return new Route(null, null);
        }
        String path = rawPath.substring(base.length());
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (api.findCollection(path).isPresent()) {
            return new Route(path, null);
        }
        int slash = path.lastIndexOf('/');
        if (slash > 0 && api.findCollection(path.substring(0, slash)).isPresent()) {
            return new Route(path.substring(0, slash), ApiRequest.decode(path.substring(slash + 1)));
        }
        return new Route(null, null);
    }

    private Window window(Paging paging, String query) {
        int limit = ApiRequest.queryParameter(query, paging.sizeParameter())
                .map(Integer::parseInt)
                .orElse(api.defaultPageSize());
        if (limit < 1) {
            throw new IllegalArgumentException("page size below 1");
        }
        limit = Math.min(limit, api.maxPageSize());
        int offset = ApiRequest.queryParameter(query, paging.positionParameter())
                .filter(v -> !v.isEmpty())
                .map(paging::offset)
                .orElse(0);
        return new Window(offset, limit);
    }

    private void list(
            HttpExchange exchange,
            JsonFault fault,
            Paging paging,
            Window window,
            JsonCollection collection,
            String query)
            throws IOException {
        List<Map<String, Object>> all = collection.records();
        int from = Math.min(all.size(), window.offset());
        int next = Math.min(all.size(), from + window.limit());
        if (is(fault, JsonFault.Kind.REPEAT_PREVIOUS_PAGE)) {
            from = Math.max(0, from - window.limit());
        }
        int to = Math.min(all.size(), from + window.limit());
        List<Map<String, Object>> items = is(fault, JsonFault.Kind.EMPTY_PAGE) ? List.of() : all.subList(from, to);
        boolean more = next < all.size();
        String nextUrl = more ? nextUrl(paging, collection.path(), query, window.limit(), next) : null;
        String key = api.itemsKey(collection.path());
        Object body;
        switch (paging) {
            case LINK_HEADER -> {
                String self = nextUrl(paging, collection.path(), query, window.limit(), window.offset());
                String link = "<" + self + ">; rel=\"self\"";
                if (more) {
                    link += ", <" + nextUrl + ">; rel=\"next\"";
                }
                exchange.getResponseHeaders().set("Link", link);
                body = items;
            }
            case OPAQUE_CURSOR -> {
                Map<String, Object> envelope = new LinkedHashMap<>();
                envelope.put("ok", true);
                envelope.put(key, items);
                envelope.put("response_metadata", Map.of("next_cursor", more ? paging.position(next) : ""));
                body = envelope;
            }
            case OFFSET -> {
                long total = all.size();
                if (is(fault, JsonFault.Kind.TOTAL_OFF_BY)) {
                    total = Math.max(0, total + fault.amount());
                }
                Map<String, Object> envelope = new LinkedHashMap<>();
                envelope.put(key, items);
                envelope.put("offset", window.offset());
                envelope.put("limit", window.limit());
                envelope.put("total", total);
                body = envelope;
            }
            case ODATA_NEXT_LINK -> {
                Map<String, Object> envelope = new LinkedHashMap<>();
                envelope.put("@odata.context", api.baseUrl() + "/$metadata#" + key);
                envelope.put("value", items);
                if (more) {
                    envelope.put("@odata.nextLink", nextUrl);
                }
                body = envelope;
            }
            case PAGE_TOKEN -> {
                Map<String, Object> envelope = new LinkedHashMap<>();
                envelope.put(key, items);
                if (more) {
                    envelope.put("nextPageToken", paging.position(next));
                }
                body = envelope;
            }
            default -> throw new IllegalStateException("unknown paging " + paging);
        }
        send(exchange, fault, 200, JSON, Json.write(body));
    }

    /** The listing URL for a page at {@code offset}, keeping the request's other query parameters. */
    private String nextUrl(Paging paging, String collection, String query, int limit, int offset) {
        StringBuilder url = new StringBuilder(api.baseUrl()).append(collection).append('?');
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                String name = ApiRequest.decode(pair.split("=", 2)[0]);
                if (!name.equals(paging.sizeParameter()) && !name.equals(paging.positionParameter())) {
                    url.append(pair).append('&');
                }
            }
        }
        url.append(paging.sizeParameter()).append('=').append(limit);
        if (offset > 0) {
            url.append('&').append(paging.positionParameter()).append('=').append(paging.position(offset));
        }
        return url.toString();
    }

    private void hugeBody(HttpExchange exchange, Route route, long bytes) throws IOException {
        String key = route.collection() == null ? "data" : api.itemsKey(route.collection());
        exchange.getResponseHeaders().set("Content-Type", JSON);
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(("{\"" + key + "\":[").getBytes(StandardCharsets.UTF_8));
            byte[] padding = "x".repeat(1000).getBytes(StandardCharsets.UTF_8);
            long written = 0;
            for (int i = 0; written < bytes; i++) {
                byte[] head = ((i == 0 ? "" : ",") + "{\"id\":\"huge-" + i + "\",\"padding\":\"")
                        .getBytes(StandardCharsets.UTF_8);
                out.write(head);
                out.write(padding);
                out.write("\"}".getBytes(StandardCharsets.UTF_8));
                written += head.length + padding.length + 2;
            }
            out.write("]}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static boolean is(JsonFault fault, JsonFault.Kind kind) {
        return fault != null && fault.kind() == kind;
    }

    private static String error(String code, String message) {
        return Json.write(Map.of("error", Map.of("code", code, "message", message)));
    }

    private static void send(HttpExchange exchange, JsonFault fault, int status, String contentType, String text)
            throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        if (is(fault, JsonFault.Kind.TRUNCATED_JSON)) {
            body = Arrays.copyOf(body, body.length / 2);
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
