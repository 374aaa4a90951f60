package dev.keyline.platform.connectors;

import static dev.keyline.platform.support.TestApi.operator;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.connector.GuardedFactory;
import dev.keyline.platform.support.DefaultPluginsProfile;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The connectors Keyline ships come from the default plugins directory, each through a plugin class loader. */
@QuarkusTest
@TestProfile(DefaultPluginsTest.Shipped.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
class DefaultPluginsTest {
    private static final List<String> SHIPPED = List.of("scim", "keycloak", "okta", "entra_id", "google_workspace");

    public static class Shipped extends DefaultPluginsProfile {
        @Override
        protected Map<String, String> hostOverrides() {
            return Map.of();
        }
    }

    @Inject
    ConnectorRegistry registry;

    @Test
    void theIdentityProvidersAndOtherShippedConnectorsAreListedFromThePluginsDirectory() {
        List<String> listed = operator()
                .get("/connectors")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("data.id", String.class);
        assertThat(listed).containsAll(SHIPPED);
        assertThat(registry.refused()).as("no shipped plugin is refused").isEmpty();
        for (String id : SHIPPED) {
            GuardedFactory factory = (GuardedFactory) registry.find(id).orElseThrow();
            assertThat(factory.plugin().getClass().getClassLoader())
                    .as("%s is loaded from its plugin jar, not the class path", id)
                    .isInstanceOf(URLClassLoader.class);
        }
    }
}
