package dev.keyline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/** The service's API as the bench uses it: a tenant, linked accounts, syncs and IAM reads. */
final class KeylineApi {
    private final Http http;
    private final String base;
    private final String operatorKey;
    private String apiKey;

    KeylineApi(Http http, String base, String operatorKey) {
        this.http = http;
        this.base = base;
        this.operatorKey = operatorKey;
    }

    String base() {
        return base;
    }

    String apiKey() {
        return apiKey;
    }

    void createTenant(String name) {
        JsonNode created = http.post(base + "/v1/tenants", bearer(operatorKey), Map.of("name", name))
                .expect(201)
                .json();
        apiKey = created.path("api_key").path("key").asText();
    }

    /** Links (or re-links) the 1Password connector to a SCIM bridge; the account id and the call's time. */
    Http.Answer link(String owner, String scimUrl, String token) {
        Http.Answer answer = http.post(
                base + "/v1/accounts",
                bearer(apiKey),
                Map.of(
                        "origin_owner_id",
                        owner,
                        "origin_owner_name",
                        "Bench " + owner,
                        "provider",
                        "onepassword",
                        "credentials",
                        Map.of("scim_url", scimUrl, "bearer_token", token)));
        // 201 for a new account, 200 when the origin owner's account is linked again.
        return answer.status() == 200 ? answer : answer.expect(201);
    }

    Http.Answer check(String accountId) {
        return http.post(base + "/v1/accounts/" + accountId + "/check", bearer(apiKey), null);
    }

    /**
     * Starts a sync and polls it every {@code poll} until it ends, handing each progress view to {@code progress};
     * the finished run. Throws if it failed.
     */
    JsonNode syncAndWait(String accountId, Duration poll, Consumer<JsonNode> progress) {
        String runId = http.post(base + "/v1/accounts/" + accountId + "/syncs", bearer(apiKey), null)
                .expect(202)
                .json()
                .path("id")
                .asText();
        while (true) {
            ServiceProcess.sleep(poll.toMillis());
            JsonNode runs = http.get(base + "/v1/accounts/" + accountId + "/syncs?page_size=5", bearer(apiKey))
                    .expect(200)
                    .json()
                    .path("data");
            for (JsonNode run : runs) {
                if (!run.path("id").asText().equals(runId)) {
                    continue;
                }
                String state = run.path("state").asText();
                if (state.equals("succeeded")) {
                    return run;
                }
                if (state.equals("failed")) {
                    throw new IllegalStateException("sync failed: " + run.path("error"));
                }
                progress.accept(run);
            }
        }
    }

    Map<String, String> readHeaders(String accountId) {
        return Map.of("Authorization", "Bearer " + apiKey, "x-account-id", accountId);
    }

    Http.Answer users(String accountId, String query) {
        return http.get(base + "/v1/iam/users?" + query, readHeaders(accountId));
    }

    static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }
}
