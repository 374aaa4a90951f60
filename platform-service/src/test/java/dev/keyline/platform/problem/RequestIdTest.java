package dev.keyline.platform.problem;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.LogCapture;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every answer carries {@code X-Request-Id}: the client's own when it is a plain token, a fresh one otherwise, and
 * problem bodies quote it, also for answers given before JAX-RS sees the request.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class RequestIdTest {
    private static final String MINE = "client-1234.abc:XYZ_9";

    @Test
    void aPlainClientIdIsEchoedOnSuccessAndInProblems() {
        Response ok = as(newTenant().apiKey()).header("X-Request-Id", MINE).get("/v1/tenant");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.header("X-Request-Id")).isEqualTo(MINE);

        Response unauthenticated = given().header("X-Request-Id", MINE).get("/v1/accounts");
        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(unauthenticated.header("X-Request-Id")).isEqualTo(MINE);
        assertThat(unauthenticated.jsonPath().getString("request_id")).isEqualTo(MINE);
    }

    @Test
    void anythingElseIsReplacedNeverReflected() {
        for (String sent :
                List.of("has spaces", "<script>alert(1)</script>", "x".repeat(65), "semi;colon", "", "caf\u00e9")) {
            Response response = given().header("X-Request-Id", sent).get("/v1/accounts");
            String answered = response.header("X-Request-Id");
            assertThat(answered).as("for %s", sent).isNotEqualTo(sent).matches("[A-Za-z0-9._:-]{1,64}");
            assertThat(response.jsonPath().getString("request_id")).isEqualTo(answered);
        }
    }

    @Test
    void withoutOneEachAnswerGetsAFreshId() {
        String first = given().get("/q/health/live").header("X-Request-Id");
        String second = given().get("/q/health/live").header("X-Request-Id");
        assertThat(first).isNotBlank();
        assertThat(second).isNotBlank().isNotEqualTo(first);
    }

    @Test
    void answersGivenBeforeJaxRsCarryItToo() {
        Response unknownPath = given().header("X-Request-Id", MINE).get("/no-such-thing/here");
        assertThat(unknownPath.statusCode()).isEqualTo(404);
        assertThat(unknownPath.header("X-Request-Id")).isEqualTo(MINE);

        Response tooLong = given().header("X-Request-Id", MINE).get("/v1/accounts?q=" + "a".repeat(9000));
        assertThat(tooLong.statusCode()).isEqualTo(414);
        assertThat(tooLong.header("X-Request-Id")).isEqualTo(MINE);
        assertThat(tooLong.jsonPath().getString("request_id")).isEqualTo(MINE);

        Response tooLarge = given().header("X-Request-Id", MINE)
                .contentType("application/json")
                .body("{\"a\":\"" + "b".repeat(70 * 1024) + "\"}")
                .post("/v1/accounts");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.header("X-Request-Id")).isEqualTo(MINE);
        assertThat(tooLarge.jsonPath().getString("request_id")).isEqualTo(MINE);
    }

    @Test
    void theLogLineOfAnUnexpectedFailureNamesTheRequest() {
        try (LogCapture log = LogCapture.install("dev.keyline.platform.problem")) {
            Response response = given().header("X-Request-Id", MINE + "-500").get("/hardening-probe/unexpected");
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.jsonPath().getString("request_id")).isEqualTo(MINE + "-500");
            assertThat(log.lines())
                    .anySatisfy(line ->
                            assertThat(line).contains("Unexpected failure").contains(MINE + "-500"));
        }
    }
}
