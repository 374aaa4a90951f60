package dev.keyline.platform.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/**
 * Migrations form one ordered sequence: released ones never change (databases record their checksums), a new one
 * takes a version above every released one, and out-of-order stays off, so a fresh database and an upgraded one
 * apply the same scripts in the same order. See docs/operations.md, "Database migrations".
 */
class MigrationOrderTest {
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__.+\\.sql");

    @Test
    void everyReleasedMigrationIsStillThereUnchanged() throws IOException {
        Map<String, String> present = new TreeMap<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            files.forEach(file -> present.put(file.getFileName().toString(), sha256(file)));
        }
        for (Released migration : released()) {
            assertThat(present)
                    .as(
                            "%s is applied in existing databases; renaming or editing it fails their validation",
                            migration.file())
                    .containsEntry(migration.file(), migration.sha256());
        }
    }

    @Test
    void aNewMigrationTakesAVersionAboveEveryReleasedOne() throws IOException {
        MigrationVersion highestReleased = released().stream()
                .map(Released::version)
                .max(MigrationVersion::compareTo)
                .orElseThrow();
        List<String> releasedFiles = released().stream().map(Released::file).toList();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (String file :
                    files.map(f -> f.getFileName().toString()).sorted().toList()) {
                Matcher versioned = VERSIONED.matcher(file);
                assertThat(versioned.matches())
                        .as("%s is a versioned migration (V<n>__<what>.sql)", file)
                        .isTrue();
                if (!releasedFiles.contains(file)) {
                    assertThat(MigrationVersion.fromVersion(versioned.group(1)))
                            .as("%s must take a version above %s, the highest released one", file, highestReleased)
                            .isGreaterThan(highestReleased);
                }
            }
        }
    }

    @Test
    void outOfOrderIsOffInEveryProfile() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        // Off is Flyway's default: the switch is set in no profile, not even to false.
        assertThat(properties.stringPropertyNames())
                .filteredOn(key -> key.contains("flyway.out-of-order"))
                .isEmpty();
        // The same switch set from a deployment (environment variable or system property) would undo it.
        for (Path root : List.of(Path.of("src/main"), Path.of("../deploy"))) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(Files::isRegularFile)
                        .filter(f -> !f.toString().contains("/target/"))
                        .toList()) {
                    String text = Files.readString(file);
                    assertThat(text)
                            .as(file.toString())
                            .doesNotContain("FLYWAY_OUT_OF_ORDER")
                            .doesNotContain("flyway.out-of-order");
                }
            }
        }
    }

    private record Released(MigrationVersion version, String sha256, String file) {}

    private static List<Released> released() throws IOException {
        try (InputStream in = MigrationOrderTest.class.getResourceAsStream("/db/released-migrations.txt")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.isBlank() && !line.startsWith("#"))
                    .map(line -> line.trim().split("\\s+"))
                    .map(f -> new Released(MigrationVersion.fromVersion(f[0]), f[1], f[2]))
                    .toList();
        }
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
