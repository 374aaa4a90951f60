package dev.keyline.platform.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class ProblemMapperTest {

    @Test
    void unknownAddressIsAProblemDocument() {
        given().when()
                .get("/no/such/thing")
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE)
                .body("code", equalTo("not_found"))
                .body("status", equalTo(404))
                .body("type", equalTo("/problems/not_found"))
                .body("instance", equalTo("/no/such/thing"))
                .body(not(containsString("Exception")));
    }
}
