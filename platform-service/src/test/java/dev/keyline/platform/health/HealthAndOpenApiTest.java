package dev.keyline.platform.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.base.ConnectorFailures;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.credential.CredentialStoreProducer;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Default (test) configuration: PostgreSQL and the local credential store. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class HealthAndOpenApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    CredentialStoreProducer stores;

    @Test
    void readyReportsDatabaseAndCredentialStore() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("credential-store"))
                .body("checks.find { it.name == 'credential-store' }.status", equalTo("UP"))
                // The kind is whatever CredentialStore bean is active: other tests may replace it with a double.
                // Quarkus' own datasource check: a connection is validated against PostgreSQL.
                .body("checks.find { it.name == 'Database connections health check' }.status", equalTo("UP"));
    }

    @Test
    void liveIsUp() {
        given().when()
                .get("/q/health/live")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("keyline"));
    }

    @Test
    void localStoreIsSelectedByDefaultAndItsKeyFileIsOwnerOnly() throws Exception {
        assertThat(stores.configured().kind()).isEqualTo("local");
        Path keyFile = Path.of("target/keyline-test/master.key");
        assertThat(keyFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
    }

    @Test
    void openApiDocumentIsServed() {
        given().when().get("/q/openapi?format=json").then().statusCode(200).body("info.title", equalTo("Keyline API"));
    }

    @Test
    void openApiSchemasNamePropertiesAsTheJsonDoes() {
        given().when()
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("components.schemas.ScheduleRequest.properties.interval_seconds", notNullValue())
                .body("components.schemas.ScheduleRequest.properties.intervalSeconds", nullValue());
    }

    /**
     * The SDKs are generated from the document the build stores; it must be the one the service serves. Quarkus
     * stores the document after the build-time and start-up filters; a per-request filter (seen: with OpenApiDocument
     * as RUNTIME_PER_REQUEST this fails) would change the served one alone.
     */
    @Test
    void storedDocumentIsTheServedDocument() throws Exception {
        JsonNode served = JSON.readTree(given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        Path stored = Path.of("target/openapi/openapi.json");
        assertThat(stored).as("the document the build stores").exists();
        assertThat(JSON.readTree(stored.toFile())).isEqualTo(served);
        assertThat(served.at("/components/schemas/Problem/properties/code/enum").size())
                .as("the stored document has the filter's output")
                .isPositive();
    }

    /** What generators parse: swagger-parser (openapi-generator's parser) reads the document without a message. */
    @Test
    void documentParsesWithoutMessagesForGenerators() {
        String yaml = given().get("/q/openapi").then().statusCode(200).extract().asString();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(yaml, null, options);
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getPaths()).isNotEmpty();
    }

    @Test
    void problemCodeListsEveryFailureCode() {
        List<String> codes = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("components.schemas.Problem.properties.code.enum", String.class);
        assertThat(codes)
                .contains(Arrays.stream(FailureCode.values())
                        .map(FailureCode::wire)
                        .toArray(String[]::new));
        assertThat(codes)
                .contains(Arrays.stream(ErrorCode.values())
                        .map(ConnectorFailures::code)
                        .toArray(String[]::new));
    }

    /** A bearer API key (or OIDC token) and the connect session token; no openIdConnect scheme without a URL. */
    @Test
    void securitySchemesAreTheCredentialsKeylineTakes() {
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body("components.securitySchemes.keySet()", containsInAnyOrder("bearer", "connectSession"))
                .body("components.securitySchemes.bearer.type", equalTo("http"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("components.securitySchemes.connectSession.scheme", equalTo("bearer"))
                .body("servers.url", hasItem("http://localhost:8080"))
                .body("info.description", containsString("/v1"));
    }

    @Test
    void swaggerUiIsServed() {
        given().when().get("/swagger-ui/").then().statusCode(200).contentType(containsString("text/html"));
    }
}
