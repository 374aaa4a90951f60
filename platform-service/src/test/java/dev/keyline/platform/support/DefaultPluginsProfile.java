package dev.keyline.platform.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The service as it ships: the connector plugins of the default plugins directory (platform-service/target/plugins,
 * which the build fills), loaded through the plugin class loader, with an operator's host overrides sending a
 * provider's real hosts to the test's double. A test class extends this with the overrides its double needs. Start
 * the double in a test resource the profile declares ({@link #testResources()}) and inject it into the test: the
 * profile is loaded by another class loader than the test, so a double in a static field would exist twice.
 */
public abstract class DefaultPluginsProfile implements QuarkusTestProfile {

    /** Provider host name to the double's base URL, as {@code keyline.egress.host-overrides} takes them. */
    protected abstract Map<String, String> hostOverrides();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("keyline.connectors.plugins-dir", directory().toString());
        hostOverrides().forEach((host, base) -> config.put("keyline.egress.host-overrides.\"" + host + "\"", base));
        return config;
    }

    /** The default plugins directory the build made. */
    public static Path directory() {
        String dir = System.getProperty("keyline.test.default-plugins-dir");
        assertThat(dir)
                .as("system property keyline.test.default-plugins-dir (set by platform-service's pom)")
                .isNotBlank();
        Path path = Path.of(dir);
        assertThat(Files.isDirectory(path))
                .as("%s exists (the build copies the plugins there)", path)
                .isTrue();
        return path;
    }
}
