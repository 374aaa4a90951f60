package dev.keyline.platform.auth;

import static dev.keyline.platform.support.TestApi.accessToken;
import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.keyline.platform.problem.Problem;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import java.security.KeyPairGenerator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class OidcAuthTest {

    @Test
    void anAccessTokenNamingATenantActsForThatTenant() {
        CreatedTenant tenant = newTenant();
        String token = accessToken("svc-acme", tenant.id(), List.of());
        as(token).get("/tenant").then().statusCode(200).body("id", equalTo(tenant.id()));
        as(token)
                .body(Map.of("origin_owner_id", "org-1", "origin_owner_name", "Org 1"))
                .post("/connect/sessions")
                .then()
                .statusCode(201)
                .body("token", startsWith("kl_cs_"));
    }

    @Test
    void anAccessTokenWithoutTheTenantClaimIsRefused() {
        String token = accessToken("someone", null, List.of());
        as(token).get("/accounts").then().statusCode(403).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void theTenantRoleFromTheIdpAloneDoesNotMakeATenant() {
        String token = accessToken("someone", null, List.of("tenant"));
        as(token).get("/accounts").then().statusCode(403);
    }

    @Test
    void anAccessTokenNamingAnUnknownTenantIsRefused() {
        String token = accessToken("someone", "no-such-tenant", List.of());
        as(token).get("/accounts").then().statusCode(403);
    }

    @Test
    void theOperatorRoleManagesTenantsButIsNoTenant() {
        String token = accessToken("ops", null, List.of("operator"));
        as(token).body(Map.of("name", "Via OIDC")).post("/tenants").then().statusCode(201);
        as(token).get("/accounts").then().statusCode(403);
    }

    @Test
    void aTenantAccessTokenCannotManageTenants() {
        CreatedTenant tenant = newTenant();
        as(accessToken("svc", tenant.id(), List.of())).get("/tenants").then().statusCode(403);
    }

    @Test
    void aTokenSignedByAnotherKeyIsUnauthorized() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String forged = Jwt.claims()
                .subject("mallory")
                .issuer(TestAuthResource.ISSUER)
                .groups("operator")
                .sign(generator.generateKeyPair().getPrivate());
        as(forged).get("/tenants").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void aTokenForAnotherAudienceIsUnauthorized() {
        CreatedTenant tenant = newTenant();
        String forOtherApi = Jwt.claims()
                .subject("svc")
                .issuer(TestAuthResource.ISSUER)
                .audience("some-other-api")
                .claim("keyline_tenant", tenant.id())
                .sign();
        as(forOtherApi).get("/tenant").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        String operatorForOtherApi = Jwt.claims()
                .subject("ops")
                .issuer(TestAuthResource.ISSUER)
                .audience("some-other-api")
                .groups("operator")
                .sign();
        as(operatorForOtherApi).get("/tenants").then().statusCode(401);
    }

    @Test
    void aTokenWithoutAnAudienceIsUnauthorized() {
        CreatedTenant tenant = newTenant();
        String noAudience = Jwt.claims()
                .subject("svc")
                .issuer(TestAuthResource.ISSUER)
                .claim("keyline_tenant", tenant.id())
                .sign();
        as(noAudience).get("/tenant").then().statusCode(401);
    }

    @Test
    void apiKeysAndAccessTokensWorkSideBySide() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey()).get("/connectors").then().statusCode(200);
        as(accessToken("svc", tenant.id(), List.of())).get("/connectors").then().statusCode(200);
    }
}
