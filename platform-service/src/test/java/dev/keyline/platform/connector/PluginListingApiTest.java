package dev.keyline.platform.connector;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.operator;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.keyline.connector.spi.SpiVersion;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.FakeScimConnectorFactory;
import dev.keyline.platform.support.PluginJars;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service started on a plugins directory holding a good plugin and one built for a newer SPI: it starts, tenants
 * see the good one and a summary of the refused one (no host path), and operators see both with jar, version and SPI
 * version.
 */
@QuarkusTest
@TestProfile(PluginListingApiTest.GoodAndRefused.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class PluginListingApiTest {

    /** A fresh plugins directory with {@code good.jar} (SPI 2, version 2.0.1) and {@code newer.jar} (SPI 4, newer than this API). */
    public static class GoodAndRefused implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("keyline-plugins");
                plugin("good", "good-hr")
                        .manifest("Keyline-Connector-SPI", "2")
                        .manifest("Implementation-Title", "good-hr")
                        .manifest("Implementation-Version", "2.0.1")
                        .writeTo(dir.resolve("good.jar"));
                plugin("newer", "newer-hr")
                        .manifest("Keyline-Connector-SPI", "4")
                        .manifest("Implementation-Version", "9.0.0")
                        .writeTo(dir.resolve("newer.jar"));
                return Map.of("keyline.connectors.plugins-dir", dir.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static PluginJars plugin(String pkg, String id) {
            return PluginJars.builder()
                    .source(pkg + ".Factory", """
                            package %s;
                            import dev.keyline.connector.spi.*;
                            public class Factory implements ConnectorFactory {
                                public ConnectorDescriptor descriptor() {
                                    return ConnectorDescriptor.builder("%s").displayName("HR").description("An HR API.")
                                            .fields(CredentialField.builder("token").secret().label("Token")
                                                    .help("A token.").build())
                                            .build();
                                }
                                public Connector create(ConnectorConfig config, ConnectorContext context) {
                                    return () -> {};
                                }
                            }
                            """.formatted(pkg, id))
                    .factory(pkg + ".Factory");
        }
    }

    @Test
    void tenantsSeeTheGoodPluginAndWhyTheOtherWasRefusedWithoutHostPaths() {
        as(newTenant().apiKey())
                .get("/connectors")
                .then()
                .statusCode(200)
                .body("data.id", hasItem("good-hr"))
                .body("data.id", hasItem(FakeScimConnectorFactory.ID))
                .body("data.id", not(hasItem("newer-hr")))
                .body("data.find { it.id == 'good-hr' }.auth_kinds", equalTo(List.of("fields")))
                .body("refused.size()", equalTo(1))
                .body("refused[0].jar_name", equalTo("newer.jar"))
                .body("refused[0].id", nullValue())
                .body("refused[0].code", equalTo("spi_version_unsupported"))
                .body("refused[0].reason", equalTo(ConnectorResource.summary("spi_version_unsupported")))
                .body("refused.reason", everyItem(not(org.hamcrest.Matchers.containsString("/"))));
    }

    @Test
    void operatorsSeeEveryConnectorWithJarVersionAndSpiVersion() {
        String good = "data.find { it.id == 'good-hr' }";
        String newer = "data.find { it.jar != null && it.jar.endsWith('newer.jar') }";
        String builtIn = "data.find { it.id == '" + FakeScimConnectorFactory.ID + "' }";
        operator()
                .get("/v1/operator/connectors")
                .then()
                .statusCode(200)
                .body("next", nullValue())
                .body(good + ".source", equalTo("plugin"))
                .body(good + ".jar", endsWith("good.jar"))
                .body(good + ".jar", startsWith("/"))
                .body(good + ".version", equalTo("2.0.1"))
                .body(good + ".spi_version", equalTo(2))
                .body(good + ".status", equalTo("loaded"))
                .body(good + ".code", nullValue())
                .body(builtIn + ".source", equalTo("classpath"))
                .body(builtIn + ".jar", nullValue())
                .body(builtIn + ".spi_version", equalTo(SpiVersion.CURRENT))
                .body(builtIn + ".status", equalTo("loaded"))
                .body(newer + ".status", equalTo("refused"))
                .body(newer + ".source", equalTo("plugin"))
                .body(newer + ".version", equalTo("9.0.0"))
                .body(newer + ".spi_version", equalTo(4))
                .body(newer + ".code", equalTo("spi_version_unsupported"))
                .body(
                        newer + ".reason",
                        equalTo("It was built for SPI 4; this Keyline provides SPI 3 and runs plugins of SPI 1 to 3."));
    }

    @Test
    void tenantsCannotReadTheOperatorListing() {
        as(newTenant().apiKey())
                .get("/v1/operator/connectors")
                .then()
                .statusCode(403)
                .body("code", equalTo("forbidden"));
    }
}
