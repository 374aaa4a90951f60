package dev.keyline.platform.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.keyline.platform.credential.CredentialStoreProducer;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** Default (test) configuration: PostgreSQL and the local credential store. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
class HealthAndOpenApiTest {

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

    @Test
    void swaggerUiIsServed() {
        given().when().get("/swagger-ui/").then().statusCode(200).contentType(containsString("text/html"));
    }
}
