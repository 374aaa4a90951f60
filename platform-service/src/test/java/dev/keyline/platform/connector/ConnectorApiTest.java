package dev.keyline.platform.connector;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.operator;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.keyline.connector.spi.Capability;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class ConnectorApiTest {

    @Test
    void tenantsSeeTheDescriptorsInSnakeCaseWithSecretFlags() {
        String path = "data.find { it.id == '" + FakeScimConnectorFactory.ID + "' }";
        as(newTenant().apiKey())
                .get("/connectors")
                .then()
                .statusCode(200)
                .body("data.id", hasItem(FakeScimConnectorFactory.ID))
                // One list shape everywhere: the handful of connectors is one page, and says so.
                .body("$", org.hamcrest.Matchers.hasKey("next"))
                .body("next", org.hamcrest.Matchers.nullValue())
                .body(path + ".display_name", equalTo("Fake SCIM"))
                .body(path + ".setup_help", equalTo(List.of("Paste the SCIM URL and a bearer token.")))
                .body(path + ".fields.key", equalTo(List.of("scim_url", "token")))
                .body(path + ".fields.secret", equalTo(List.of(false, true)))
                .body(path + ".fields.type", equalTo(List.of("url", "secret")))
                // The connect UI asks for the secrets again when a routing field is edited.
                .body(path + ".fields.routing", equalTo(List.of(true, false)))
                .body(path + ".capabilities", equalTo(List.of("credential_validation")));
    }

    /** A shipped connector's own mark reaches the picker as a data URI, and passes the checks a plugin's would. */
    @Test
    void shippedConnectorsServeTheirLogosAsDataUris() {
        var data = as(newTenant().apiKey())
                .get("/connectors")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        // The other shipped connectors are plugin jars here; ShippedPluginLogosTest loads them.
        String logo = data.getString("data.find { it.id == 'onepassword' }.logo");
        assertThat(logo).startsWith("data:image/svg+xml;base64,");
        String svg = new String(
                java.util.Base64.getDecoder().decode(logo.substring("data:image/svg+xml;base64,".length())),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(dev.keyline.platform.base.SafeSvg.problem(svg, ConnectorLogos.MAX_BYTES))
                .isEmpty();
        assertThat(data.getString("data.find { it.id == '" + FakeScimConnectorFactory.ID + "' }.logo"))
                .as("a connector without a logo")
                .isNull();
        assertThat(data.getMap("data.find { it.id == '" + FakeScimConnectorFactory.ID + "' }"))
                .containsKey("logo");
    }

    @Test
    void theDocumentListsEveryCapabilityByItsWireName() {
        List<String> wire = Arrays.stream(Capability.values())
                .map(c -> c.name().toLowerCase(Locale.ROOT))
                .toList();
        var document = given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(document.getList("components.schemas.ConnectorCapability.enum", String.class))
                .containsExactlyInAnyOrderElementsOf(wire);
        assertThat(document.getString("components.schemas.ConnectorView.properties.capabilities.items.$ref"))
                .isEqualTo("#/components/schemas/ConnectorCapability");
    }

    @Test
    void oneConnectorByIdAndUnknownIdsAre404() {
        operator().get("/connectors/{id}", FakeScimConnectorFactory.ID).then().statusCode(200);
        operator().get("/connectors/nope").then().statusCode(404).body("code", equalTo("not_found"));
    }

    @Test
    void listingConnectorsNeedsAuthentication() {
        given().get("/connectors").then().statusCode(401);
    }
}
