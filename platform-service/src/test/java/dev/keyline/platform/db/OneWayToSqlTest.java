package dev.keyline.platform.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The service runs SQL one way: entities and Panache, and native queries through {@link NativeSql}. Hand-written
 * JDBC ({@code PreparedStatement}, {@code ResultSet}) is allowed only in the classes below, each of which says
 * in a comment why it cannot use the ORM. Files are named without their package, so moving a package does not
 * break the list.
 */
class OneWayToSqlTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Pattern HAND_JDBC =
            Pattern.compile("\\b(PreparedStatement|ResultSet|CallableStatement|Statement)\\b");

    /** Runs before the service's datasource exists, or on a bare DataSource outside the ORM. */
    static final Set<String> ALLOWED = Set.of(
            // Bootstraps the embedded PostgreSQL as its superuser, before the service's datasource exists.
            "PostgresAccess.java",
            // Built on a bare DataSource by its producer and its tests; a write joins the caller's transaction.
            "LocalCredentialStore.java",
            // Runs on that same DataSource at start-up, before anything reads a credential.
            "MasterKeyCheck.java",
            // A session-level advisory lock held on one connection across a run, outside any transaction.
            "OrphanSweep.java",
            // The sweep's read of account rows, on the sweep's bare DataSource.
            "AccountStatuses.java",
            // NativeSql's single statements outside a transaction, in auto-commit: the bench figure is on NativeSql.
            "AutoCommitSql.java",
            // Read on a scrape thread, outside any request or transaction, and never allowed to fail the scrape.
            "DatabaseGauges.java",
            // JDBC batches (addBatch/executeBatch), which NativeSql has no form for, off the request path.
            "RequestLogStore.java");

    @Test
    void handWrittenJdbcStaysInTheAllowedClasses() {
        assertThat(filesUsingHandJdbc())
                .as("classes with PreparedStatement/ResultSet code: use NativeSql, or add the file to ALLOWED with why")
                .isSubsetOf(ALLOWED);
    }

    @Test
    void everyAllowedClassStillNeedsIt() {
        // A class that left JDBC leaves the list too, so the list never allows more than it must.
        assertThat(filesUsingHandJdbc()).containsAll(ALLOWED);
    }

    @Test
    void theScanSeesHandWrittenJdbc() {
        assertThat(HAND_JDBC
                        .matcher("try (PreparedStatement s = c.prepareStatement(sql))")
                        .find())
                .isTrue();
        assertThat(HAND_JDBC.matcher("import java.sql.ResultSet;").find()).isTrue();
        assertThat(HAND_JDBC.matcher("sql.update(\"update t set x = ?\", x)").find())
                .isFalse();
    }

    private static Set<String> filesUsingHandJdbc() {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
                if (HAND_JDBC.matcher(read(file)).find()) {
                    found.add(file.getFileName().toString());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(found)
                .as("the scan found no source at all: wrong working directory?")
                .isNotEmpty();
        return found;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
