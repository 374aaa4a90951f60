package dev.keyline.platform.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.support.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configured plugins directory that does not exist is a start-up warning; the default one's absence is not. */
class PluginsDirWarningTest {
    @TempDir
    Path temp;

    private LogCapture log;

    @BeforeEach
    void install() {
        log = LogCapture.install(ConnectorRegistry.class.getName());
    }

    @AfterEach
    void remove() {
        log.close();
    }

    @Test
    void aConfiguredDirectoryThatDoesNotExistIsAWarning() {
        ConnectorRegistry.announcePluginsDir(temp.resolve("mistyped"));

        assertThat(atLeast(Level.WARNING))
                .singleElement()
                .satisfies(e -> assertThat(e.line())
                        .contains(temp.resolve("mistyped").toString())
                        .contains("keyline.connectors.plugins-dir"));
    }

    @Test
    void theDefaultDirectoryMissingIsOnlyInformation() {
        assertThat(Path.of("plugins"))
                .as("no plugins directory where the tests run")
                .doesNotExist();

        ConnectorRegistry.announcePluginsDir(Path.of("./plugins"));

        assertThat(atLeast(Level.WARNING)).isEmpty();
        assertThat(log.entries())
                .singleElement()
                .satisfies(e -> assertThat(e.level()).isEqualTo(Level.INFO));
    }

    @Test
    void anExistingDirectoryIsNotMentioned() throws Exception {
        ConnectorRegistry.announcePluginsDir(Files.createDirectories(temp.resolve("plugins")));

        assertThat(log.entries()).isEmpty();
    }

    private List<LogCapture.Entry> atLeast(Level level) {
        return log.entries().stream()
                .filter(e -> e.level().intValue() >= level.intValue())
                .toList();
    }
}
