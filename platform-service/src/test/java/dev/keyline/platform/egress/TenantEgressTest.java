package dev.keyline.platform.egress;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Egress allowances are per tenant and set by an operator: a network allowed for one tenant's SCIM bridge is
 * reachable by that tenant's links only. The test profile allows 127.0.0.0/8 to every tenant's connectors, so the
 * network here is IPv6 loopback, which it does not allow.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class TenantEgressTest {

    @Test
    void oneTenantsAllowanceLetsThatTenantsLinksReachTheNetworkAndNoOneElses() throws Exception {
        CreatedTenant allowed = newTenant();
        CreatedTenant other = newTenant();
        try (TrapSocket bridge = new TrapSocket("tenant-egress-bridge", "::1")) {
            String url = "http://[::1]:" + bridge.port() + "/scim/v2";
            operator()
                    .body(Map.of("allow_cidrs", List.of("::1/128")))
                    .put("/tenants/" + allowed.id() + "/egress")
                    .then()
                    .statusCode(200)
                    .body("tenant_id", equalTo(allowed.id()))
                    .body("allow_cidrs", equalTo(List.of("::1/128")))
                    .body("allow_hosts", equalTo(List.of()));

            link(other, url)
                    .statusCode(422)
                    .body("code", equalTo("egress_denied"))
                    .body("field", equalTo("scim_url"));
            assertThat(bridge.connections())
                    .as("the other tenant's link never connected")
                    .isZero();

            // The trap hangs up, so the link fails; what matters is that it got past the policy to the bridge.
            link(allowed, url).body("code", not(equalTo("egress_denied")));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (bridge.connections() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(bridge.connections()).isPositive();

            operator()
                    .get("/tenants/" + other.id() + "/egress")
                    .then()
                    .statusCode(200)
                    .body("allow_cidrs", equalTo(List.of()));

            // Taken back: the next link of the tenant is refused again.
            operator()
                    .body(Map.of("allow_cidrs", List.of()))
                    .put("/tenants/" + allowed.id() + "/egress")
                    .then()
                    .statusCode(200);
            link(allowed, url).statusCode(422).body("code", equalTo("egress_denied"));
        }
    }

    @Test
    void onlyOperatorsSeeOrSetAllowancesAndBadEntriesAreRefused() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .body(Map.of("allow_cidrs", List.of("10.0.0.0/8")))
                .put("/tenants/" + tenant.id() + "/egress")
                .then()
                .statusCode(403);
        as(tenant.apiKey()).get("/tenants/" + tenant.id() + "/egress").then().statusCode(403);
        operator()
                .body(Map.of("allow_cidrs", List.of("10.0.0.0/33")))
                .put("/tenants/" + tenant.id() + "/egress")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("invalid_request"))
                .body("field", equalTo("allow_cidrs"));
        operator()
                .body(Map.of("allow_hosts", List.of("10.1.2.3")))
                .put("/tenants/" + tenant.id() + "/egress")
                .then()
                .statusCode(400)
                .body("field", equalTo("allow_hosts"));
        operator()
                .body(Map.of("allow_hosts", List.of("*.corp.example")))
                .put("/tenants/no-such-tenant/egress")
                .then()
                .statusCode(404);
        operator()
                .get("/tenants/" + tenant.id() + "/egress")
                .then()
                .statusCode(200)
                .body("allow_cidrs", equalTo(List.of()))
                .body("allow_hosts", equalTo(List.of()));
    }

    private static ValidatableResponse link(CreatedTenant tenant, String scimUrl) {
        return as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id",
                        "owner-egress",
                        "origin_owner_name",
                        "Owner",
                        "provider",
                        FakeScimConnectorFactory.ID,
                        "credentials",
                        Map.of("scim_url", scimUrl, "token", "egress-test-token-0123456789")))
                .post("/accounts")
                .then();
    }
}
