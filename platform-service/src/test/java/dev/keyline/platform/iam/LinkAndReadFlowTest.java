package dev.keyline.platform.iam;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.read;
import static dev.keyline.platform.support.TestApi.readAll;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.directory.IamIds;
import dev.keyline.platform.problem.Problem;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.Fault;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.ScimUser;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The whole life of a linked 1Password account, through the real connector and a scriptable SCIM upstream:
 * session, failed link, good link, paged reads, rotation, unlink — and what another tenant can see of it. It
 * runs on the real local credential store (AES-256-GCM rows in PostgreSQL), not the in-memory double.
 */
@QuarkusTest
@TestProfile(LinkAndReadFlowTest.RealCredentialStore.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class LinkAndReadFlowTest {
    private static final int USERS = 57;
    private static final int GROUPS = 9;

    /** The shared in-memory double would otherwise replace the encrypted store this flow is about. */
    public static class RealCredentialStore implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.arc.exclude-types", "dev.keyline.platform.support.InMemoryCredentialStore");
        }
    }

    @Inject
    CredentialStore store;

    @Inject
    DataSource dataSource;

    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stopUpstreams() {
        upstreams.forEach(ScimUpstream::close);
    }

    @ParameterizedTest
    @EnumSource(UrlForm.class)
    void anAccountIsLinkedReadRotatedAndUnlinked(UrlForm form) {
        ScimUpstream upstream = upstream(form);
        CreatedTenant tenant = newTenant();

        String sessionToken = as(tenant.apiKey())
                .body(Map.of("origin_owner_id", "org-7", "origin_owner_name", "Org Seven", "provider", "onepassword"))
                .post("/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("token");

        // A wrong token: a precise diagnosis, and nothing created or stored.
        linkWithSession(sessionToken, url(upstream, form), "wrong-token-0123456789")
                .statusCode(422)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("invalid_credentials"))
                .body("field", equalTo("bearer_token"))
                .body(not(containsString("wrong-token-0123456789")));
        as(tenant.apiKey()).get("/accounts").then().statusCode(200).body("data.size()", equalTo(0));
        assertThat(sealedRows(tenant.id())).isEmpty();

        // The right token, with the session the failure did not spend.
        String accountId = linkWithSession(sessionToken, url(upstream, form), upstream.token())
                .statusCode(200)
                .body("status", equalTo("active"))
                .extract()
                .path("account_id");
        as(tenant.apiKey())
                .get("/accounts/" + accountId)
                .then()
                .statusCode(200)
                // A /scim/v2 base on a host other than 1Password's is no hosted provisioning: the connector says
                // so rather than guess from the path.
                .body("facts.deployment", equalTo(form == UrlForm.HOSTED ? "scim_server" : "bridge"))
                .body(not(containsString(upstream.token())));
        assertThat(store.kind()).isEqualTo("local");
        List<Map<String, String>> sealed = sealedRows(tenant.id());
        assertThat(sealed).hasSize(1);
        assertThat(sealed.get(0).get("sealed"))
                .as("only ciphertext in PostgreSQL")
                .matches("[0-9a-f]{64,}")
                .doesNotContain(hex(upstream.token()))
                .doesNotContain(hex("127.0.0.1"));

        // Every user exactly once across pages, with the provider's fields normalized.
        List<Map<String, Object>> users = readAll(tenant, accountId, "/iam/users", 10);
        assertThat(users).hasSize(USERS);
        assertThat(users.stream().map(u -> (String) u.get("id")).collect(Collectors.toSet()))
                .hasSize(USERS);
        Map<String, ScimUser> upstreamUsers =
                upstream.directory().users().stream().collect(Collectors.toMap(ScimUser::id, u -> u));
        for (Map<String, Object> user : users) {
            ScimUser expected = upstreamUsers.get((String) user.get("remote_id"));
            assertThat(expected)
                    .as("user %s exists upstream", user.get("remote_id"))
                    .isNotNull();
            assertThat(user.get("username")).isEqualTo(expected.userName());
            assertThat(user.get("first_name")).isEqualTo(expected.givenName());
            @SuppressWarnings("unchecked")
            Map<String, Object> status = (Map<String, Object>) user.get("status");
            assertThat(status.get("value")).isEqualTo(expected.active() ? "enabled" : "disabled");
            assertThat(status.get("source_value")).isEqualTo(String.valueOf(expected.active()));
            assertThat(user).doesNotContainKey("raw");
        }

        // One user by Keyline id, with the raw payload on request.
        ScimUser someone = upstream.directory().users().get(3);
        String someoneId = (String) users.stream()
                .filter(u -> someone.id().equals(u.get("remote_id")))
                .findFirst()
                .orElseThrow()
                .get("id");
        read(tenant, accountId)
                .queryParam("raw", "true")
                .get("/iam/users/" + someoneId)
                .then()
                .statusCode(200)
                .body("username", equalTo(someone.userName()))
                .body("raw.userName", equalTo(someone.userName()));
        read(tenant, accountId)
                .get("/iam/users/" + IamIds.user("NOSUCHUSER"))
                .then()
                .statusCode(404);

        // Filters are applied on our side and page correctly.
        long suspended =
                upstreamUsers.values().stream().filter(u -> !u.active()).count();
        assertThat(suspended).isPositive();
        assertThat(readAll(tenant, accountId, "/iam/users?status=disabled", 2)).hasSize((int) suspended);
        read(tenant, accountId)
                .queryParam("email", someone.userName().toUpperCase())
                .get("/iam/users")
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(1))
                .body("data[0].id", equalTo(someoneId));

        // Groups with their members, matching the upstream's memberships both ways.
        List<Map<String, Object>> groups = readAll(tenant, accountId, "/iam/groups", 4);
        assertThat(groups).hasSize(GROUPS);
        for (Map<String, Object> group : groups) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> members = (List<Map<String, Object>>) group.get("members");
            assertThat(members.stream().map(m -> m.get("remote_id")).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(
                            new HashSet<>(upstream.directory().memberIds((String) group.get("remote_id"))));
            assertThat(group.get("member_count")).isEqualTo(members.size());
        }

        // Rotation: a bad new token is refused and the old one keeps working.
        as(tenant.apiKey())
                .body(Map.of("credentials", Map.of("bearer_token", "not-the-new-token-000")))
                .patch("/accounts/" + accountId)
                .then()
                .statusCode(422)
                .body("code", equalTo("invalid_credentials"));
        read(tenant, accountId).get("/iam/users").then().statusCode(200);
        upstream.rotateToken("rotated-token-" + form + "-0123456789");
        read(tenant, accountId).get("/iam/users").then().statusCode(502).body("code", equalTo("invalid_credentials"));
        as(tenant.apiKey())
                .body(Map.of("credentials", Map.of("bearer_token", upstream.token())))
                .patch("/accounts/" + accountId)
                .then()
                .statusCode(200)
                .body("status", equalTo("active"));
        read(tenant, accountId).get("/iam/users").then().statusCode(200).body("data.size()", equalTo(25));
        assertThat(store.get(tenant.id(), accountId).orElseThrow()).containsEntry("bearer_token", upstream.token());

        // Unlink: the secret is destroyed and reads stop.
        as(tenant.apiKey()).delete("/accounts/" + accountId).then().statusCode(204);
        assertThat(store.get(tenant.id(), accountId)).isEmpty();
        assertThat(sealedRows(tenant.id())).isEmpty();
        read(tenant, accountId).get("/iam/users").then().statusCode(409).body("code", equalTo("account_not_active"));

        assertThat(upstream.requests().writes())
                .as("no write ever reached the provider")
                .isEmpty();
    }

    @Test
    void anotherTenantSeesNothingOfAnAccount() {
        ScimUpstream upstream = upstream(UrlForm.BRIDGE);
        CreatedTenant owner = newTenant();
        CreatedTenant other = newTenant();
        String accountId = linkOnePassword(owner, "org-" + upstream.port(), upstream);
        String next = read(owner, accountId)
                .queryParam("page_size", "5")
                .get("/iam/users")
                .then()
                .statusCode(200)
                .extract()
                .path("next");
        String userId =
                read(owner, accountId).get("/iam/users").then().extract().path("data[0].id");

        for (String path : List.of("/iam/users", "/iam/groups", "/iam/users/" + userId, "/iam/users?cursor=" + next)) {
            read(other, accountId)
                    .get(path)
                    .then()
                    .statusCode(404)
                    .body("code", equalTo("not_found"))
                    .body(not(containsString(upstream.directory().users().get(0).userName())));
        }
        as(other.apiKey()).get("/accounts/" + accountId).then().statusCode(404);

        // The owner's cursor is bound to its account and filters.
        read(owner, accountId)
                .queryParam("cursor", next)
                .queryParam("status", "enabled")
                .get("/iam/users")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_cursor"));
    }

    @Test
    void linkingToAnInternalAddressIsRefusedByTheEgressPolicy() {
        CreatedTenant tenant = newTenant();
        for (String url : List.of(
                "http://169.254.169.254/scim/v2",
                "http://10.1.2.3/scim",
                "http://[::ffff:127.0.0.1]:8080/",
                "http://2130706433/")) {
            as(tenant.apiKey())
                    .body(Map.of(
                            "origin_owner_id", "org-ssrf",
                            "origin_owner_name", "Org",
                            "provider", "onepassword",
                            "credentials", Map.of("scim_url", url, "bearer_token", "some-token-0123456789")))
                    .post("/accounts")
                    .then()
                    .statusCode(422)
                    .body("code", equalTo("egress_denied"))
                    .body("field", equalTo("scim_url"));
        }
        as(tenant.apiKey()).get("/accounts").then().statusCode(200).body("data.size()", equalTo(0));
        assertThat(sealedRows(tenant.id())).isEmpty();
    }

    @Test
    void badParametersGetSpecificProblems() {
        ScimUpstream upstream = upstream(UrlForm.BRIDGE);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        // Every /iam operation needs the account header, not only the user listing.
        for (String path : List.of("/v1/iam/users", "/v1/iam/users/u_x", "/v1/iam/groups", "/v1/iam/groups/g_x")) {
            as(tenant.apiKey())
                    .get(path)
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("missing_account_id"))
                    .body("field", equalTo("x-account-id"));
        }
        for (String size : List.of("0", "1001", "ten")) {
            for (String path : List.of("/v1/iam/users", "/v1/iam/groups")) {
                invalidParameter(tenant, accountId, path, "page_size", size);
            }
        }
        invalidParameter(tenant, accountId, "/v1/iam/users", "status", "asleep");
        for (String path : List.of("/v1/iam/users", "/v1/iam/users/u_x", "/v1/iam/groups", "/v1/iam/groups/g_x")) {
            invalidParameter(tenant, accountId, path, "mode", "cached");
            invalidParameter(tenant, accountId, path, "raw", "maybe");
        }
        invalidParameter(tenant, accountId, "/v1/iam/groups", "include_members", "some");
        for (String path : List.of("/v1/iam/users", "/v1/iam/groups")) {
            invalidParameter(tenant, accountId, path, "updated_after", "yesterday");
            invalidParameter(tenant, accountId, path, "include_deleted", "perhaps");
        }
        read(tenant, accountId)
                .queryParam("cursor", "forged.cursor")
                .get("/iam/users")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_cursor"));
        given().header("x-account-id", accountId)
                .get("/iam/users")
                .then()
                .statusCode(401)
                .contentType(Problem.MEDIA_TYPE);
    }

    /** One malformed value: {@code 400 invalid_parameter} naming the parameter, whatever kind of value it is. */
    private static void invalidParameter(
            CreatedTenant tenant, String accountId, String path, String name, String value) {
        read(tenant, accountId)
                .queryParam(name, value)
                .get(path)
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("invalid_parameter"))
                .body("field", equalTo(name));
    }

    @Test
    void aThrottledPageIsRetriedAfterTheProvidersDelay() {
        ScimUpstream upstream = upstream(UrlForm.BRIDGE);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        upstream.inject(Fault.rateLimited(Duration.ofSeconds(1)).forNext(1));
        long mark = upstream.requests().mark();

        read(tenant, accountId).get("/iam/users").then().statusCode(200).body("data.size()", equalTo(25));

        assertThat(upstream.requests().since(mark)).hasSize(2);
    }

    @Test
    void aProviderThatKeepsFailingGivesA503WithItsCode() {
        ScimUpstream upstream = upstream(UrlForm.BRIDGE);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        upstream.inject(Fault.unavailable());
        long mark = upstream.requests().mark();

        read(tenant, accountId)
                .get("/iam/users")
                .then()
                .statusCode(503)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("upstream_unavailable"));

        assertThat(upstream.requests().since(mark))
                .as("first try and two retries")
                .hasSize(3);
    }

    @Test
    void credentialsTheMasterKeyCannotOpenAnswerReauthorizationRequiredNot500() {
        ScimUpstream upstream = upstream(UrlForm.BRIDGE);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-sealed", upstream);
        // What another master key sees: a ciphertext whose authentication tag does not verify.
        assertThat(Sql.update(
                        dataSource,
                        "update credential_secret set sealed = overlay(sealed placing '\\x0000'::bytea from 20 for 2)"
                                + " where tenant_id = ? and account_id = ?",
                        tenant.id(),
                        accountId))
                .isEqualTo(1);

        as(tenant.apiKey())
                .post("/accounts/" + accountId + "/check")
                .then()
                .statusCode(409)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("reauthorization_required"));
        as(tenant.apiKey())
                .body(Map.of("credentials", Map.of("bearer_token", "rotated-token-0123456789")))
                .patch("/accounts/" + accountId)
                .then()
                .statusCode(409)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("reauthorization_required"));
    }

    private List<Map<String, String>> sealedRows(String tenantId) {
        return Sql.rows(
                dataSource,
                "select account_id, encode(sealed, 'hex') as sealed from credential_secret where tenant_id = ?",
                tenantId);
    }

    /** The sealed column is read hex-encoded, so clear text inside it would show as this. */
    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    private ScimUpstream upstream(UrlForm form) {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(USERS)
                .groups(GROUPS)
                .membershipsPerUser(3)
                .seed(7)
                .urlForms(form)
                .token("upstream-token-" + form + "-0123456789")
                .start();
        upstreams.add(upstream);
        return upstream;
    }

    private static String url(ScimUpstream upstream, UrlForm form) {
        return form == UrlForm.HOSTED ? upstream.hostedBaseUrl() : upstream.bridgeBaseUrl();
    }

    private static ValidatableResponse linkWithSession(String sessionToken, String url, String token) {
        return as(sessionToken)
                .body(Map.of("provider", "onepassword", "credentials", Map.of("scim_url", url, "bearer_token", token)))
                .post("/connect/session/link")
                .then();
    }
}
