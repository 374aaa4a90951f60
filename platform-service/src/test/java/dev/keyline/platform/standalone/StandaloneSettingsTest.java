package dev.keyline.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StandaloneSettingsTest {

    @Test
    void offUnlessAskedFor() {
        StandaloneSettings settings = StandaloneSettings.from(Map.of(), new Properties());

        assertThat(settings.enabled()).isFalse();
        assertThat(settings.dataDir()).isEqualTo(Path.of("data").toAbsolutePath());
        assertThat(settings.httpPort()).isEqualTo(8080);
        assertThat(settings.postgresPort()).isEmpty();
    }

    @Test
    void environmentConfiguresDataDirAndPorts() {
        StandaloneSettings settings = StandaloneSettings.from(
                Map.of(
                        "KEYLINE_STANDALONE_ENABLED", "true",
                        "KEYLINE_DATA_DIR", "/var/lib/keyline",
                        "KEYLINE_PORT", "9090",
                        "KEYLINE_PG_PORT", "15432"),
                new Properties());

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.dataDir()).isEqualTo(Path.of("/var/lib/keyline"));
        assertThat(settings.masterKeyFile()).isEqualTo(Path.of("/var/lib/keyline/master.key"));
        assertThat(settings.postgresDataDir()).isEqualTo(Path.of("/var/lib/keyline/pg"));
        assertThat(settings.httpPort()).isEqualTo(9090);
        assertThat(settings.postgresPort()).isEqualTo(OptionalInt.of(15432));
    }

    @Test
    void systemPropertiesWin() {
        Properties properties = new Properties();
        properties.setProperty("keyline.standalone.enabled", "true");
        properties.setProperty("keyline.standalone.data-dir", "/srv/keyline");
        properties.setProperty("quarkus.http.port", "8181");

        StandaloneSettings settings =
                StandaloneSettings.from(Map.of("KEYLINE_DATA_DIR", "/elsewhere", "KEYLINE_PORT", "9090"), properties);

        assertThat(settings.enabled()).isTrue();
        assertThat(settings.dataDir()).isEqualTo(Path.of("/srv/keyline"));
        assertThat(settings.httpPort()).isEqualTo(8181);
    }

    @Test
    void badPortsAreRefusedByName() {
        assertThatThrownBy(() -> StandaloneSettings.from(Map.of("KEYLINE_PORT", "http"), new Properties()))
                .hasMessageContaining("KEYLINE_PORT");
        assertThatThrownBy(() -> StandaloneSettings.from(Map.of("KEYLINE_PG_PORT", "70000"), new Properties()))
                .hasMessageContaining("KEYLINE_PG_PORT");
    }
}
