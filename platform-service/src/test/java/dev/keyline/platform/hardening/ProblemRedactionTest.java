package dev.keyline.platform.hardening;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Problem responses and the log lines of unexpected failures mask secrets, whatever carried them in. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class ProblemRedactionTest {
    private static final List<String> SECRETS = List.of(
            "kl_live_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd",
            "kl_cs_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd",
            "whsec_QWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXo=",
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl");

    @Test
    void secretsInFailuresNeverReachTheClientOrTheLog() throws Exception {
        for (String secret : SECRETS) {
            for (String probe : List.of("unexpected", "problem")) {
                Response response = given().queryParam("secret", secret).get("/hardening-probe/" + probe);
                assertThat(response.statusCode()).isIn(400, 500);
                assertThat(response.contentType()).startsWith("application/problem+json");
                assertThat(response.asString()).doesNotContain(secret).doesNotContain("IllegalStateException");
            }
            // A key pasted into a path comes back masked in `instance`.
            Response pasted = given().get("/accounts/" + secret);
            assertThat(pasted.asString()).doesNotContain(secret);
        }
        String log = Files.readString(HygieneFiles.LOG, StandardCharsets.UTF_8);
        assertThat(log).contains("Unexpected failure, incident").contains("[REDACTED]");
        for (String secret : SECRETS) {
            assertThat(log).doesNotContain(secret);
        }
    }
}
