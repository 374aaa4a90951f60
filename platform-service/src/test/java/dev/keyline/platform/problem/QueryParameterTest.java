package dev.keyline.platform.problem;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.read;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One paging parameter, {@code cursor}, on every list endpoint ({@code next} stays on /iam/* as a deprecated alias),
 * and a misspelled or unknown query parameter answered {@code 400 unknown_parameter} instead of being ignored.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class QueryParameterTest {
    private static final int USERS = 7;

    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stopUpstreams() {
        upstreams.forEach(ScimUpstream::close);
    }

    @Test
    void aMisspelledFilterIsRefusedWithASuggestion() {
        CreatedTenant tenant = newTenant();
        String account = link(tenant);
        read(tenant, account)
                .queryParam("emial", "x@example.com")
                .get("/iam/users")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("unknown_parameter"))
                .body("field", equalTo("emial"))
                .body("detail", containsString("`emial`"))
                .body("detail", containsString("did you mean `email`?"));
    }

    @Test
    void anUnknownParameterIsRefusedOnEveryKindOfEndpoint() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .queryParam("cursr", "x")
                .get("/accounts")
                .then()
                .statusCode(400)
                .body("code", equalTo("unknown_parameter"))
                .body("detail", containsString("did you mean `cursor`?"));
        as(tenant.apiKey())
                .queryParam("next", "x")
                .get("/webhooks")
                .then()
                .statusCode(400)
                .body("code", equalTo("unknown_parameter"))
                .body("detail", containsString("did you mean `cursor`?"));
        as(tenant.apiKey())
                .queryParam("verbose", "1")
                .get("/webhooks")
                .then()
                .statusCode(400)
                .body("code", equalTo("unknown_parameter"))
                .body("field", equalTo("verbose"))
                .body("detail", not(containsString("did you mean")));
        // An endpoint without any query parameter.
        as(tenant.apiKey())
                .queryParam("page_size", "5")
                .get("/connectors")
                .then()
                .statusCode(400)
                .body("code", equalTo("unknown_parameter"));
        // Known parameters still pass.
        as(tenant.apiKey()).queryParam("page_size", "5").get("/accounts").then().statusCode(200);
    }

    @Test
    void credentialsAreCheckedBeforeParameters() {
        given().queryParam("emial", "x").get("/accounts").then().statusCode(401);
    }

    @Test
    void iamListsPageWithCursorAndTheDeprecatedNextAlias() {
        CreatedTenant tenant = newTenant();
        String account = link(tenant);
        assertThat(walk(tenant, account, "cursor")).hasSize(USERS);
        assertThat(walk(tenant, account, "next")).hasSize(USERS);

        String cursor = read(tenant, account)
                .queryParam("page_size", "2")
                .get("/iam/users")
                .then()
                .statusCode(200)
                .extract()
                .path("next");
        read(tenant, account)
                .queryParam("cursor", cursor)
                .queryParam("next", cursor)
                .get("/iam/users")
                .then()
                .statusCode(400)
                .body("code", equalTo("conflicting_parameters"))
                .body("detail", containsString("`cursor`"));
        String groupCursor = read(tenant, account)
                .queryParam("page_size", "1")
                .get("/iam/groups")
                .then()
                .statusCode(200)
                .extract()
                .path("next");
        read(tenant, account)
                .queryParam("page_size", "1")
                .queryParam("cursor", groupCursor)
                .get("/iam/groups")
                .then()
                .statusCode(200);
    }

    @Test
    void theRunAndChangeListsTakeCursorAndSuggestItForAMisspelling() {
        CreatedTenant tenant = newTenant();
        String account = link(tenant);
        for (String list : List.of("syncs", "changes")) {
            String path = "/v1/accounts/" + account + "/" + list;
            as(tenant.apiKey())
                    .queryParam("cursr", "x")
                    .get(path)
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("unknown_parameter"))
                    .body("detail", containsString("did you mean `cursor`?"));
            // A declared parameter: judged as a cursor (and refused as a forged one), not as an unknown name.
            as(tenant.apiKey())
                    .queryParam("cursor", "x")
                    .get(path)
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("invalid_cursor"))
                    .body("field", equalTo("cursor"));
            as(tenant.apiKey())
                    .queryParam("page_size", "1")
                    .get(path)
                    .then()
                    .statusCode(200)
                    .body("$", hasKey("next"));
        }
    }

    @Test
    void theOpenApiDocumentNamesCursorAndMarksNextDeprecated() {
        JsonPath doc = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        for (String path : List.of("/v1/iam/users", "/v1/iam/groups")) {
            List<String> names = doc.getList("paths.'" + path + "'.get.parameters.name");
            assertThat(names).as(path).contains("cursor", "next");
            Boolean deprecated = doc.get("paths.'" + path + "'.get.parameters.find { it.name == 'next' }.deprecated");
            assertThat(deprecated).as(path + " next is deprecated").isTrue();
        }
    }

    /** Every user id, following each page's `next` through the given request parameter. */
    private static Set<String> walk(CreatedTenant tenant, String account, String parameter) {
        Set<String> ids = new HashSet<>();
        String cursor = null;
        for (int pages = 0; pages < 20; pages++) {
            var request = read(tenant, account).queryParam("page_size", "2");
            if (cursor != null) {
                request.queryParam(parameter, cursor);
            }
            JsonPath page =
                    request.get("/iam/users").then().statusCode(200).extract().jsonPath();
            ids.addAll(page.getList("data.id"));
            cursor = page.getString("next");
            if (cursor == null) {
                return ids;
            }
        }
        throw new AssertionError("`" + parameter + "` never reached the last page: the cursor is ignored");
    }

    private String link(CreatedTenant tenant) {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(USERS)
                .groups(3)
                .membershipsPerUser(1)
                .seed(11)
                .urlForms(UrlForm.BRIDGE)
                .token("upstream-token-query-0123456789")
                .start();
        upstreams.add(upstream);
        return linkOnePassword(tenant, "org-" + upstream.port(), upstream);
    }
}
