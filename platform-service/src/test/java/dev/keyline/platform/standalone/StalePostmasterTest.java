package dev.keyline.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15, item 8: {@code kill -9} of the standalone JVM left its PostgreSQL running, and the next start failed
 * after a minute. The killed Keyline runs in a child JVM, as a real one would.
 */
class StalePostmasterTest {
    @TempDir
    Path dir;

    @Test
    void theNextStartStopsTheKilledKeylinesPostgresAndKeepsTheData() throws Exception {
        Path dataDir = dir.resolve("data");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        StandaloneChildMain.class.getName(),
                        dataDir.toString())
                .redirectErrorStream(true)
                .start();
        long orphan;
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("READY")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("child output: %s", seen).isEqualTo("READY");
            orphan = postmasterPid(dataDir);
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook runs
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
                .as("the killed JVM's PostgreSQL outlives it")
                .contains(true);

        StandaloneSettings settings = new StandaloneSettings(true, dataDir, 18091, OptionalInt.empty());
        try (StandaloneLauncher next = StandaloneLauncher.start(settings)) {
            Map<String, String> configuration = next.configuration();
            try (Connection c = DriverManager.getConnection(
                            configuration.get("quarkus.datasource.jdbc.url"),
                            configuration.get("quarkus.datasource.username"),
                            configuration.get("quarkus.datasource.password"));
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT v FROM kept")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("written before the kill");
            }
            assertThat(next.postgresFailure()).isEmpty();
            assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).isEmpty();
        }
    }

    @Test
    void aLiveKeylinesPostgresIsNeverStoppedByASecondStart() throws Exception {
        Path dataDir = dir.resolve("live");
        StandaloneSettings settings = new StandaloneSettings(true, dataDir, 18092, OptionalInt.empty());
        try (StandaloneLauncher first = StandaloneLauncher.start(settings)) {
            Map<String, String> configuration = first.configuration();
            try (Connection c = connect(configuration)) {
                assertThat(c.isValid(5)).isTrue();
            }
            long running = postmasterPid(dataDir);

            assertThatThrownBy(() -> StandaloneLauncher.start(settings).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("Another Keyline")
                    .hasMessageContaining(String.valueOf(ProcessHandle.current().pid()))
                    .hasMessageContaining(dataDir.toString());

            assertThat(postmasterPid(dataDir)).isEqualTo(running);
            try (Connection c = connect(configuration)) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }

    private static Connection connect(Map<String, String> configuration) throws Exception {
        return DriverManager.getConnection(
                configuration.get("quarkus.datasource.jdbc.url"),
                configuration.get("quarkus.datasource.username"),
                Optional.ofNullable(configuration.get("quarkus.datasource.password"))
                        .orElse(""));
    }

    private static long postmasterPid(Path dataDir) throws Exception {
        return Long.parseLong(
                Files.readAllLines(dataDir.resolve("pg/postmaster.pid")).get(0).strip());
    }
}
