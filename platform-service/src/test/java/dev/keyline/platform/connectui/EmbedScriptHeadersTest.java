package dev.keyline.platform.connectui;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The embed script's caching: the plain URL is revalidated on every use (so a fix reaches browsers at once), the
 * versioned URL is the same bytes cached for good.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class EmbedScriptHeadersTest {

    /** The version of the npm package this script is built from (the tests run in platform-service/). */
    private static String packageVersion() throws IOException {
        return new ObjectMapper()
                .readTree(Files.readString(Path.of("..", "connect-js", "package.json")))
                .get("version")
                .asText();
    }

    private static byte[] checkedIn() throws IOException {
        try (InputStream in =
                EmbedScriptHeadersTest.class.getClassLoader().getResourceAsStream(EmbedScriptResource.SCRIPT)) {
            return in.readAllBytes();
        }
    }

    @Test
    void thePlainUrlMustBeRevalidatedAndAnswersNotModifiedForItsETag() throws IOException {
        var response = given().get("/connect/embed.js")
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-cache")
                .header("ETag", matchesPattern("\"[0-9a-f]{32}\""))
                .header("Content-Type", containsString("javascript"))
                .header("X-Content-Type-Options", "nosniff")
                .extract();
        assertThat(response.asByteArray()).isEqualTo(checkedIn());
        String etag = response.header("ETag");

        for (String ifNoneMatch : new String[] {etag, "W/" + etag, "\"other\", " + etag, "*"}) {
            given().header("If-None-Match", ifNoneMatch)
                    .get("/connect/embed.js")
                    .then()
                    .statusCode(304)
                    .header("ETag", etag)
                    .header("Cache-Control", "no-cache")
                    .body(emptyString());
        }
        given().header("If-None-Match", "\"0123456789abcdef0123456789abcdef\"")
                .get("/connect/embed.js")
                .then()
                .statusCode(200)
                .header("ETag", etag);
    }

    @Test
    void theVersionedUrlServesTheSameBytesCachedForAYear() throws IOException {
        String plainEtag = given().get("/connect/embed.js").header("ETag");

        byte[] body = given().get("/connect/embed-" + packageVersion() + ".js")
                .then()
                .statusCode(200)
                .header("Cache-Control", "public, max-age=31536000, immutable")
                .header("ETag", plainEtag)
                .header("Content-Type", containsString("javascript"))
                .header("Access-Control-Allow-Origin", "*")
                .extract()
                .asByteArray();
        assertThat(body).isEqualTo(checkedIn());
    }

    @Test
    void anotherVersionIsNotServedUnderThisOnesBytes() {
        given().get("/connect/embed-0.0.1.js").then().statusCode(404);
        given().get("/connect/embed-latest.js").then().statusCode(404);
    }

    @Test
    void headAnswersTheHeadersWithoutTheScript() throws IOException {
        given().head("/connect/embed.js")
                .then()
                .statusCode(200)
                .header("Cache-Control", "no-cache")
                .header("Content-Length", equalTo(String.valueOf(checkedIn().length)))
                .body(emptyString());
    }

    @Test
    void ifNoneMatchIsComparedWeaklyAndAsAList() {
        assertThat(EmbedScriptResource.matches(null, "\"a\"")).isFalse();
        assertThat(EmbedScriptResource.matches("\"b\"", "\"a\"")).isFalse();
        assertThat(EmbedScriptResource.matches("a", "\"a\""))
                .as("unquoted is another tag")
                .isFalse();
        assertThat(EmbedScriptResource.matches("\"b\" , W/\"a\"", "\"a\"")).isTrue();
        assertThat(EmbedScriptResource.matches("*", "\"a\"")).isTrue();
    }
}
