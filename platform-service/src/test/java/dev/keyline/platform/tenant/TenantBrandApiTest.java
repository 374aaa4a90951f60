package dev.keyline.platform.tenant;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.operator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** {@code PATCH /tenant} sets the connect page's brand as a merge patch; {@code GET /tenant} shows it, defaults filled. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class TenantBrandApiTest {
    private static final String PNG = BrandRulesTest.PNG;

    @Inject
    DataSource dataSource;

    @Inject
    TenantService tenants;

    @Test
    void aNewTenantShowsTheDefaultBrand() {
        as(newTenant().apiKey())
                .get("/tenant")
                .then()
                .statusCode(200)
                .body("brand.logo", nullValue())
                .body("brand.primary_color", nullValue())
                .body("brand.appearance", equalTo("system"))
                .body("brand.hide_keyline", equalTo(false));
    }

    @Test
    void theBrandRoundTripsAndChangesMemberByMember() {
        CreatedTenant tenant = newTenant();
        Map<String, Object> brand =
                Map.of("logo", PNG, "primary_color", "#1A73E8", "appearance", "dark", "hide_keyline", true);
        as(tenant.apiKey())
                .body(Map.of("brand", brand))
                .patch("/tenant")
                .then()
                .statusCode(200)
                .body("brand.logo", equalTo(PNG))
                .body("brand.primary_color", equalTo("#1a73e8"))
                .body("brand.appearance", equalTo("dark"))
                .body("brand.hide_keyline", equalTo(true));
        as(tenant.apiKey())
                .get("/tenant")
                .then()
                .body("brand.logo", equalTo(PNG))
                .body("brand.appearance", equalTo("dark"));
        assertThat(Sql.rows(dataSource, "select * from tenants where id = ?", tenant.id())
                        .get(0))
                .containsEntry("brand_primary_color", "#1a73e8")
                .containsEntry("brand_appearance", "dark")
                .containsEntry("brand_logo", PNG);

        // An absent member stays; a given one replaces.
        as(tenant.apiKey())
                .body(Map.of("brand", Map.of("appearance", "light")))
                .patch("/tenant")
                .then()
                .statusCode(200)
                .body("brand.appearance", equalTo("light"))
                .body("brand.logo", equalTo(PNG))
                .body("brand.primary_color", equalTo("#1a73e8"))
                .body("brand.hide_keyline", equalTo(true));

        // Other settings leave the brand alone.
        as(tenant.apiKey())
                .body(Map.of("name", "Renamed"))
                .patch("/tenant")
                .then()
                .body("brand.logo", equalTo(PNG));

        // A member given as null goes back to its default: "logo": null removes the logo, and only it.
        Map<String, Object> removeLogo = new HashMap<>();
        removeLogo.put("logo", null);
        removeLogo.put("hide_keyline", null);
        as(tenant.apiKey())
                .body(Map.of("brand", removeLogo))
                .patch("/tenant")
                .then()
                .statusCode(200)
                .body("brand.logo", nullValue())
                .body("brand.hide_keyline", equalTo(false))
                .body("brand.primary_color", equalTo("#1a73e8"))
                .body("brand.appearance", equalTo("light"));

        // "brand": null resets every member.
        Map<String, Object> reset = new HashMap<>();
        reset.put("brand", null);
        as(tenant.apiKey())
                .body(reset)
                .patch("/tenant")
                .then()
                .statusCode(200)
                .body("brand.primary_color", nullValue())
                .body("brand.appearance", equalTo("system"));
        assertThat(tenants.brand(tenant.id())).isEqualTo(new Brand(null, null, null, null));
    }

    @Test
    void eachBadMemberIsRefusedByNameAndNothingIsWritten() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .body(Map.of("brand", Map.of("appearance", "dark")))
                .patch("/tenant")
                .then()
                .statusCode(200);
        refused(tenant, Map.of("primary_color", "red"), "brand.primary_color");
        refused(tenant, Map.of("primary_color", 123456), "brand.primary_color");
        refused(tenant, Map.of("appearance", "sepia"), "brand.appearance");
        refused(tenant, Map.of("hide_keyline", "yes"), "brand.hide_keyline");
        refused(tenant, Map.of("logo", "https://cdn.example/logo.png"), "brand.logo");
        refused(tenant, Map.of("logo", "data:image/gif;base64,R0lGODlhAQABAAAAACw="), "brand.logo");
        refused(tenant, Map.of("font", "Comic Sans"), "brand.font");
        refused(tenant, "blue", "brand");
        // Refused as a whole: the valid name beside the bad colour is not written either.
        as(tenant.apiKey())
                .body(Map.of("name", "Half", "brand", Map.of("primary_color", "#12345g")))
                .patch("/tenant")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_brand"));
        as(tenant.apiKey())
                .get("/tenant")
                .then()
                .body("name", org.hamcrest.Matchers.not(equalTo("Half")))
                .body("brand.appearance", equalTo("dark"))
                .body("brand.primary_color", nullValue());
    }

    @Test
    void anSvgLogoWithAScriptIsRefusedAndASafeOneKept() {
        CreatedTenant tenant = newTenant();
        String evil = BrandRulesTest.svgLogo(
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.cookie)</script></svg>");
        as(tenant.apiKey())
                .body(Map.of("brand", Map.of("logo", evil)))
                .patch("/tenant")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_brand"))
                .body("field", equalTo("brand.logo"))
                .body("detail", containsString("<script>"));
        String onload = BrandRulesTest.svgLogo("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>");
        refused(tenant, Map.of("logo", onload), "brand.logo");
        String safe = BrandRulesTest.svgLogo(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><rect width=\"8\" height=\"8\"/></svg>");
        as(tenant.apiKey())
                .body(Map.of("brand", Map.of("logo", safe)))
                .patch("/tenant")
                .then()
                .statusCode(200)
                .body("brand.logo", equalTo(safe));
    }

    @Test
    void aTenantSeesAndChangesOnlyItsOwnBrandAndOperatorsSeeEach() {
        CreatedTenant mine = newTenant();
        CreatedTenant theirs = newTenant();
        as(mine.apiKey())
                .body(Map.of("brand", Map.of("primary_color", "#112233", "logo", PNG)))
                .patch("/tenant")
                .then()
                .statusCode(200);

        as(theirs.apiKey())
                .get("/tenant")
                .then()
                .body("brand.primary_color", nullValue())
                .body("brand.logo", nullValue());
        operator()
                .get("/tenants/{id}", mine.id())
                .then()
                .statusCode(200)
                .body("brand.primary_color", equalTo("#112233"));
        operator()
                .body(Map.of("brand", Map.of("appearance", "dark")))
                .patch("/tenants/{id}", theirs.id())
                .then()
                .statusCode(200)
                .body("brand.appearance", equalTo("dark"));
        as(mine.apiKey()).get("/tenant").then().body("brand.appearance", equalTo("system"));
        assertThat(tenants.brand(mine.id()).primaryColor()).isEqualTo("#112233");
        assertThat(tenants.brand(theirs.id()).primaryColor()).isNull();
    }

    private static void refused(CreatedTenant tenant, Object brand, String field) {
        as(tenant.apiKey())
                .body(Map.of("brand", brand))
                .patch("/tenant")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_brand"))
                .body("field", equalTo(field));
    }
}
