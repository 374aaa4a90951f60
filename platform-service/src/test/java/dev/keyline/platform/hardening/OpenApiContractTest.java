package dev.keyline.platform.hardening;

import static dev.keyline.platform.support.TestApi.accessToken;
import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.startSync;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.api.OpenApiDocument;
import dev.keyline.platform.authconfig.AuthCodeConnectorFactory;
import dev.keyline.platform.hardening.ApiOperations.Operation;
import dev.keyline.platform.hardening.ApiOperations.Param;
import dev.keyline.platform.reqlog.RequestLog;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.OAuthTestConnectorFactory;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.sync.SyncRun;
import dev.keyline.platform.sync.SyncRunStore;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.arc.Arc;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document against the running service, so it cannot drift: every operation it lists is called for
 * real, once on its success path and once for each further status it documents, and every answer is checked by
 * {@link ContractCheck} (status, content type, body schema with nulls only where nullable, required headers,
 * {@code Location}). {@code default} is exempt; {@code 429} is provoked for every operation by
 * {@link OpenApiRateLimitContractTest} under low limits.
 *
 * <p>To cover a new operation, add a request body to {@link #BODIES} (POST, PUT, PATCH) or a whole recipe to
 * {@link #RECIPES} when the default (ids of the fixture, the caller picked by path) does not fit. A documented
 * status is provoked by a generic recipe ({@link #generic}: 400, 401, 403, 404) or by a line in
 * {@link #STATUS_RECIPES}; a status without either fails the test, naming the line to add.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class OpenApiContractTest {

    /** What the recipes work on: one tenant with a synced account, a webhook with a delivery, a connect session. */
    record Fixture(
            CreatedTenant tenant,
            ScimUpstream upstream,
            String account,
            String run,
            String user,
            String group,
            String webhook,
            String delivery,
            String sessionToken,
            String sessionId) {}

    /** One real call: the request (credentials, headers, body set), the concrete path and the credential used. */
    record Call(RequestSpecification request, String path, String bearer) {
        Call(RequestSpecification request, String path) {
            this(request, path, null);
        }
    }

    private static final String OWNER = "contract-owner";
    private static final String UNKNOWN_ID = "contract-unknown-id";
    private static final String FOREIGN_ORIGIN = "https://elsewhere.example";

    /** Request bodies for operations that take one, keyed like {@link Operation#toString()}. */
    static final Map<String, Function<Fixture, Object>> BODIES = Map.ofEntries(
            Map.entry(
                    "POST /v1/accounts",
                    f -> Map.of(
                            "origin_owner_id",
                            "contract-" + UUID.randomUUID(),
                            "origin_owner_name",
                            "Contract",
                            "provider",
                            "onepassword",
                            "credentials",
                            Map.of(
                                    "scim_url",
                                    f.upstream().bridgeBaseUrl(),
                                    "bearer_token",
                                    f.upstream().token()))),
            Map.entry("PATCH /v1/accounts/{id}", f -> Map.of("origin_owner_name", "Renamed")),
            Map.entry("PUT /v1/accounts/{id}/sync-schedule", f -> Map.of("interval_seconds", 3600)),
            Map.entry("POST /v1/accounts/{id}/syncs", f -> Map.of()),
            Map.entry("POST /v1/connect/sessions", f -> Map.of("origin_owner_id", "o-1", "origin_owner_name", "Owner")),
            Map.entry(
                    "POST /v1/connect/session/link",
                    f -> Map.of(
                            "provider",
                            "onepassword",
                            "credentials",
                            Map.of(
                                    "scim_url",
                                    f.upstream().bridgeBaseUrl(),
                                    "bearer_token",
                                    f.upstream().token()))),
            Map.entry(
                    "POST /v1/connect/session/oauth",
                    f -> Map.of(
                            "provider",
                            OAuthTestConnectorFactory.ID,
                            "values",
                            Map.of("base_url", "https://idp.contract.example"))),
            Map.entry("PATCH /v1/tenant", f -> Map.of("name", "Renamed tenant")),
            Map.entry("POST /v1/tenants", f -> Map.of("name", "Contract tenant")),
            Map.entry("PATCH /v1/tenants/{id}", f -> Map.of("name", "Renamed by operator")),
            Map.entry(
                    "PUT /v1/tenants/{id}/egress",
                    f -> Map.of("allow_cidrs", List.of("10.20.0.0/16"), "allow_hosts", List.of("scim.corp.example"))),
            Map.entry("POST /v1/tenants/{id}/api-keys", f -> Map.of("name", "contract key")),
            Map.entry("POST /v1/webhooks", f -> Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("*"))),
            Map.entry("PATCH /v1/webhooks/{id}", f -> Map.of("description", "contract")),
            Map.entry(
                    "POST /v1/auth-configs",
                    f -> Map.of(
                            "provider",
                            AuthCodeConnectorFactory.ID,
                            "client_id",
                            "contract-client",
                            "client_secret",
                            // The same each time: Idempotency-Key recipes send one request twice.
                            "contract-client-secret",
                            "scopes",
                            List.of("users.read"))),
            Map.entry("PATCH /v1/auth-configs/{id}", f -> Map.of("name", "contract")),
            Map.entry("POST /v1/accounts/{id}/reconnect-link", f -> Map.of("expires_in", 3600)));

    /**
     * Whole recipes where the default does not fit: deletions act on something made for them, and a connect
     * session is single use.
     */
    static final Map<String, Function<Fixture, Call>> RECIPES = Map.of(
            "DELETE /v1/accounts/{id}",
            f -> new Call(
                    tenant(f),
                    "/accounts/" + linkOnePassword(f.tenant(), "doomed-" + UUID.randomUUID(), f.upstream()),
                    f.tenant().apiKey()),
            "DELETE /v1/tenants/{id}",
            f -> new Call(operator(), "/tenants/" + newTenant().id(), TestAuthResource.OPERATOR_KEY),
            "DELETE /v1/tenants/{id}/api-keys/{keyId}",
            f -> {
                String key = operator()
                        .body(Map.of("name", "doomed"))
                        .post("/tenants/" + f.tenant().id() + "/api-keys")
                        .then()
                        .statusCode(201)
                        .extract()
                        .path("id");
                return new Call(
                        operator(), "/tenants/" + f.tenant().id() + "/api-keys/" + key, TestAuthResource.OPERATOR_KEY);
            },
            "DELETE /v1/webhooks/{id}",
            f -> new Call(
                    tenant(f), "/webhooks/" + webhook(f.tenant()), f.tenant().apiKey()),
            "DELETE /v1/auth-configs/{id}",
            f -> new Call(
                    tenant(f),
                    "/v1/auth-configs/" + authConfig(f.tenant()),
                    f.tenant().apiKey()),
            "GET /v1/people",
            f -> new Call(
                    tenant(f).queryParam("origin_owner_id", OWNER),
                    "/v1/people",
                    f.tenant().apiKey()),
            "GET /v1/people/{id}",
            f -> new Call(tenant(f), "/v1/people/" + person(f), f.tenant().apiKey()),
            "GET /v1/snapshot",
            f -> new Call(
                    tenant(f).queryParam("scope", "owner").queryParam("origin_owner_id", OWNER),
                    "/v1/snapshot",
                    f.tenant().apiKey()),
            "POST /v1/connect/session/link",
            f -> {
                String token = session(f.tenant())[0];
                return new Call(
                        given().header("Authorization", "Bearer " + token)
                                .contentType(ContentType.JSON)
                                .body(BODIES.get("POST /v1/connect/session/link")
                                        .apply(f)),
                        "/connect/session/link",
                        token);
            });

    /**
     * Recipes for the documented statuses no generic recipe provokes, keyed by operation id and status: one line per
     * status a resource documents (409, 410, 422, a second 2xx…), each returning the call that must answer it.
     */
    static final Map<String, BiFunction<Operation, Fixture, Call>> STATUS_RECIPES = Map.ofEntries(
            // The same origin owner and provider as the fixture's account: re-linked, not created.
            Map.entry("linkAccount 200", (op, f) -> {
                Call call = call(op, f);
                call.request()
                        .body(Map.of(
                                "origin_owner_id",
                                OWNER,
                                "origin_owner_name",
                                "Contract",
                                "provider",
                                "onepassword",
                                "credentials",
                                Map.of(
                                        "scim_url",
                                        f.upstream().bridgeBaseUrl(),
                                        "bearer_token",
                                        f.upstream().token())));
                return call;
            }),
            // A run queued behind another replica's running sync of the account: the request joins it. The other
            // replica's lease is what keeps the run queued; without it any wake (this account's first sync ending,
            // another test's sync) lets a worker claim it, and the request would meet it running (409).
            Map.entry("startSync 200", (op, f) -> {
                String account = linkOnePassword(f.tenant(), "queued-" + UUID.randomUUID(), f.upstream());
                SyncRunStore runs = Arc.container().instance(SyncRunStore.class).get();
                holdLease(runs, f.tenant().id(), account);
                runs.queue(
                        "syn_" + UUID.randomUUID().toString().replace("-", ""),
                        f.tenant().id(),
                        account,
                        SyncRun.Trigger.MANUAL,
                        false);
                Call call = call(op, f);
                return new Call(call.request(), call.path().replace(f.account(), account), call.bearer());
            }));

    /** Takes the account's lease as another replica would, once a sync the link may have started has let go. */
    private static void holdLease(SyncRunStore runs, String tenantId, String accountId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!runs.tryAcquire(tenantId, accountId, "contract-other-replica", "syn_other", Duration.ofMinutes(10))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the account's lease stayed held for 60 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for the account's lease", e);
            }
        }
    }

    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stop() {
        upstreams.forEach(ScimUpstream::close);
    }

    @Test
    void everyOperationAnswersAsDocumented() {
        ApiOperations api = ApiOperations.fetch();
        Fixture fixture = fixture();
        List<String> failures = new ArrayList<>();
        Set<String> covered = new TreeSet<>();
        int answers = 0;
        for (Operation op : api.api()) {
            Call call = call(op, fixture);
            Response response = call.request().request(op.method(), call.path());
            covered.add(op.toString());
            ContractCheck.check(api, op, response, call.bearer(), failures);
            answers++;
            for (String status : op.statuses()) {
                if (status.equals("default")
                        || status.equals("429")
                        || status.equals(String.valueOf(response.statusCode()))) {
                    continue; // exempt, provoked by OpenApiRateLimitContractTest, or just seen
                }
                Call provoking = provoke(op, status, fixture, failures);
                if (provoking == null) {
                    continue;
                }
                Response answer = provoking.request().request(op.method(), provoking.path());
                answers++;
                if (!String.valueOf(answer.statusCode()).equals(status)) {
                    failures.add(op + ": the recipe for its documented " + status + " got " + answer.statusCode() + ": "
                            + ContractCheck.truncate(answer.asString()));
                    continue;
                }
                ContractCheck.check(api, op, answer, provoking.bearer(), failures);
            }
        }
        Set<String> stale = new TreeSet<>(BODIES.keySet());
        stale.addAll(RECIPES.keySet());
        stale.removeAll(covered);
        Set<String> ids = new TreeSet<>();
        api.api().forEach(op -> op.statuses().forEach(status -> ids.add(op.operationId() + " " + status)));
        STATUS_RECIPES.keySet().stream().filter(k -> !ids.contains(k)).forEach(stale::add);
        assertThat(stale)
                .as("recipes for operations or statuses the document no longer lists")
                .isEmpty();
        assertThat(failures).as("answers that differ from the OpenAPI document").isEmpty();
        System.out.printf("openapi contract: %d operations, %d answers as documented%n", covered.size(), answers);
    }

    /**
     * Each scheme's credentials are refused where the other scheme is documented, so the document's security
     * requirements say which credential each operation takes: a connect session token is no API key, and an API
     * key does not open a connect session.
     */
    @Test
    void credentialsOfTheOtherSchemeAreRefused() {
        ApiOperations api = ApiOperations.fetch();
        Fixture fixture = fixture();
        List<String> failures = new ArrayList<>();
        Set<String> schemes = new TreeSet<>();
        for (Operation op : api.api()) {
            if (op.security().size() != 1) {
                failures.add(op + " documents the security schemes " + op.security() + ", not exactly one");
                continue;
            }
            String scheme = op.security().get(0);
            schemes.add(scheme);
            String other = scheme.equals(OpenApiDocument.CONNECT_SESSION)
                    ? fixture.tenant().apiKey()
                    : session(fixture.tenant())[0];
            Call call = call(op, fixture, other, name -> id(unversioned(op), name, fixture));
            Response response = call.request().request(op.method(), call.path());
            if (response.statusCode() != 401) {
                failures.add(op + " documents " + scheme + ", but the other scheme's credential got "
                        + response.statusCode());
            }
        }
        assertThat(schemes).containsExactlyInAnyOrder(OpenApiDocument.BEARER, OpenApiDocument.CONNECT_SESSION);
        assertThat(failures).isEmpty();
    }

    /** The call that must answer {@code status}, or null after noting that no recipe provokes it. */
    private static Call provoke(Operation op, String status, Fixture f, List<String> failures) {
        String key = op.operationId() + " " + status;
        BiFunction<Operation, Fixture, Call> recipe = STATUS_RECIPES.get(key);
        if (recipe == null) {
            recipe = ReadRecipes.RECIPES.get(key);
        }
        if (recipe == null) {
            recipe = WriteRecipes.RECIPES.get(key);
        }
        if (recipe != null) {
            return recipe.apply(op, f);
        }
        Call call = generic(op, status, f);
        if (call == null) {
            failures.add(op + " documents " + status + " and no recipe provokes it: add Map.entry(\"" + op.operationId()
                    + " " + status + "\", (op, f) -> ...) to OpenApiContractTest.STATUS_RECIPES");
        }
        return call;
    }

    /** The recipes every operation's shape allows, or null for a status they do not cover. */
    static Call generic(Operation op, String status, Fixture f) {
        boolean session = op.security().contains(OpenApiDocument.CONNECT_SESSION);
        return switch (status) {
            case "400" -> {
                // A typed parameter out of range where there is one, else one the operation does not declare.
                Call call = call(op, f);
                boolean paged = op.in("query").stream().anyMatch(p -> p.name().equals("page_size"));
                call.request().queryParam(paged ? "page_size" : "contract_probe", paged ? "0" : "1");
                yield call;
            }
            case "401" -> {
                yield call(op, f, null, name -> id(unversioned(op), name, f));
            }
            case "403" -> {
                if (session) {
                    // The session's tenant allows no other origin to embed the connect UI.
                    Call call = call(op, f);
                    call.request().header("Origin", FOREIGN_ORIGIN);
                    yield call;
                }
                // Valid credentials that carry no role: an OIDC token naming no tenant.
                String token = accessToken("contract-nobody-" + UUID.randomUUID(), null, List.of());
                yield call(op, f, token, name -> id(unversioned(op), name, f));
            }
            case "404" -> {
                yield call(op, f, credential(op, f), name -> UNKNOWN_ID);
            }
            default -> null;
        };
    }

    private Fixture fixture() {
        CreatedTenant tenant = newTenant();
        ScimUpstream upstream = upstream(upstreams);
        String account = linkOnePassword(tenant, OWNER, upstream);
        String run = startSync(tenant, account);
        awaitSync(tenant, account, run);
        String user = as(tenant.apiKey())
                .header("x-account-id", account)
                .get("/iam/users")
                .then()
                .statusCode(200)
                .extract()
                .path("data[0].id");
        String group = as(tenant.apiKey())
                .header("x-account-id", account)
                .get("/iam/groups")
                .then()
                .statusCode(200)
                .extract()
                .path("data[0].id");
        String webhook = webhook(tenant);
        String delivery = as(tenant.apiKey())
                .post("/webhooks/" + webhook + "/test")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String[] session = session(tenant);
        return new Fixture(tenant, upstream, account, run, user, group, webhook, delivery, session[0], session[1]);
    }

    /** A small SCIM upstream, closed after the test. */
    private static ScimUpstream upstream(List<ScimUpstream> started) {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(5)
                .groups(2)
                .membershipsPerUser(1)
                .seed(17)
                .urlForms(UrlForm.BRIDGE)
                .token("contract-" + UUID.randomUUID())
                .start();
        started.add(upstream);
        return upstream;
    }

    /** The default recipe: the caller picked by path, ids from the fixture, the body from {@link #BODIES}. */
    /** The operation's default call (its success path's credentials, ids and body), for recipes to adjust. */
    static Call call(Operation op, Fixture f) {
        Function<Fixture, Call> recipe = RECIPES.get(op.toString());
        if (recipe != null) {
            return recipe.apply(f);
        }
        return call(op, f, credential(op, f), name -> id(unversioned(op), name, f));
    }

    /** The operation called with {@code bearer} (none when null) and the path's ids from {@code ids}. */
    private static Call call(Operation op, Fixture f, String bearer, Function<String, String> ids) {
        RequestSpecification request = given();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (op.hasHeader("x-account-id")) {
            request.header("x-account-id", f.account());
        }
        if (op.bodySchema() != null) {
            Function<Fixture, Object> body = BODIES.get(op.toString());
            if (body == null) {
                throw new AssertionError(op + " takes a request body and OpenApiContractTest.BODIES has none for it:"
                        + " add a valid one so the operation is called for real.");
            }
            request.contentType(ContentType.JSON).body(body.apply(f));
        }
        return new Call(request, path(op, f, ids), bearer);
    }

    /** Who calls an operation by default: a connect session, an operator for /tenants, else the tenant. */
    private static String credential(Operation op, Fixture f) {
        if (op.security().contains(OpenApiDocument.CONNECT_SESSION)) {
            return f.sessionToken();
        }
        return unversioned(op).startsWith("/tenants")
                ? TestAuthResource.OPERATOR_KEY
                : f.tenant().apiKey();
    }

    /** Recipes and ids are keyed by the path below the version; the aliases without it are not documented. */
    private static String unversioned(Operation op) {
        return op.path().replaceFirst("^/v1(?=/)", "");
    }

    private static String path(Operation op, Fixture f, Function<String, String> ids) {
        String path = op.path();
        for (Param p : op.in("path")) {
            path = path.replace("{" + p.name() + "}", ids.apply(p.name()));
        }
        return path;
    }

    private static String id(String path, String name, Fixture f) {
        return switch (name) {
            case "delivery_id" -> f.delivery();
            case "run_id" -> f.run();
            case "keyId" -> f.tenant().apiKeyId();
            case "sessionId" -> f.sessionId();
            default -> {
                if (path.startsWith("/accounts/")) {
                    yield f.account();
                } else if (path.startsWith("/tenants/")) {
                    yield f.tenant().id();
                } else if (path.startsWith("/webhooks/")) {
                    yield f.webhook();
                } else if (path.startsWith("/auth-configs/")) {
                    yield authConfig(f.tenant());
                } else if (path.startsWith("/iam/users/")) {
                    yield f.user();
                } else if (path.startsWith("/iam/groups/")) {
                    yield f.group();
                } else if (path.startsWith("/iam/roles/")) {
                    yield ReadRecipes.role(f);
                } else if (path.startsWith("/connectors/")) {
                    yield "onepassword";
                } else if (path.startsWith("/connect/sessions/")) {
                    yield f.sessionId();
                } else if (path.startsWith("/people/")) {
                    yield person(f);
                } else if (path.startsWith("/request-logs/")) {
                    yield requestLogEntry(f);
                }
                throw new AssertionError("no fixture id for {" + name + "} in " + path
                        + ": teach OpenApiContractTest.id(...) or add a recipe to RECIPES");
            }
        };
    }

    private static RequestSpecification operator() {
        return given().header("Authorization", "Bearer " + TestAuthResource.OPERATOR_KEY)
                .contentType(ContentType.JSON);
    }

    /** A person of the fixture's owner: its one account's users are all unmatched. */
    private static String person(Fixture f) {
        return as(f.tenant().apiKey())
                .queryParam("origin_owner_id", OWNER)
                .queryParam("matched", "false")
                .get("/v1/people")
                .then()
                .statusCode(200)
                .extract()
                .path("data[0].id");
    }

    /** The entry of a refused link's upstream request, as its problem quotes it, written before it is read. */
    private static String requestLogEntry(Fixture f) {
        String id = as(f.tenant().apiKey())
                .body(Map.of(
                        "origin_owner_id",
                        "owner-" + UUID.randomUUID(),
                        "origin_owner_name",
                        "Org",
                        "provider",
                        "onepassword",
                        "credentials",
                        Map.of("scim_url", f.upstream().bridgeBaseUrl(), "bearer_token", "wrong-" + UUID.randomUUID())))
                .post("/v1/accounts")
                .then()
                .statusCode(422)
                .extract()
                .path("request_log_id");
        Arc.container().instance(RequestLog.class).get().flush();
        return id;
    }

    private static RequestSpecification tenant(Fixture f) {
        return as(f.tenant().apiKey());
    }

    private static String webhook(CreatedTenant tenant) {
        return as(tenant.apiKey())
                .body(Map.of("url", "http://127.0.0.1:9/hook", "events", List.of("*")))
                .post("/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** A fresh auth config of the tenant, for the test-only provider with the authorization code kind. */
    private static String authConfig(CreatedTenant tenant) {
        return as(tenant.apiKey())
                .body(BODIES.get("POST /v1/auth-configs").apply(null))
                .post("/v1/auth-configs")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }

    /** A fresh connect session: its token and its id (the last segment of its connect URL). */
    private static String[] session(CreatedTenant tenant) {
        var created = as(tenant.apiKey())
                .body(Map.of("origin_owner_id", "owner-" + UUID.randomUUID(), "origin_owner_name", "Owner"))
                .post("/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String url = created.getString("connect_url");
        return new String[] {created.getString("token"), url.substring(url.lastIndexOf('/') + 1)};
    }
}
