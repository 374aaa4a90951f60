package dev.keyline.platform.support;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.scimdouble.ScimUpstream;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Small helpers shared by the API tests. Each test creates its own tenants, so tests never share data. */
public final class TestApi {
    private TestApi() {}

    public record CreatedTenant(String id, String apiKey, String apiKeyId) {}

    public static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + TestAuthResource.OPERATOR_KEY)
                .contentType(ContentType.JSON);
    }

    public static RequestSpecification as(String bearer) {
        return given().header("Authorization", "Bearer " + bearer).contentType(ContentType.JSON);
    }

    public static CreatedTenant newTenant() {
        var body = operator()
                .body(Map.of("name", "Tenant " + UUID.randomUUID()))
                .post("/tenants")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        return new CreatedTenant(
                body.getString("tenant.id"), body.getString("api_key.key"), body.getString("api_key.id"));
    }

    /** A fresh token the fake upstream accepts. */
    public static String goodToken() {
        String token = "scim-token-" + UUID.randomUUID();
        FakeScimUpstream.get().accept(token);
        return token;
    }

    public static Map<String, String> credentials(String token) {
        return Map.of("scim_url", FakeScimUpstream.get().url() + "/", "token", token);
    }

    public static ValidatableResponse link(CreatedTenant tenant, String owner, String token) {
        return as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id",
                        owner,
                        "origin_owner_name",
                        "Owner " + owner,
                        "provider",
                        FakeScimConnectorFactory.ID,
                        "credentials",
                        credentials(token)))
                .post("/accounts")
                .then();
    }

    /**
     * Links {@code provider} headlessly with the client credentials kind against an {@link OAuthServerDouble} (its
     * client), expecting 201; the account id.
     */
    public static String linkClientCredentials(
            CreatedTenant tenant, String owner, String provider, OAuthServerDouble idp) {
        return as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id",
                        owner,
                        "origin_owner_name",
                        "Org " + owner,
                        "provider",
                        provider,
                        "auth_kind",
                        "oauth2_client_credentials",
                        "credentials",
                        Map.of(
                                "base_url", idp.baseUrl(),
                                "client_id", OAuthServerDouble.CLIENT_ID,
                                "client_secret", OAuthServerDouble.CLIENT_SECRET)))
                .post("/accounts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** Links the real 1Password connector to a scriptable upstream (bridge form), server-side; the account id. */
    public static String linkOnePassword(CreatedTenant tenant, String owner, ScimUpstream upstream) {
        return as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id",
                        owner,
                        "origin_owner_name",
                        "Org",
                        "provider",
                        "onepassword",
                        "credentials",
                        Map.of("scim_url", upstream.bridgeBaseUrl(), "bearer_token", upstream.token())))
                .post("/accounts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** A request as the tenant, reading the given linked account through the unified IAM API. */
    public static RequestSpecification read(CreatedTenant tenant, String accountId) {
        return as(tenant.apiKey()).header("x-account-id", accountId);
    }

    /**
     * Follows `next` to the end, checking no page is longer than asked; fails rather than looping if the cursor
     * never ends.
     */
    public static List<Map<String, Object>> readAll(CreatedTenant tenant, String accountId, String path, int pageSize) {
        List<Map<String, Object>> all = new ArrayList<>();
        String next = null;
        for (int pages = 0; pages < 500; pages++) {
            var request = read(tenant, accountId).queryParam("page_size", pageSize);
            if (next != null) {
                request.queryParam("cursor", next);
            }
            JsonPath page = request.get(path).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> data = page.getList("data");
            assertThat(data.size()).isLessThanOrEqualTo(pageSize);
            all.addAll(data);
            next = page.getString("next");
            if (next == null) {
                return all;
            }
        }
        throw new AssertionError("listing did not end after 500 pages");
    }

    public static String linkedAccount(CreatedTenant tenant, String owner) {
        return link(tenant, owner, goodToken()).statusCode(201).extract().path("id");
    }

    /** An access token as the test IdP would sign it. */
    public static String accessToken(String subject, String tenantClaim, List<String> groups) {
        var claims =
                Jwt.claims().subject(subject).issuer(TestAuthResource.ISSUER).audience(TestAuthResource.AUDIENCE);
        if (tenantClaim != null) {
            claims.claim("keyline_tenant", tenantClaim);
        }
        if (!groups.isEmpty()) {
            claims.groups(new java.util.HashSet<>(groups));
        }
        return claims.sign();
    }

    /** Starts a sync of the account through the API; the run's id. */
    public static String startSync(CreatedTenant tenant, String accountId) {
        return as(tenant.apiKey())
                .post("/accounts/" + accountId + "/syncs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    /** Polls the account's runs until the given one succeeded or failed (90 s at most); that run's JSON. */
    public static JsonPath awaitSync(CreatedTenant tenant, String accountId, String runId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath runs = as(tenant.apiKey())
                    .get("/accounts/" + accountId + "/syncs")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<Map<String, Object>> data = runs.getList("data");
            for (int i = 0; i < data.size(); i++) {
                if (runId.equals(data.get(i).get("id"))
                        && Set.of("succeeded", "failed").contains(data.get(i).get("state"))) {
                    return runs.setRootPath("data[" + i + "]");
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for sync " + runId, e);
            }
        }
        throw new AssertionError("sync " + runId + " did not finish");
    }
}
