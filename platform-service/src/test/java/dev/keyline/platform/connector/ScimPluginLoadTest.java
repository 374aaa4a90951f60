package dev.keyline.platform.connector;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.scimdouble.ScimGroup;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.ScimUser;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The generic SCIM connector ({@code scim}, module connector-scim-generic) as an ops team would install it: its
 * shaded jar is copied into an empty plugins directory and the platform started on it. The jar is built by the
 * reactor but kept off this module's class path, so everything here goes through the plugin class loader.
 */
@QuarkusTest
@TestProfile(ScimPluginLoadTest.PluginsDirectory.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
public class ScimPluginLoadTest {
    private static final String FACTORY = "dev.keyline.connector.genericscim.GenericScimConnectorFactory";

    /** A fresh plugins directory holding only the plugin jar the build made. */
    public static class PluginsDirectory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyline.connectors.plugins-dir", pluginsDir().toString());
        }

        /**
         * The shaded plugin jar in the directory of the jar the property names, whichever name the build gives it:
         * {@code connector-scim-generic-<version>-plugin.jar} (the plugin jar convention, preferred) or, before that
         * convention, the named {@code connector-scim-generic-<version>.jar}.
         */
        private static Path builtJar(Path named) {
            if (named.getParent() == null || !Files.isDirectory(named.getParent())) {
                return named;
            }
            try (var jars = Files.list(named.getParent())) {
                return jars.filter(p -> p.getFileName().toString().matches("connector-scim-generic-.+-plugin\\.jar"))
                        .findFirst()
                        .orElse(named);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static Path pluginsDir() {
            String built = System.getProperty("keyline.test.scim-plugin-jar");
            assertThat(built)
                    .as("system property keyline.test.scim-plugin-jar (set by platform-service's pom)")
                    .isNotBlank();
            Path jar = builtJar(Path.of(built));
            assertThat(jar)
                    .as("the plugin jar; build it with ./mvnw -pl platform-service -am verify")
                    .isRegularFile();
            try {
                Path dir = Files.createTempDirectory("keyline-plugins");
                Files.copy(jar, dir.resolve("keyline-scim-plugin.jar"));
                dir.toFile().deleteOnExit();
                dir.resolve("keyline-scim-plugin.jar").toFile().deleteOnExit();
                return dir;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    ConnectorRegistry registry;

    private ScimUpstream upstream;

    @AfterEach
    void stopUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void theConnectorIsNotOnTheClassPathButLoadedFromItsJar() {
        assertThatThrownBy(() -> Class.forName(FACTORY, false, getClass().getClassLoader()))
                .isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() ->
                        Class.forName(FACTORY, false, Thread.currentThread().getContextClassLoader()))
                .isInstanceOf(ClassNotFoundException.class);

        var factory = ((GuardedFactory) registry.require("scim")).plugin();
        assertThat(factory.getClass().getName()).isEqualTo(FACTORY);
        assertThat(factory.getClass().getClassLoader())
                .isInstanceOf(URLClassLoader.class)
                .extracting(ClassLoader::getName)
                .isEqualTo("connector-plugin:keyline-scim-plugin.jar");
        // Its SCIM client and JSON library travel inside the jar, relocated, not borrowed from the platform.
        ClassLoader plugin = factory.getClass().getClassLoader();
        assertThat(plugin.getResource("dev/keyline/connector/genericscim/shaded/scim/ScimClient.class"))
                .isNotNull();
        assertThat(plugin.getResource("dev/keyline/connector/scim/ScimClient.class"))
                .isNull();
    }

    @Test
    void getConnectorsListsThePluginWithItsDescriptor() {
        String scim = "data.find { it.id == 'scim' }";
        as(newTenant().apiKey())
                .get("/connectors")
                .then()
                .statusCode(200)
                .body("data.id", hasItem("scim"))
                .body("data.id", hasItem("onepassword"))
                .body(scim + ".display_name", equalTo("SCIM 2.0 (any provider)"))
                .body(scim + ".category", equalTo("iam"))
                .body(scim + ".setup_help.size()", equalTo(3))
                .body(scim + ".fields.key", equalTo(List.of("scim_url", "bearer_token")))
                .body(scim + ".fields.secret", equalTo(List.of(false, true)))
                .body(scim + ".fields.type", equalTo(List.of("url", "secret")))
                .body(
                        scim + ".capabilities",
                        equalTo(List.of("credential_validation", "users", "groups", "health_probe")));
    }

    @Test
    void anAccountLinkedWithThePluginIsReadLive() {
        upstream = ScimUpstream.builder().users(12).groups(3).seed(8).start();
        CreatedTenant tenant = newTenant();

        as(tenant.apiKey())
                .body(link("org-wrong", "not-the-token"))
                .post("/accounts")
                .then()
                .statusCode(422)
                .body("code", equalTo("invalid_credentials"))
                .body("detail", not(containsString("not-the-token")));

        String accountId = as(tenant.apiKey())
                .body(link("org-1", upstream.token()))
                .post("/accounts")
                .then()
                .statusCode(201)
                .body("provider", equalTo("scim"))
                .extract()
                .path("id");

        List<Map<String, Object>> users = readAll(tenant, accountId, "/iam/users?mode=live", 5);
        assertThat(users)
                .extracting(u -> u.get("remote_id"))
                .containsExactlyInAnyOrderElementsOf(
                        upstream.directory().users().stream().map(ScimUser::id).toList());
        List<Map<String, Object>> groups = readAll(tenant, accountId, "/iam/groups?mode=live", 2);
        assertThat(groups)
                .extracting(g -> g.get("remote_id"))
                .containsExactlyInAnyOrderElementsOf(upstream.directory().groups().stream()
                        .map(ScimGroup::id)
                        .toList());
    }

    @Test
    void theConnectUiOffersThePluginAndLinksWithIt() {
        upstream = ScimUpstream.builder().users(3).groups(1).seed(3).start();
        CreatedTenant tenant = newTenant();
        String token = as(tenant.apiKey())
                .body(Map.of("origin_owner_id", "org-ui", "origin_owner_name", "Org UI", "provider", "scim"))
                .post("/connect/sessions")
                .then()
                .statusCode(201)
                .extract()
                .path("token");

        as(token)
                .get("/connect/session")
                .then()
                .statusCode(200)
                .body("connectors.id", equalTo(List.of("scim")))
                .body("connectors[0].fields.key", equalTo(List.of("scim_url", "bearer_token")));
        as(token)
                .body(Map.of(
                        "provider",
                        "scim",
                        "credentials",
                        Map.of("scim_url", upstream.hostedBaseUrl(), "bearer_token", upstream.token())))
                .post("/connect/session/link")
                .then()
                .statusCode(200)
                .body("provider", equalTo("scim"))
                .body("account_id", notNullValue());
    }

    private Map<String, Object> link(String owner, String bearerToken) {
        return Map.of(
                "origin_owner_id",
                owner,
                "origin_owner_name",
                "Owner " + owner,
                "provider",
                "scim",
                "credentials",
                Map.of("scim_url", upstream.hostedBaseUrl() + "/", "bearer_token", bearerToken));
    }
}
