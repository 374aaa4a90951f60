package dev.keyline.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15, item 2: the embedded PostgreSQL trusted every local login over TCP, as its superuser. A second OS user
 * cannot be made in a test, so these connect as other database roles and without the password, over TCP, which is
 * what another local user could do; pg_hba.conf is checked to require a password on the Unix socket too.
 */
class StandalonePostgresAccessTest {
    @TempDir
    Path dir;

    @Test
    void noLoginWithoutThePasswordAndTheServiceIsNoSuperuser() throws Exception {
        Path dataDir = dir.resolve("data");
        StandaloneSettings settings = new StandaloneSettings(true, dataDir, 18082, OptionalInt.empty());
        try (StandaloneLauncher launcher = StandaloneLauncher.start(settings)) {
            Map<String, String> configuration = launcher.configuration();
            String url = configuration.get("quarkus.datasource.jdbc.url");
            String user = configuration.get("quarkus.datasource.username");
            String password = configuration.get("quarkus.datasource.password");
            assertThat(user).isNotEqualTo("postgres");
            assertThat(password).hasSizeGreaterThanOrEqualTo(32);
            assertThat(url).doesNotContain("postgres&").doesNotContain(password);

            try (Connection c = DriverManager.getConnection(url, user, password);
                    Statement s = c.createStatement()) {
                try (ResultSet r = s.executeQuery(
                        "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = current_user")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getBoolean(1)).isFalse();
                    assertThat(r.getBoolean(2)).isFalse();
                    assertThat(r.getBoolean(3)).isFalse();
                }
                // What Flyway needs: it owns the database's schema.
                s.execute("CREATE TABLE owned_by_service (v text)");
                String conf = dataDir.resolve("pg/postgresql.conf").toString();
                assertThatThrownBy(() -> s.executeQuery("SELECT pg_read_file('" + conf + "')"))
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("permission denied");
            }

            for (String[] login : new String[][] {
                {"postgres", ""}, {"postgres", password}, {user, ""}, {user, "guessed"}, {"intruder", ""}
            }) {
                assertThatThrownBy(() -> DriverManager.getConnection(url, login[0], login[1]))
                        .as("login as %s", login[0])
                        .isInstanceOf(SQLException.class);
            }
            assertThat(trustLines(dataDir)).isEmpty();
            assertThat(hbaLines(dataDir)).anyMatch(line -> line.startsWith("local"));
        }
        for (String file : new String[] {"pg-keyline.password", "pg-superuser.password"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(file))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aTrustingDataDirectoryFromAnEarlierVersionIsSecuredInPlace() throws Exception {
        Path dataDir = dir.resolve("old");
        Files.createDirectories(dataDir);
        // What earlier versions left: initdb with trust, the keyline database and its tables owned by postgres.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir.resolve("pg"))
                        .setCleanDataDirectory(false)
                        .start();
                Connection c = old.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE keyline");
            try (Connection k = old.getDatabase("postgres", "keyline").getConnection();
                    Statement ks = k.createStatement()) {
                ks.execute("CREATE TABLE kept (id bigserial PRIMARY KEY, v text)");
                ks.execute("INSERT INTO kept (v) VALUES ('still here')");
            }
        }
        assertThat(trustLines(dataDir)).isNotEmpty();

        StandaloneSettings settings = new StandaloneSettings(true, dataDir, 18083, OptionalInt.empty());
        try (StandaloneLauncher launcher = StandaloneLauncher.start(settings)) {
            Map<String, String> configuration = launcher.configuration();
            String url = configuration.get("quarkus.datasource.jdbc.url");
            try (Connection c = DriverManager.getConnection(
                            url,
                            configuration.get("quarkus.datasource.username"),
                            configuration.get("quarkus.datasource.password"));
                    Statement s = c.createStatement()) {
                try (ResultSet r = s.executeQuery("SELECT v FROM kept")) {
                    assertThat(r.next()).isTrue();
                    assertThat(r.getString(1)).isEqualTo("still here");
                }
                // A later migration must be able to change the old tables: the service role owns them now.
                s.execute("ALTER TABLE kept ADD COLUMN w text");
                s.execute("INSERT INTO kept (v) VALUES ('new row')");
            }
            assertThatThrownBy(() -> DriverManager.getConnection(url, "postgres", ""))
                    .isInstanceOf(SQLException.class);
            assertThat(trustLines(dataDir)).isEmpty();
        }
    }

    private static Stream<String> hbaLines(Path dataDir) throws Exception {
        return Files.readAllLines(dataDir.resolve("pg/pg_hba.conf")).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"));
    }

    private static java.util.List<String> trustLines(Path dataDir) throws Exception {
        return hbaLines(dataDir).filter(line -> line.matches(".*\\btrust\\b.*")).toList();
    }
}
