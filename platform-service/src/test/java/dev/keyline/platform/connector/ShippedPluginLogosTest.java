package dev.keyline.platform.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.base.SafeSvg;
import dev.keyline.platform.support.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped connectors' plugin jars, as the build makes them (target/plugins), each carry a logo that passes the
 * platform's checks, read from inside the shaded jar through the plugin's own class loader.
 */
class ShippedPluginLogosTest {
    private static final Path BUILT = Path.of("target/plugins");

    @TempDir
    Path temp;

    @Test
    void everyShippedPluginHasASafeLogo() throws Exception {
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        for (String jar : new String[] {
            "connector-scim-generic-plugin.jar",
            "connector-keycloak-plugin.jar",
            "connector-okta-plugin.jar",
            "connector-entra-id-plugin.jar",
            "connector-google-workspace-plugin.jar"
        }) {
            assertThat(BUILT.resolve(jar)).as("the build copies %s", jar).exists();
            Files.copy(BUILT.resolve(jar), plugins.resolve(jar));
        }
        try (LogCapture log = LogCapture.install(ConnectorLogos.class.getName())) {
            var loaded = new ConnectorLoader().load(getClass().getClassLoader(), plugins);

            for (String id : new String[] {"onepassword", "scim", "keycloak", "okta", "entra_id", "google_workspace"}) {
                assertThat(loaded).as(id).containsKey(id);
                String uri = ConnectorView.of(loaded.get(id).descriptor()).logo();
                assertThat(uri).as(id).startsWith("data:image/svg+xml;base64,");
                String svg = new String(
                        Base64.getDecoder().decode(uri.substring("data:image/svg+xml;base64,".length())),
                        StandardCharsets.UTF_8);
                assertThat(SafeSvg.problem(svg, ConnectorLogos.MAX_BYTES))
                        .as(id)
                        .isEmpty();
            }
            assertThat(log.lines()).as("no logo dropped").isEmpty();
        }
    }
}
