package dev.keyline.platform.hardening;

import static dev.keyline.platform.support.TestApi.as;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.credential.CredentialStore.Namespace;
import dev.keyline.platform.hardening.ApiOperations.Operation;
import dev.keyline.platform.hardening.OpenApiContractTest.Call;
import dev.keyline.platform.hardening.OpenApiContractTest.Fixture;
import dev.keyline.platform.support.Sql;
import io.quarkus.arc.Arc;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BiFunction;
import javax.sql.DataSource;

/**
 * {@link OpenApiContractTest}'s recipes for the operation-specific statuses of connect sessions, webhooks, tenants, API
 * keys and Idempotency-Key: each provokes one documented status for real, keyed {@code "operationId status"}.
 */
final class WriteRecipes {
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final String LINK_PATH = "/v1/connect/session/link";

    /** The operations marked idempotent that this file covers: 409 and 422 are their Idempotency-Key answers. */
    private static final List<String> IDEMPOTENT =
            List.of("createConnectSession", "createTenant", "issueApiKey", "createWebhook", "createAuthConfig");

    static final Map<String, BiFunction<Operation, Fixture, Call>> RECIPES = recipes();

    private WriteRecipes() {}

    private static Map<String, BiFunction<Operation, Fixture, Call>> recipes() {
        Map<String, BiFunction<Operation, Fixture, Call>> recipes = new HashMap<>();
        for (String operationId : IDEMPOTENT) {
            recipes.put(operationId + " 409", expecting("idempotency_key_in_use", WriteRecipes::keyInUse));
            recipes.put(operationId + " 422", expecting("idempotency_key_reused", WriteRecipes::keyReused));
        }
        recipes.put("getConnectSession 410", expecting("session_used", WriteRecipes::usedSession));
        recipes.put("linkWithConnectSession 410", expecting("session_expired", WriteRecipes::expiredSession));
        recipes.put("linkWithConnectSession 422", expecting("invalid_credentials", WriteRecipes::refusedCredentials));
        recipes.put("linkWithConnectSession 503", expecting("connection_failed", WriteRecipes::unreachableProvider));
        recipes.put("linkWithConnectSession 409", expecting("account_exists", WriteRecipes::linkOverExisting));
        recipes.put("startConnectSessionOAuth 409", expecting("account_exists", WriteRecipes::oauthOverExisting));
        recipes.put("startConnectSessionOAuth 410", expecting("session_expired", WriteRecipes::expiredOAuthStart));
        recipes.put(
                "startConnectSessionOAuth 422", expecting("auth_kind_unsupported", WriteRecipes::oauthWithoutSignIn));
        recipes.put("updateWebhook 409", expecting("webhook_secret_missing", WriteRecipes::enableBrokenWebhook));
        recipes.put("updateWebhook 422", expecting("egress_denied", WriteRecipes::uncallableWebhookUrl));
        return Map.copyOf(recipes);
    }

    /**
     * The recipe, whose answer must also carry the problem {@code code} of the reason the document gives: a status
     * reached for another reason would prove nothing about that one.
     */
    private static BiFunction<Operation, Fixture, Call> expecting(
            String code, BiFunction<Operation, Fixture, Call> recipe) {
        return (op, f) -> {
            Call call = recipe.apply(op, f);
            call.request().filter((request, response, context) -> {
                Response answer = context.next(request, response);
                // Another status is the contract test's to report; an error must be this one.
                if (answer.statusCode() >= 400) {
                    assertThat(answer.getContentType())
                            .as(op + ": " + answer.asString())
                            .contains("problem+json");
                    assertThat(answer.jsonPath().getString("code"))
                            .as(op + ": " + answer.asString())
                            .isEqualTo(code);
                }
                return answer;
            });
            return call;
        };
    }

    // ---- Idempotency-Key ----

    /** The operation's default call, answered once with a fresh key, then the same request while that key is held. */
    private static Call keyInUse(Operation op, Fixture f) {
        String key = answeredOnce(op, f);
        // The key's row as its first request holds it while it still runs (here or on another replica), until the
        // lock timeout: the same request again must not run twice.
        int held = Sql.update(
                dataSource(),
                "update idempotency_key set state = 'running', status = null, locked_until = ? where key_digest = ?",
                OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(5),
                keyDigest(key));
        assertThat(held).as("the key's row").isEqualTo(1);
        return keyed(op, f, key);
    }

    /** The operation's default call, answered once with a fresh key, then the key again with another body. */
    private static Call keyReused(Operation op, Fixture f) {
        String key = answeredOnce(op, f);
        Call again = keyed(op, f, key);
        again.request().body(otherBody(op, f));
        return again;
    }

    private static String answeredOnce(Operation op, Fixture f) {
        String key = "contract-" + UUID.randomUUID();
        Call first = keyed(op, f, key);
        Response answer = first.request().request(op.method(), first.path());
        assertThat(answer.statusCode())
                .as(op + " with a fresh Idempotency-Key: " + answer.asString())
                .isBetween(200, 299);
        return key;
    }

    private static Call keyed(Operation op, Fixture f, String key) {
        Call call = OpenApiContractTest.call(op, f);
        call.request().header(IDEMPOTENCY_KEY, key);
        return call;
    }

    /** The operation's body with one text value changed: as valid, but another request. */
    private static Map<String, Object> otherBody(Operation op, Fixture f) {
        if (!(OpenApiContractTest.BODIES.get(op.toString()).apply(f) instanceof Map<?, ?> body)) {
            throw new AssertionError(op + " has no JSON object body to vary");
        }
        Map<String, Object> other = new TreeMap<>();
        body.forEach((name, value) -> other.put(name.toString(), value));
        String text = other.entrySet().stream()
                .filter(e -> e.getValue() instanceof String)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElseThrow(() -> new AssertionError(op + "'s body has no text value to vary"));
        other.put(text, other.get(text) + "-other");
        return other;
    }

    /** {@code idempotency.IdempotencyKeys.digest(key)}: SHA-256 of the key, length-prefixed, in hex. */
    private static String keyDigest(String key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
            sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
            sha.update(bytes);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- connect sessions ----

    /** A session spent on a successful link: describing it afterwards is gone. */
    private static Call usedSession(Operation op, Fixture f) {
        String[] session = newSession(f);
        Response linked = sessionRequest(session[0])
                .body(linkBody(f.upstream().bridgeBaseUrl(), f.upstream().token()))
                .post(LINK_PATH);
        assertThat(linked.statusCode())
                .as("the link that spends the session: " + linked.asString())
                .isEqualTo(200);
        return new Call(sessionRequest(session[0]), op.path(), session[0]);
    }

    /** A session past its expiry (as if the end user came back a day later), sent valid credentials. */
    private static Call expiredSession(Operation op, Fixture f) {
        String[] session = newSession(f);
        int expired = Sql.update(
                dataSource(),
                "update connect_sessions set expires_at = ? where id = ?",
                OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1),
                session[1]);
        assertThat(expired).as("the session's row").isEqualTo(1);
        return link(op, session[0], f.upstream().bridgeBaseUrl(), f.upstream().token());
    }

    /** A sign-in started with a session past its expiry. */
    private static Call expiredOAuthStart(Operation op, Fixture f) {
        String[] session = newSession(f);
        Sql.update(
                dataSource(),
                "update connect_sessions set expires_at = ? where id = ?",
                OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1),
                session[1]);
        return new Call(
                sessionRequest(session[0])
                        .body(Map.of(
                                "provider",
                                "oauth-test",
                                "values",
                                Map.of("base_url", "https://idp.contract.example"))),
                op.path(),
                session[0]);
    }

    /** A sign-in asked of a connector that has none (1Password is connected with typed fields). */
    private static Call oauthWithoutSignIn(Operation op, Fixture f) {
        String[] session = newSession(f);
        return new Call(
                sessionRequest(session[0]).body(Map.of("provider", "onepassword", "values", Map.of())),
                op.path(),
                session[0]);
    }

    /** The fixture's provider, sent a token it does not accept: it answers 401, the link is refused. */
    private static Call refusedCredentials(Operation op, Fixture f) {
        return link(op, newSession(f)[0], f.upstream().bridgeBaseUrl(), "contract-wrong-" + UUID.randomUUID());
    }

    /** A plain session for the owner of the fixture's account, linking its provider again: reconnect or add. */
    private static Call linkOverExisting(Operation op, Fixture f) {
        return link(
                op,
                sessionOfAccountOwner(f),
                f.upstream().bridgeBaseUrl(),
                f.upstream().token());
    }

    private static Call oauthOverExisting(Operation op, Fixture f) {
        String token = sessionOfAccountOwner(f);
        return new Call(
                sessionRequest(token).body(Map.of("provider", "onepassword", "values", Map.of())), op.path(), token);
    }

    private static String sessionOfAccountOwner(Fixture f) {
        JsonPath account = as(f.tenant().apiKey())
                .get("/v1/accounts/{id}", f.account())
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(account.getString("provider")).isEqualTo("onepassword");
        return as(f.tenant().apiKey())
                .body(Map.of("origin_owner_id", account.getString("origin_owner_id"), "origin_owner_name", "Owner"))
                .post("/v1/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("token");
    }

    /** The fixture's provider moved to a port where nothing listens: it cannot be reached. */
    private static Call unreachableProvider(Operation op, Fixture f) {
        URI bridge = URI.create(f.upstream().bridgeBaseUrl());
        String closed = bridge.getScheme() + "://" + bridge.getHost() + ":" + closedPort() + bridge.getRawPath();
        return link(op, newSession(f)[0], closed, f.upstream().token());
    }

    private static Call link(Operation op, String token, String scimUrl, String bearerToken) {
        return new Call(sessionRequest(token).body(linkBody(scimUrl, bearerToken)), op.path(), token);
    }

    /** A fresh session of the fixture's tenant for a new origin owner: its token and id. */
    private static String[] newSession(Fixture f) {
        JsonPath created = as(f.tenant().apiKey())
                .body(Map.of("origin_owner_id", "contract-" + UUID.randomUUID(), "origin_owner_name", "Owner"))
                .post("/v1/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String url = created.getString("connect_url");
        return new String[] {created.getString("token"), url.substring(url.lastIndexOf('/') + 1)};
    }

    private static RequestSpecification sessionRequest(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    private static Map<String, Object> linkBody(String scimUrl, String bearerToken) {
        return Map.of(
                "provider", "onepassword", "credentials", Map.of("scim_url", scimUrl, "bearer_token", bearerToken));
    }

    /** A loopback port that was just free: nothing listens there. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- webhooks ----

    /**
     * A subscription whose signing secret is gone from the credential store (a restore from an older backup): its
     * next delivery finds no secret and marks it broken; enabling it without rotating the secret is refused.
     */
    private static Call enableBrokenWebhook(Operation op, Fixture f) {
        String id = as(f.tenant().apiKey())
                .body(Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("*")))
                .post("/v1/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        Arc.container()
                .instance(CredentialStore.class)
                .get()
                .delete(Namespace.WEBHOOKS, f.tenant().id(), id);
        as(f.tenant().apiKey()).post("/v1/webhooks/" + id + "/test").then().statusCode(202);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"broken"
                .equals(as(f.tenant().apiKey()).get("/v1/webhooks/" + id).path("status"))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("webhook " + id + " without a secret did not become broken");
            }
            pause();
        }
        return new Call(
                as(f.tenant().apiKey()).body(Map.of("enabled", true)),
                op.path().replace("{id}", id),
                f.tenant().apiKey());
    }

    /** The fixture's webhook moved to a URL that is not http(s). */
    private static Call uncallableWebhookUrl(Operation op, Fixture f) {
        Call call = OpenApiContractTest.call(op, f);
        call.request().body(Map.of("url", "ftp://127.0.0.1/hook"));
        return call;
    }

    private static DataSource dataSource() {
        return Arc.container().instance(DataSource.class).get();
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
