package dev.keyline.platform.hardening;

import static dev.keyline.platform.hardening.OpenApiContractTest.call;
import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.linkedAccount;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.startSync;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleScope;
import dev.keyline.platform.directory.IamIds;
import dev.keyline.platform.hardening.ApiOperations.Operation;
import dev.keyline.platform.hardening.OpenApiContractTest.Call;
import dev.keyline.platform.hardening.OpenApiContractTest.Fixture;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.sync.MongoStore;
import dev.keyline.platform.sync.ReviewStoreFixtures;
import dev.keyline.scimdouble.Fault;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.arc.Arc;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import javax.sql.DataSource;

/**
 * {@link OpenApiContractTest}'s recipes for the operation-specific statuses of the IAM reads, syncs, snapshots,
 * schedules and accounts: each provokes one documented status for real, keyed {@code "operationId status"}.
 * Provider failures are played by an upstream double of the recipe's own, with faults injected, which is closed
 * once the call has been answered.
 */
final class ReadRecipes {
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final List<String> IAM_READS =
            List.of("listUsers", "getUser", "listGroups", "getGroup", "listRoles", "getRole");
    /** Reads no SCIM provider answers (1Password has no roles): their provider failures come from a test provider. */
    private static final List<String> ROLE_READS = List.of("listRoles", "getRole");
    /** The fixture account's role, written to the store as a sync of a provider with roles would. */
    private static final String CONTRACT_ROLE = "contract-role";
    /** Longer than the service's egress time-out (20 s under the test profile), so the provider never answers. */
    private static final Duration PAST_THE_TIMEOUT = Duration.ofSeconds(30);

    static final Map<String, BiFunction<Operation, Fixture, Call>> RECIPES = recipes();

    private ReadRecipes() {}

    private static Map<String, BiFunction<Operation, Fixture, Call>> recipes() {
        Map<String, BiFunction<Operation, Fixture, Call>> recipes = new HashMap<>();
        for (String read : IAM_READS) {
            // not_synced: synced data asked of an account that has never synced.
            recipes.put(read + " 409", (op, f) -> {
                Call call = call(op, withAccount(f, linkOnePassword(f.tenant(), owner("unsynced"), f.upstream())));
                call.request().queryParam("mode", "synced");
                return call;
            });
            // The test-only fake-scim connector validates credentials but reads no directory; read live, as an
            // account that never synced is.
            recipes.put(read + " 501", (op, f) -> call(op, withAccount(f, linkedAccount(f.tenant(), owner("fake")))));
            if (ROLE_READS.contains(read)) {
                recipes.put(read + " 502", (op, f) -> failingRoles(op, f, "upstream_error"));
                recipes.put(read + " 503", (op, f) -> failingRoles(op, f, "rate_limited"));
                recipes.put(read + " 504", (op, f) -> failingRoles(op, f, "timeout"));
                continue;
            }
            // The provider refuses the stored token: an upstream error, not the client's to fix.
            recipes.put(read + " 502", (op, f) -> faultyRead(op, f, Fault.unauthorized()));
            // Throttled for longer than is worth waiting: answered at once, with Retry-After.
            recipes.put(read + " 503", (op, f) -> faultyRead(op, f, Fault.rateLimited(Duration.ofSeconds(60))));
            // The first two tries fail fast and are retried; the last one never gets an answer.
            recipes.put(
                    read + " 504",
                    (op, f) -> faultyRead(op, f, Fault.unavailable().forNext(2), Fault.stall(PAST_THE_TIMEOUT)));
        }
        recipes.put(
                "getSnapshot 409",
                (op, f) -> call(op, withAccount(f, linkOnePassword(f.tenant(), owner("unsynced"), f.upstream()))));
        recipes.put("putSyncSchedule 409", (op, f) -> call(op, withAccount(f, unlinked(f))));
        recipes.put("checkAccount 409", (op, f) -> call(op, withAccount(f, unlinked(f))));
        recipes.put("createReconnectLink 409", (op, f) -> call(op, withAccount(f, unlinked(f))));
        recipes.put("updateAccount 409", (op, f) -> call(op, withAccount(f, unlinked(f))));
        recipes.put("updateAccount 422", (op, f) -> {
            Call call = call(op, f);
            call.request().body(Map.of("credentials", Map.of("bearer_token", "contract-wrong-" + UUID.randomUUID())));
            return call;
        });
        recipes.put("updateAccount 503", ReadRecipes::unreachableOnUpdate);
        recipes.put("linkAccount 503", (op, f) -> faultyLink(op, f, Fault.unavailable()));
        recipes.put("linkAccount 504", (op, f) -> faultyLink(op, f, Fault.stall(PAST_THE_TIMEOUT)));
        recipes.put("linkAccount 409", ReadRecipes::linkKeyInUse);
        recipes.put("linkAccount 422", (op, f) -> {
            String key = "link-" + UUID.randomUUID();
            // The key's first request had an empty body (refused, and that answer kept).
            keyed(as(f.tenant().apiKey()), key, Map.of(), op.path(), 400);
            Call call = call(op, f);
            call.request().header(IDEMPOTENCY_KEY, key);
            return call;
        });
        recipes.put("startSync 409", ReadRecipes::syncKeyInUse);
        recipes.put("startSync 422", (op, f) -> {
            String key = "sync-" + UUID.randomUUID();
            // The key's first request confirmed deletions there are none of (refused, and that answer kept).
            Call call = call(op, f);
            keyed(as(f.tenant().apiKey()), key, Map.of("confirm_deletions", true), call.path(), 409);
            call.request().header(IDEMPOTENCY_KEY, key);
            return call;
        });
        // Operators only: the default call (a tenant's key) is the 403; the listing itself needs the operator key.
        recipes.put("listOperatorConnectors 200", (op, f) -> asOperator(op));
        recipes.put("listOperatorConnectors 400", (op, f) -> {
            Call call = asOperator(op);
            call.request().queryParam("contract_probe", "1");
            return call;
        });
        // not_synced: an owner whose only account never synced; for a person, an owner with a synced account and
        // one linked after its people were read.
        recipes.put("listPeople 409", (op, f) -> ownerCall(f, unsyncedOwner(f), op.path()));
        recipes.put("getOwnerSnapshot 409", (op, f) -> {
            Call call = ownerCall(f, unsyncedOwner(f), op.path());
            call.request().queryParam("scope", "owner");
            return call;
        });
        recipes.put("getPerson 409", (op, f) -> {
            String owner = owner("people");
            String account = linkOnePassword(f.tenant(), owner, f.upstream());
            awaitSync(f.tenant(), account, startSync(f.tenant(), account));
            String person = as(f.tenant().apiKey())
                    .queryParam("origin_owner_id", owner)
                    .queryParam("matched", "false")
                    .get("/v1/people")
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("data[0].id");
            linkedAccount(f.tenant(), owner);
            return new Call(
                    as(f.tenant().apiKey()), "/v1/people/" + person, f.tenant().apiKey());
        });
        return Map.copyOf(recipes);
    }

    private static String unsyncedOwner(Fixture f) {
        String owner = owner("people-unsynced");
        linkOnePassword(f.tenant(), owner, f.upstream());
        return owner;
    }

    private static Call ownerCall(Fixture f, String owner, String path) {
        return new Call(
                as(f.tenant().apiKey()).queryParam("origin_owner_id", owner),
                path,
                f.tenant().apiKey());
    }

    private static Call asOperator(Operation op) {
        return new Call(
                given().header("Authorization", "Bearer " + TestAuthResource.OPERATOR_KEY),
                op.path(),
                TestAuthResource.OPERATOR_KEY);
    }

    /** A live read of an account of its own whose provider fails with {@code faults} once it is linked. */
    private static Call faultyRead(Operation op, Fixture f, Fault... faults) {
        ScimUpstream upstream = upstream();
        try {
            String account = linkOnePassword(f.tenant(), owner("faulty"), upstream);
            for (Fault fault : faults) {
                upstream.inject(fault);
            }
            return closing(call(op, withAccount(f, account)), upstream);
        } catch (RuntimeException | AssertionError e) {
            upstream.close();
            throw e;
        }
    }

    /** A live role read of an account of its own whose provider's role reads fail as {@code failure} says. */
    private static Call failingRoles(Operation op, Fixture f, String failure) {
        String account = as(f.tenant().apiKey())
                .body(Map.of(
                        "origin_owner_id",
                        owner("failing-roles"),
                        "origin_owner_name",
                        "Org",
                        "provider",
                        FailingRolesConnectorFactory.ID,
                        "credentials",
                        Map.of("failure", failure)))
                .post("/accounts")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        return call(op, withAccount(f, account));
    }

    /** The id of a role of the fixture's account, stored as a sync would store it (1Password has no roles). */
    static String role(Fixture f) {
        MongoStore store = Arc.container().instance(MongoStore.class).get();
        ReviewStoreFixtures.role(
                store,
                f.tenant().id(),
                f.account(),
                Role.builder(CONTRACT_ROLE)
                        .name("Contract")
                        .privileged(true)
                        .scope(RoleScope.ORG_WIDE)
                        .members(List.of(new MemberRef("contract-user", null)))
                        .groups(List.of())
                        .build());
        return IamIds.role(CONTRACT_ROLE);
    }

    /** A link to a provider failing with {@code fault} from the first request. */
    private static Call faultyLink(Operation op, Fixture f, Fault fault) {
        ScimUpstream upstream = upstream();
        upstream.inject(fault);
        return closing(call(op, withUpstream(f, upstream)), upstream);
    }

    /** New credentials for an account whose provider has become unavailable since it was linked. */
    private static Call unreachableOnUpdate(Operation op, Fixture f) {
        ScimUpstream upstream = upstream();
        try {
            String account = linkOnePassword(f.tenant(), owner("unreachable"), upstream);
            upstream.inject(Fault.unavailable());
            Call call = call(op, withAccount(withUpstream(f, upstream), account));
            call.request().body(Map.of("credentials", Map.of("bearer_token", upstream.token())));
            return closing(call, upstream);
        } catch (RuntimeException | AssertionError e) {
            upstream.close();
            throw e;
        }
    }

    /**
     * The same link again while its key's first request still runs, as on another replica: that request completed
     * (in a tenant of its own, so its key is the tenant's only one), then its key is put back to running.
     */
    private static Call linkKeyInUse(Operation op, Fixture f) {
        CreatedTenant tenant = newTenant();
        String key = "link-" + UUID.randomUUID();
        Object body = OpenApiContractTest.BODIES.get(op.toString()).apply(f);
        keyed(as(tenant.apiKey()), key, body, op.path(), 201);
        stillRunning(tenant);
        return new Call(as(tenant.apiKey()).header(IDEMPOTENCY_KEY, key).body(body), op.path(), tenant.apiKey());
    }

    /** As {@link #linkKeyInUse}, for a sync of an account of the tenant of its own. */
    private static Call syncKeyInUse(Operation op, Fixture f) {
        CreatedTenant tenant = newTenant();
        String account = linkOnePassword(tenant, owner("keyed"), f.upstream());
        String key = "sync-" + UUID.randomUUID();
        String path = op.path().replace("{id}", account);
        keyed(as(tenant.apiKey()), key, Map.of(), path, 202);
        stillRunning(tenant);
        return new Call(as(tenant.apiKey()).header(IDEMPOTENCY_KEY, key).body(Map.of()), path, tenant.apiKey());
    }

    /** Sends {@code body} to {@code path} with the key, which keeps the answer ({@code status}) for the key. */
    private static void keyed(RequestSpecification request, String key, Object body, String path, int status) {
        request.header(IDEMPOTENCY_KEY, key).body(body).post(path).then().statusCode(status);
    }

    /** The tenant's one key back to running, its lock held for a while, as while its first request runs. */
    private static void stillRunning(CreatedTenant tenant) {
        DataSource db = Arc.container().instance(DataSource.class).get();
        int updated = Sql.update(
                db,
                "update idempotency_key set state = 'running', status = null,"
                        + " locked_until = now() + interval '5 minutes' where owner = ?",
                tenant.id());
        assertThat(updated).as("the tenant's idempotency keys").isEqualTo(1);
    }

    /** An account of the fixture's tenant, linked to the fixture's upstream and then unlinked. */
    private static String unlinked(Fixture f) {
        String account = linkOnePassword(f.tenant(), owner("unlinked"), f.upstream());
        as(f.tenant().apiKey()).delete("/v1/accounts/" + account).then().statusCode(204);
        return account;
    }

    /** Closes the recipe's upstream once the call has its answer. */
    private static Call closing(Call call, ScimUpstream upstream) {
        call.request().filter((request, response, context) -> {
            try {
                return context.next(request, response);
            } finally {
                upstream.close();
            }
        });
        return call;
    }

    /** A small upstream like the fixture's, for one recipe. */
    private static ScimUpstream upstream() {
        return ScimUpstream.builder()
                .users(5)
                .groups(2)
                .membershipsPerUser(1)
                .seed(17)
                .urlForms(UrlForm.BRIDGE)
                .token("contract-" + UUID.randomUUID())
                .start();
    }

    private static String owner(String what) {
        return what + "-" + UUID.randomUUID();
    }

    private static Fixture withAccount(Fixture f, String account) {
        return new Fixture(
                f.tenant(),
                f.upstream(),
                account,
                f.run(),
                f.user(),
                f.group(),
                f.webhook(),
                f.delivery(),
                f.sessionToken(),
                f.sessionId());
    }

    private static Fixture withUpstream(Fixture f, ScimUpstream upstream) {
        return new Fixture(
                f.tenant(),
                upstream,
                f.account(),
                f.run(),
                f.user(),
                f.group(),
                f.webhook(),
                f.delivery(),
                f.sessionToken(),
                f.sessionId());
    }
}
