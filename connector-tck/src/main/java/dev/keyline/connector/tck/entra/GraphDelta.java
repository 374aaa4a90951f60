package dev.keyline.connector.tck.entra;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /users/delta}: without a token, every user and a delta link; with {@code $deltatoken=latest}, no user
 * and a delta link for now; with a token, the users changed since (changed users as {@code $select} asks, removed
 * ones as {@code {"id":..,"@removed":{"reason":"changed"|"deleted"}}}). Pages follow {@code Prefer:
 * odata.maxpagesize}. As Graph does, a delta link with {@code $select} reports only changes of the selected
 * properties (removals always). A token older than {@link GraphDouble#expireDeltaTokens()} is answered 400
 * {@code syncStateNotFound}; after {@link GraphDouble#requireResync()}, 410 Gone.
 */
final class GraphDelta {
    private GraphDelta() {}

    static void serve(GraphState state, HttpExchange ex, Map<String, String> q, GraphHandler handler)
            throws IOException {
        String token = q.get("$deltatoken");
        String select = q.get("$select");
        long now = state.version();
        List<Map<String, Object>> entries = new ArrayList<>();
        long since;
        if (token == null) {
            since = -1;
            state.users.values().forEach(u -> entries.add(GraphHandler.project(u, select)));
        } else if (token.equals("latest")) {
            since = now;
        } else {
            since = Long.parseLong(token.replaceFirst("^v", ""));
            if (state.expired(since) && state.resync()) {
                ex.getResponseHeaders().set("Location", handler.link("/users/delta", Map.of("$deltatoken", "")));
                GraphHandler.error(ex, 410, "resyncRequired", "A full resynchronization is required.");
                return;
            }
            if (state.expired(since)) {
                GraphHandler.error(ex, 400, "syncStateNotFound", "The sync state was not found or has expired.");
                return;
            }
            Set<String> tracked = select == null ? null : Set.of(select.split(","));
            for (GraphState.Change change : state.changesSince(since)) {
                Map<String, Object> user = state.users.get(change.id());
                // With $select, Graph tracks only the selected properties: other changes do not show.
                boolean seen = tracked == null || change.properties().stream().anyMatch(tracked::contains);
                if (user != null && !seen) {
                    continue;
                }
                if (user != null) {
                    entries.add(GraphHandler.project(user, select));
                } else {
                    Map<String, Object> removed = new LinkedHashMap<>();
                    removed.put("id", change.id());
                    removed.put(
                            "@removed",
                            Map.of("reason", change.removedReason() == null ? "deleted" : change.removedReason()));
                    entries.add(removed);
                }
            }
        }
        String prefer = ex.getRequestHeaders().getFirst("Prefer");
        int max = prefer != null && prefer.startsWith("odata.maxpagesize=")
                ? Integer.parseInt(
                        prefer.substring("odata.maxpagesize=".length()).strip())
                : 100;
        int from = q.containsKey("$skiptoken")
                ? Integer.parseInt(q.get("$skiptoken").replaceFirst("^s", ""))
                : 0;
        int to = Math.min(entries.size(), from + max);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("@odata.context", state.graphUrl + "/v1.0/$metadata#users");
        body.put("value", entries.subList(Math.min(from, to), to));
        Map<String, String> link = new LinkedHashMap<>();
        if (select != null) {
            link.put("$select", select);
        }
        if (to < entries.size()) {
            if (token != null) {
                link.put("$deltatoken", token);
            }
            link.put("$skiptoken", "s" + to);
            body.put("@odata.nextLink", handler.link("/users/delta", link));
        } else {
            link.put("$deltatoken", "v" + now);
            body.put("@odata.deltaLink", handler.link("/users/delta", link));
        }
        GraphHandler.send(ex, 200, body);
    }
}
