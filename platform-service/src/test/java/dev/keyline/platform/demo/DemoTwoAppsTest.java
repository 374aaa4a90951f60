package dev.keyline.platform.demo;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.connector.ScimPluginLoadTest;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * `./keyline demo` with the generic SCIM connector installed, as the script does: a second app for the same customer
 * shares people with the bridge, next to a guest and a service account, and the bridge has its admins.
 */
@QuarkusTest
@TestProfile(ScimPluginLoadTest.PluginsDirectory.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class DemoTwoAppsTest {

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

    private static Map<String, Object> byAddress(List<Map<String, Object>> users, String address) {
        return users.stream()
                .filter(u -> address.equalsIgnoreCase((String) u.get("primary_email_address")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no user with address " + address));
    }
}
