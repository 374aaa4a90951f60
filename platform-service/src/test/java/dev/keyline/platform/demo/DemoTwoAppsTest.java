package dev.keyline.platform.demo;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.readAll;
import static dev.keyline.platform.support.TestApi.startSync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.support.DefaultPluginsProfile;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * `./keyline demo` as the script starts it: the shipped plugins, and the demo's Okta host sent to a local port. A
 * second app for the same customer shares people with the bridge, next to a guest and a service account; the bridge
 * has its admins; the identity provider (Okta, through its plugin) has everyone with roles, factors and sign-ins.
 */
@QuarkusTest
@TestProfile(DemoTwoAppsTest.AsTheScriptStartsIt.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class DemoTwoAppsTest {

    /** The default plugins directory, and the Okta host override `./keyline demo` passes (on a free port here). */
    public static class AsTheScriptStartsIt extends DefaultPluginsProfile {
        @Override
        protected Map<String, String> hostOverrides() {
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return Map.of(DemoMode.OKTA_HOST, "http://127.0.0.1:" + free.getLocalPort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    DemoMode demo;

    @Test
    void theSecondAppSharesPeopleWithTheBridgeForTheSameCustomer() {
        newTenant();
        DemoMode.DemoSetup setup = demo.setUp();
        assertThat(setup.secondAccountId()).isNotNull().isNotEqualTo(setup.accountId());
        as(setup.apiKey())
                .get("/accounts/" + setup.secondAccountId())
                .then()
                .statusCode(200)
                .body("status", equalTo("active"))
                .body("provider", equalTo(DemoMode.SECOND_PROVIDER))
                .body("origin_owner_id", equalTo(DemoMode.ORIGIN_OWNER_ID));

        List<Map<String, Object>> bridge = users(setup, setup.accountId());
        List<Map<String, Object>> second = users(setup, setup.secondAccountId());
        Set<String> bridgeAddresses = addresses(bridge);
        Set<String> secondAddresses = addresses(second);
        Set<String> shared =
                secondAddresses.stream().filter(bridgeAddresses::contains).collect(Collectors.toSet());
        // Every fifth generated person and the owner (whose address the second app spells in capitals).
        assertThat(shared)
                .contains(DemoPeople.OWNER)
                .hasSizeGreaterThanOrEqualTo(setup.users() / DemoPeople.SHARED_EVERY);
        assertThat(secondAddresses)
                .contains(DemoPeople.GUEST, DemoPeople.SERVICE)
                .doesNotContain(DemoPeople.CONTRACTOR);
        assertThat(bridgeAddresses).contains(DemoPeople.CONTRACTOR, DemoPeople.ADMIN);

        Map<String, Object> guest = byAddress(second, DemoPeople.GUEST);
        assertThat(guest.get("type")).isEqualTo(Map.of("value", "guest", "source_value", "Guest"));
        assertThat(byAddress(second, DemoPeople.SERVICE).get("type"))
                .isEqualTo(Map.of("value", "service", "source_value", "Service"));
        // The bridge's owner and administrator are in 1Password's built-in administrative groups.
        assertThat(byAddress(bridge, DemoPeople.ADMIN).get("is_privileged")).isEqualTo(true);
        assertThat(byAddress(bridge, DemoPeople.OWNER).get("is_privileged")).isEqualTo(true);
    }

    @Test
    void theIdentityProviderHasEveryoneWithRolesFactorsAndSignIns() {
        newTenant();
        DemoMode.DemoSetup setup = demo.setUp();
        assertThat(setup.idpAccountId()).isNotNull();
        as(setup.apiKey())
                .get("/accounts/" + setup.idpAccountId())
                .then()
                .statusCode(200)
                .body("status", equalTo("active"))
                .body("provider", equalTo(DemoMode.IDP_PROVIDER))
                .body("origin_owner_id", equalTo(DemoMode.ORIGIN_OWNER_ID));
        CreatedTenant tenant = new CreatedTenant(null, setup.apiKey(), null);
        awaitSync(tenant, setup.idpAccountId(), startSync(tenant, setup.idpAccountId()));

        Set<String> okta = primaries(readAll(tenant, setup.idpAccountId(), "/iam/users", 200));
        Set<String> bridge = primaries(users(setup, setup.accountId()));
        assertThat(okta)
                .as("everyone the bridge has but the contractor on a personal address")
                .containsAll(bridge.stream()
                        .filter(a -> !a.equals(DemoPeople.CONTRACTOR))
                        .toList())
                .doesNotContain(DemoPeople.CONTRACTOR);
        assertThat(addresses(filtered(setup, setup.idpAccountId(), "is_privileged", "true")))
                .containsExactlyInAnyOrder(DemoPeople.OWNER, DemoPeople.ADMIN);
        assertThat(addresses(filtered(setup, setup.idpAccountId(), "mfa_enrolled", "true")))
                .containsExactlyInAnyOrder(DemoPeople.OWNER, DemoPeople.ADMIN);
        String ninetyDaysAgo =
                java.time.Instant.now().minus(java.time.Duration.ofDays(90)).toString();
        // Users who never signed in match too (docs/api.md); the one with a sign-in is the dormant administrator.
        List<Map<String, Object>> dormant =
                filtered(setup, setup.idpAccountId(), "last_login_before", ninetyDaysAgo).stream()
                        .filter(u -> u.get("last_login_at") != null)
                        .toList();
        assertThat(dormant).as("the dormant read-only administrator").hasSize(1);
        assertThat(dormant.get(0).get("is_privileged"))
                .as("a read-only administrator is not privileged")
                .isEqualTo(false);
        assertThat(addresses(filtered(setup, setup.idpAccountId(), "status", "disabled")))
                .as("deactivated in Okta as in the bridge")
                .isNotEmpty();
    }

    /** The calls docs/access-reviews.md walks through, on the demo's synced data (tests do not sync on link). */
    @Test
    void theAccessReviewWalkThroughAnswersAsDocumented() {
        newTenant();
        DemoMode.DemoSetup setup = demo.setUp();
        CreatedTenant tenant = new CreatedTenant(null, setup.apiKey(), null);
        awaitSync(tenant, setup.accountId(), startSync(tenant, setup.accountId()));
        awaitSync(tenant, setup.secondAccountId(), startSync(tenant, setup.secondAccountId()));

        assertThat(addresses(filtered(setup, setup.accountId(), "is_privileged", "true")))
                .containsExactlyInAnyOrder(DemoPeople.OWNER, DemoPeople.ADMIN);
        assertThat(addresses(filtered(setup, setup.secondAccountId(), "type", "service")))
                .containsExactly(DemoPeople.SERVICE);
        assertThat(addresses(filtered(setup, setup.secondAccountId(), "type", "guest")))
                .containsExactly(DemoPeople.GUEST);
        // SCIM reports no second factors: unknown matches neither answer.
        assertThat(filtered(setup, setup.accountId(), "mfa_enrolled", "false")).isEmpty();

        List<Map<String, Object>> people = allPeople(setup.apiKey());
        Map<String, Object> olivia = people.stream()
                .filter(p -> DemoPeople.OWNER.equalsIgnoreCase((String) p.get("primary_email_address")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("Olivia is not matched across the two apps: " + people));
        assertThat((List<?>) olivia.get("accounts"))
                .as("the bridge, the second app and the identity provider")
                .hasSize(3);
        assertThat(olivia.get("is_privileged_anywhere")).isEqualTo(true);
        assertThat(people).hasSizeGreaterThanOrEqualTo(setup.users() / DemoPeople.SHARED_EVERY);

        List<String> unmatched = as(setup.apiKey())
                .queryParam("origin_owner_id", DemoMode.ORIGIN_OWNER_ID)
                .queryParam("matched", "false")
                .queryParam("page_size", "200")
                .get("/v1/people")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("data.primary_email_address");
        assertThat(unmatched).contains(DemoPeople.CONTRACTOR, DemoPeople.GUEST, DemoPeople.SERVICE);
    }

    private static List<Map<String, Object>> filtered(
            DemoMode.DemoSetup setup, String account, String name, String value) {
        return as(setup.apiKey())
                .header("x-account-id", account)
                .queryParam(name, value)
                .queryParam("page_size", "1000")
                .get("/iam/users")
                .then()
                .statusCode(200)
                .body("meta.mode", equalTo("synced"))
                .extract()
                .jsonPath()
                .getList("data");
    }

    private static List<Map<String, Object>> users(DemoMode.DemoSetup setup, String account) {
        return as(setup.apiKey())
                .header("x-account-id", account)
                .queryParam("page_size", "1000")
                .queryParam("mode", "live")
                .get("/iam/users")
                .then()
                .statusCode(200)
                .body("next", equalTo(null))
                .extract()
                .jsonPath()
                .getList("data");
    }

    @SuppressWarnings("unchecked")
    private static Set<String> addresses(List<Map<String, Object>> users) {
        return users.stream()
                .flatMap(u -> ((List<Map<String, Object>>) u.get("emails")).stream())
                .map(e -> ((String) e.get("value")).toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }

    private static Set<String> primaries(List<Map<String, Object>> users) {
        return users.stream()
                .map(u -> (String) u.get("primary_email_address"))
                .filter(java.util.Objects::nonNull)
                .map(a -> a.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
    }

    private static Map<String, Object> byAddress(List<Map<String, Object>> users, String address) {
        return users.stream()
                .filter(u -> address.equalsIgnoreCase((String) u.get("primary_email_address")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no user with address " + address));
    }

    /** Every person of the demo's owner, page by page: ids are per-tenant hashes, so anyone may be on any page. */
    private static List<Map<String, Object>> allPeople(String apiKey) {
        List<Map<String, Object>> people = new java.util.ArrayList<>();
        String cursor = null;
        do {
            var request = as(apiKey)
                    .queryParam("origin_owner_id", DemoMode.ORIGIN_OWNER_ID)
                    .queryParam("page_size", "200");
            if (cursor != null) {
                request = request.queryParam("cursor", cursor);
            }
            var page =
                    request.get("/v1/people").then().statusCode(200).extract().jsonPath();
            people.addAll(page.getList("data"));
            cursor = page.getString("next");
        } while (cursor != null);
        return people;
    }
}
