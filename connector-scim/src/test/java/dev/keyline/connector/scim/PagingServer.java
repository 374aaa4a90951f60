package dev.keyline.connector.scim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Serves a list of resources as SCIM ListResponses, with switches for the paging quirks servers have. */
final class PagingServer implements Function<HttpRequest, HttpResponse> {
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<ObjectNode> resources = new ArrayList<>();
    /** Answer {@code startIndex: 0} whatever was asked (1Password's hosted service has been seen to). */
    boolean startIndexZero;
    /** Always serve from the first record, and say so honestly. */
    boolean ignoreStartIndex;
    /** Always serve from the first record, but claim to start where asked. */
    boolean ignoreStartIndexAndLie;
    /** Report this total instead of the true one. */
    Integer totalOverride;
    /** Leave totalResults out. */
    boolean omitTotal;
    /** Serve at most this many per page. */
    int maxCount = Integer.MAX_VALUE;

    PagingServer users(int n) {
        for (int i = 1; i <= n; i++) {
            resources.add(user(String.format("U%03d", i), "user" + i + "@example.com", i % 3 != 0));
        }
        return this;
    }

    static ObjectNode user(String id, String email, boolean active) {
        ObjectNode user = JSON.createObjectNode();
        user.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:User");
        user.put("id", id);
        user.put("userName", email);
        user.put("active", active);
        ObjectNode mail = user.putArray("emails").addObject();
        mail.put("value", email);
        mail.put("primary", true);
        mail.put("type", "");
        user.putObject("meta").put("resourceType", "User");
        return user;
    }

    @Override
    public HttpResponse apply(HttpRequest request) {
        Map<String, String> query = query(request.uri().getRawQuery());
        int startIndex = Integer.parseInt(query.getOrDefault("startIndex", "1"));
        int count = Math.min(Integer.parseInt(query.getOrDefault("count", "100")), maxCount);
        int from = ignoreStartIndex || ignoreStartIndexAndLie ? 0 : Math.max(0, startIndex - 1);
        int to = Math.min(resources.size(), from + count);
        ObjectNode body = JSON.createObjectNode();
        body.putArray("schemas").add("urn:ietf:params:scim:api:messages:2.0:ListResponse");
        if (!omitTotal) {
            body.put("totalResults", totalOverride != null ? totalOverride : resources.size());
        }
        body.put("itemsPerPage", Math.max(0, to - from));
        body.put("startIndex", startIndexZero ? 0 : ignoreStartIndex ? 1 : startIndex);
        ArrayNode items = body.putArray("Resources");
        for (int i = from; i < to; i++) {
            items.add(resources.get(i));
        }
        return new HttpResponse(
                200,
                request.uri(),
                Map.of("Content-Type", List.of("application/scim+json")),
                body.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return params;
    }
}
