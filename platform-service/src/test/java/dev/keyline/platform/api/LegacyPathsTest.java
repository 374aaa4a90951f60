package dev.keyline.platform.api;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.operator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class LegacyPathsTest {

    @Test
    void versionedPathsAnswerWithoutDeprecation() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .get("/v1/accounts")
                .then()
                .statusCode(200)
                .header("Deprecation", nullValue())
                .header("Link", nullValue());
    }

    @Test
    void unversionedPathsAreDeprecatedAliasesWithTheirQuery() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .get("/accounts?page_size=1")
                .then()
                .statusCode(200)
                .header("Deprecation", equalTo(LegacyPaths.DEPRECATED_SINCE))
                .header("Link", equalTo("</v1/accounts>; rel=\"successor-version\""));
        operator()
                .get("/tenants/{id}", tenant.id())
                .then()
                .statusCode(200)
                .header("Link", equalTo("</v1/tenants/" + tenant.id() + ">; rel=\"successor-version\""))
                .body("id", equalTo(tenant.id()));
    }

    @Test
    void errorsOnAliasesAreTheSameProblemsAndStillDeprecated() {
        as(newTenant().apiKey())
                .get("/accounts/acc_nope")
                .then()
                .statusCode(404)
                .header("Deprecation", equalTo(LegacyPaths.DEPRECATED_SINCE))
                .body("code", equalTo("not_found"));
    }

    @Test
    void escapedCharactersInAliasedIdsReachTheResource() {
        given().urlEncodingEnabled(false)
                .header("Authorization", "Bearer " + newTenant().apiKey())
                .get("/accounts/%20%F0%9F%92%A5")
                .then()
                .statusCode(404)
                .header("Deprecation", equalTo(LegacyPaths.DEPRECATED_SINCE));
    }

    @Test
    void onlyWholeSegmentsOfTheOldRootsAreAliases() {
        assertThat(LegacyPaths.isLegacy("/accounts")).isTrue();
        assertThat(LegacyPaths.isLegacy("/accounts/a/syncs")).isTrue();
        assertThat(LegacyPaths.isLegacy("/tenant")).isTrue();
        assertThat(LegacyPaths.isLegacy("/connect/session/link")).isTrue();
        assertThat(LegacyPaths.isLegacy("/tenantsx")).isFalse();
        assertThat(LegacyPaths.isLegacy("/connect/ui/cs_1")).isFalse();
        assertThat(LegacyPaths.isLegacy("/v1/accounts")).isFalse();
        assertThat(LegacyPaths.isLegacy("/q/health")).isFalse();
    }
}
