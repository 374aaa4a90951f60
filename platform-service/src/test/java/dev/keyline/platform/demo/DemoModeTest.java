package dev.keyline.platform.demo;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class DemoModeTest {

    @Inject
    DemoMode demo;

    @Test
    void theDemoLinksItsUpstreamAndThePrintedCommandsReadIt() throws Exception {
        newTenant(); // the demo needs at least one tenant, as standalone mode's bootstrap provides
        DemoMode.DemoSetup setup = demo.setUp();

        as(setup.apiKey())
                .header("x-account-id", setup.accountId())
                .queryParam("page_size", "1000")
                .get("/iam/users")
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(setup.users()))
                .body("next", equalTo(null));
        as(setup.apiKey())
                .get("/accounts/" + setup.accountId())
                .then()
                .statusCode(200)
                .body("status", equalTo("active"))
                .body("origin_owner_id", equalTo(DemoMode.ORIGIN_OWNER_ID));

        String banner = DemoMode.banner(8080, setup);
        assertThat(banner)
                .contains("curl -s -H 'Authorization: Bearer " + setup.apiKey() + "' -H 'x-account-id: "
                        + setup.accountId() + "' 'http://localhost:8080/v1/iam/users?page_size=5'")
                .contains(setup.upstreamUrl());
        // Linking by hand through the connect UI needs the bridge's URL and its (demo double's) token.
        assertThat(banner).contains("SCIM bridge URL: " + setup.upstreamUrl());
        java.util.regex.Matcher printed =
                java.util.regex.Pattern.compile("bearer token: +(\\S+)").matcher(banner);
        assertThat(printed.find())
                .as("the banner prints the bridge's token: %s", banner)
                .isTrue();
        assertThat(scimStatus(setup.upstreamUrl(), printed.group(1))).isEqualTo(200);
        assertThat(scimStatus(setup.upstreamUrl(), "not-the-token")).isEqualTo(401);
    }

    private static int scimStatus(String baseUrl, String token) throws Exception {
        java.net.http.HttpResponse<Void> response = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl + "/Users?count=1"))
                                .header("Authorization", "Bearer " + token)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
    }

    @Test
    void runningTheDemoAgainUpdatesTheSameAccount() {
        newTenant();
        DemoMode.DemoSetup first = demo.setUp();
        DemoMode.DemoSetup second = demo.setUp();
        assertThat(second.accountId()).isEqualTo(first.accountId());
        as(second.apiKey())
                .header("x-account-id", second.accountId())
                .get("/iam/users")
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(25));
    }
}
