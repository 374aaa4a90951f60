package dev.keyline.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starts the real embedded PostgreSQL on a data directory, twice, as two standalone starts would. */
class StandaloneLauncherTest {
    @TempDir
    Path dir;

    @Test
    void dataSurvivesARestartAndKeysAreNewOnlyTheFirstTime() throws Exception {
        Path dataDir = dir.resolve("data");
        StandaloneSettings settings = new StandaloneSettings(true, dataDir, 18080, OptionalInt.empty());

        String jdbcUrl;
        int firstPort;
        String operatorHash;
        try (StandaloneLauncher first = StandaloneLauncher.start(settings)) {
            Map<String, String> configuration = first.configuration();
            jdbcUrl = configuration.get("quarkus.datasource.jdbc.url");
            firstPort = first.postgresPort();
            operatorHash = configuration.get("keyline.auth.operator-key-sha256");
            assertThat(jdbcUrl).contains("localhost:" + firstPort + "/keyline");
            assertThat(configuration)
                    .containsEntry("keyline.credentials.store", "local")
                    .containsEntry(
                            "keyline.credentials.local.master-key-file",
                            dataDir.resolve("master.key").toString())
                    .containsEntry("quarkus.http.port", "18080");
            assertThat(first.takeNewOperatorKey()).isPresent();
            assertThat(first.takeNewOperatorKey()).isEmpty();
            try (Connection c = connect(configuration);
                    Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('still here')");
            }
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                .isEqualTo("rwx------");
        assertThat(dataDir.resolve("pg/postgresql.conf")).exists();
        assertThat(dataDir.resolve("postgres.log")).exists();

        try (StandaloneLauncher second = StandaloneLauncher.start(settings)) {
            assertThat(second.postgresPort()).isEqualTo(firstPort);
            assertThat(second.takeNewOperatorKey()).isEmpty();
            assertThat(second.configuration()).containsEntry("keyline.auth.operator-key-sha256", operatorHash);
            try (Connection c = connect(second.configuration());
                    Statement s = c.createStatement();
                    ResultSet r = s.executeQuery("SELECT v FROM kept")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("still here");
            }
        }
    }

    @Test
    void aDatabaseThatCannotStartFailsTheFirstConnectionWithItsReason() throws Exception {
        Path dataDir = dir.resolve("broken");
        StandaloneSettings settings = new StandaloneSettings(true, dataDir, 18081, OptionalInt.empty());
        try (StandaloneLauncher first = StandaloneLauncher.start(settings)) {
            try (Connection c = connect(first.configuration())) {
                assertThat(c.isValid(5)).isTrue();
            }
            assertThat(first.postgresFailure()).isEmpty();
        }
        // A configuration PostgreSQL refuses to start with.
        Files.writeString(
                dataDir.resolve("pg/postgresql.conf"),
                "\nshared_buffers = 'not a size'\n",
                java.nio.file.StandardOpenOption.APPEND);
        try (StandaloneLauncher second = StandaloneLauncher.start(settings)) {
            String url = second.configuration().get("quarkus.datasource.jdbc.url");
            assertThatThrownBy(() -> connect(second.configuration()))
                    .isInstanceOf(SQLException.class)
                    .hasStackTraceContaining("Could not start the embedded PostgreSQL");
            assertThat(url).contains("/keyline");
            assertThat(second.postgresFailure())
                    .hasValueSatisfying(reason -> assertThat(reason)
                            .contains(dataDir.resolve("pg").toString())
                            .contains("postgres.log"));
        }
    }

    private static Connection connect(Map<String, String> configuration) throws SQLException {
        return DriverManager.getConnection(
                configuration.get("quarkus.datasource.jdbc.url"),
                configuration.get("quarkus.datasource.username"),
                configuration.get("quarkus.datasource.password"));
    }
}
