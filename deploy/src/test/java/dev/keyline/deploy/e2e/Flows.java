package dev.keyline.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.scimdouble.ScimUpstream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The API flows the end-to-end runs repeat: tenants, links, sync runs, directory reads. */
final class Flows {
    private Flows() {}

    record Tenant(String id, String apiKey) {}

    static Tenant newTenant(Api operator) {
        JsonNode body = operator.post("/tenants", Map.of("name", "E2E " + UUID.randomUUID()))
                .expect(201)
                .json();
        return new Tenant(
                body.path("tenant").path("id").asText(),
                body.path("api_key").path("key").asText());
    }

    static Map<String, Object> linkBody(String owner, ScimUpstream upstream) {
        return Map.of(
                "origin_owner_id",
                owner,
                "origin_owner_name",
                "Org " + owner,
                "provider",
                "onepassword",
                "credentials",
                Map.of("scim_url", upstream.bridgeBaseUrl(), "bearer_token", upstream.token()));
    }

    /** Links the 1Password connector to the upstream through the API; the new account's id. */
    static String link(Api tenant, String owner, ScimUpstream upstream) {
        return tenant.post("/accounts", linkBody(owner, upstream))
                .expect(201)
                .json()
                .path("id")
                .asText();
    }

    /** The account's sync runs, newest first. */
    static List<JsonNode> runs(Api tenant, String accountId) {
        JsonNode data = tenant.get("/accounts/" + accountId + "/syncs?page_size=100")
                .expect(200)
                .json()
                .path("data");
        List<JsonNode> runs = new ArrayList<>();
        data.forEach(runs::add);
        return runs;
    }

    static String describe(List<JsonNode> runs) {
        StringBuilder text = new StringBuilder();
        for (JsonNode run : runs) {
            text.append(String.format(
                    "%n  %s %-9s %-9s created %s users %d groups %d added %d updated %d deleted %d %s",
                    run.path("id").asText(),
                    run.path("trigger").asText(),
                    run.path("state").asText(),
                    run.path("created_at").asText(),
                    run.path("users_seen").asInt(),
                    run.path("groups_seen").asInt(),
                    run.path("added").asInt(),
                    run.path("updated").asInt(),
                    run.path("deleted").asInt(),
                    error(run)));
        }
        return text.toString();
    }

    /** The run's error code, empty when it has none. */
    static String error(JsonNode run) {
        JsonNode error = run.path("error");
        return error.isNull() || error.isMissingNode() ? "" : error.path("code").asText();
    }

    /** Every user of the account in the given read mode (live or synced), following `next` to the end. */
    static List<JsonNode> users(Api tenant, String accountId, String mode) {
        List<JsonNode> all = new ArrayList<>();
        String next = null;
        for (int pages = 0; pages < 200; pages++) {
            String path = "/iam/users?page_size=100&mode=" + mode
                    + (next == null ? "" : "&cursor=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            JsonNode page = tenant.get(path, Map.of("x-account-id", accountId))
                    .expect(200)
                    .json();
            page.path("data").forEach(all::add);
            JsonNode nextNode = page.path("next");
            if (nextNode.isNull() || nextNode.isMissingNode()) {
                return all;
            }
            next = nextNode.asText();
        }
        throw new AssertionError("the user listing did not end after 200 pages");
    }

    static List<String> ids(List<JsonNode> records) {
        return records.stream().map(r -> r.path("id").asText()).toList();
    }
}
