package dev.keyline.platform.hardening;

import static dev.keyline.platform.support.TestApi.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.api.OpenApiDocument;
import dev.keyline.platform.hardening.ApiOperations.Operation;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The documented {@code 429} of every operation, under limits low enough to spend: each kind of caller (a tenant,
 * an operator, a connect session's browser by address) first spends its budget, then calls every operation it may
 * call, and each answer must be the documented 429 (problem document, {@code Retry-After}, the other headers). The
 * limit applies after routing and authentication and before the resource, so ids need not exist.
 */
@QuarkusTest
@TestProfile(OpenApiRateLimitContractTest.Spent.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class OpenApiRateLimitContractTest {
    static final int BURST = 4;

    public static class Spent implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // One token every 1000 s: nothing refills while the test runs.
            return Map.of("keyline.limits.requests-per-second", "0.001", "keyline.limits.burst", String.valueOf(BURST));
        }
    }

    @Test
    void everyOperationAnswersItsDocumented429OnceTheCallerHasSpentItsBudget() {
        ApiOperations api = ApiOperations.fetch();
        CreatedTenant tenant = newTenant();
        List<String> failures = new ArrayList<>();
        int limited = 0;
        for (Caller caller : List.of(
                new Caller("tenant", tenant.apiKey(), "/v1/tenant"),
                new Caller("operator", TestAuthResource.OPERATOR_KEY, "/v1/tenants"),
                new Caller("connect session", "kl_cs_not-a-session-token", "/v1/connect/session"))) {
            spend(caller);
            for (Operation op : api.api()) {
                if (!caller.calls(op)) {
                    continue;
                }
                if (!op.responses().has("429")) {
                    failures.add(op + " does not document 429");
                    continue;
                }
                RequestSpecification request = given().header("Authorization", "Bearer " + caller.bearer())
                        .header("x-account-id", "x");
                if (op.bodySchema() != null) {
                    request.contentType(ContentType.JSON).body("{}");
                }
                Response response = request.request(op.method(), op.path().replaceAll("\\{[^}]+}", "x"));
                if (response.statusCode() != 429) {
                    failures.add(op + " as " + caller.name() + " past the budget answered " + response.statusCode());
                    continue;
                }
                limited++;
                ContractCheck.check(api, op, response, null, failures);
            }
        }
        assertThat(failures).isEmpty();
        assertThat(limited)
                .as("operations seen answering 429")
                .isEqualTo(api.api().size());
    }

    /** Who calls: its credential, and an operation that spends its budget. */
    record Caller(String name, String bearer, String spender) {
        boolean calls(Operation op) {
            boolean session = op.security().contains(OpenApiDocument.CONNECT_SESSION);
            return switch (name) {
                case "connect session" -> session;
                case "operator" -> !session && operatorOnly(op);
                default -> !session && !operatorOnly(op);
            };
        }

        /** Tenant management and the operator listings, which a tenant's key is refused before any budget. */
        private static boolean operatorOnly(Operation op) {
            return op.path().startsWith("/v1/tenants") || op.path().startsWith("/v1/operator/");
        }
    }

    private static void spend(Caller caller) {
        for (int i = 0; i <= BURST; i++) {
            if (given().header("Authorization", "Bearer " + caller.bearer())
                            .get(caller.spender())
                            .statusCode()
                    == 429) {
                return;
            }
        }
        throw new AssertionError(caller.name() + " was never limited: is the low-limit profile in force?");
    }
}
