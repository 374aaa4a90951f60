package dev.keyline.platform.hardening;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.operator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Per-tenant rate limits with low limits: a tenant over its burst gets 429 problems with Retry-After, whichever
 * of its keys it uses, while another tenant is unaffected; callers without valid credentials are limited by
 * address.
 */
@QuarkusTest
@TestProfile(RateLimitTest.LowLimits.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class RateLimitTest {
    static final int BURST = 6;

    public static class LowLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // One token every 20 s: nothing refills while the test runs, so the counts below are exact.
            return Map.of("keyline.limits.requests-per-second", "0.05", "keyline.limits.burst", String.valueOf(BURST));
        }
    }

    private int tried;
    private final List<String> failures = new ArrayList<>();

    @Test
    void aTenantOverItsLimitIsSlowedDownAloneWithRetryAfter() {
        CreatedTenant noisy = newTenant();
        CreatedTenant quiet = newTenant();
        String secondKey = operator()
                .body(Map.of("name", "second"))
                .post("/tenants/" + noisy.id() + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("key");

        for (int i = 0; i < BURST; i++) {
            expect("within the burst #" + i, () -> as(noisy.apiKey()).get("/tenant"), 200);
        }
        expectLimited("over the burst", () -> as(noisy.apiKey()).get("/tenant"));
        expectLimited("another key of the same tenant", () -> as(secondKey).get("/accounts"));
        expectLimited(
                "a write",
                () -> as(noisy.apiKey())
                        .body(Map.of("origin_owner_id", "o", "origin_owner_name", "n"))
                        .post("/connect/sessions"));
        expect("another tenant is unaffected", () -> as(quiet.apiKey()).get("/tenant"), 200);

        // Calls without credentials (the connect UI's endpoints take a session token, not a key) share a bucket per
        // address: a wrong token is 401 until the bucket is empty, then 429.
        int unauthorized = 0;
        for (int i = 0; i < BURST; i++) {
            int status = given().header("Authorization", "Bearer kl_cs_guess" + i)
                    .get("/connect/session")
                    .statusCode();
            tried++;
            if (status == 401) {
                unauthorized++;
            } else {
                failures.add("token guess #" + i + " answered " + status);
            }
        }
        expectLimited(
                "guessing connect tokens past the burst",
                () -> given().header("Authorization", "Bearer kl_cs_guessx").get("/connect/session"));

        System.out.printf("rate limits: %d tried, %d held%n", tried, tried - failures.size());
        assertThat(failures).isEmpty();
        assertThat(unauthorized).isEqualTo(BURST);
    }

    @Test
    void everyAnswerCarriesTheCallersBudgetWhichMovesWithEachCall() {
        CreatedTenant tenant = newTenant();
        Response first = as(tenant.apiKey()).get("/v1/tenant");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.header("RateLimit-Limit")).isEqualTo(String.valueOf(BURST));
        assertThat(first.header("RateLimit-Remaining")).isEqualTo(String.valueOf(BURST - 1));
        // One token every 20 s: the spent one is back within 20 s.
        assertThat(Long.parseLong(first.header("RateLimit-Reset"))).isBetween(1L, 20L);

        Response second = as(tenant.apiKey()).get("/v1/accounts");
        assertThat(second.header("RateLimit-Remaining")).isEqualTo(String.valueOf(BURST - 2));
        assertThat(Long.parseLong(second.header("RateLimit-Reset"))).isBetween(21L, 40L);

        // A problem answer carries the budget too.
        Response notFound = as(tenant.apiKey()).get("/v1/accounts/no-such-account");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(notFound.header("RateLimit-Remaining")).isEqualTo(String.valueOf(BURST - 3));

        for (int i = 3; i < BURST; i++) {
            as(tenant.apiKey()).get("/v1/tenant");
        }
        Response limited = as(tenant.apiKey()).get("/v1/tenant");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.header("RateLimit-Limit")).isEqualTo(String.valueOf(BURST));
        assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(Long.parseLong(limited.header("RateLimit-Reset")))
                .isGreaterThanOrEqualTo(Long.parseLong(limited.header("Retry-After")));
        assertThat(limited.header("Retry-After")).isNotNull();
    }

    private void expect(String what, Supplier<Response> call, int status) {
        tried++;
        int actual = call.get().statusCode();
        if (actual != status) {
            failures.add(what + ": " + actual);
        }
    }

    private void expectLimited(String what, Supplier<Response> call) {
        tried++;
        Response response = call.get();
        String retryAfter = response.header("Retry-After");
        boolean held = response.statusCode() == 429
                && String.valueOf(response.contentType()).startsWith("application/problem+json")
                && "rate_limit_exceeded".equals(response.jsonPath().getString("code"))
                && retryAfter != null
                && Long.parseLong(retryAfter) >= 1
                && Long.parseLong(retryAfter) <= 20
                && response.jsonPath().getLong("retry_after") == Long.parseLong(retryAfter);
        if (!held) {
            failures.add(
                    what + ": " + response.statusCode() + " Retry-After " + retryAfter + " " + response.asString());
        }
    }
}
