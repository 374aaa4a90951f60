package dev.keyline.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What the packaged service (the fast-jar the image, {@code ./keyline start} and the bench run) carries. Demo mode
 * needs a SCIM double, which lives in the JDK-only {@code scim-double} module so that neither the conformance kit
 * nor the test libraries it is built on ride along into production.
 */
class PackagedServiceTest {
    private static final Path LIBRARIES = DeployFiles.DEPLOY
            .resolve("../platform-service/target/quarkus-app/lib/main")
            .normalize();
    private static final List<String> TEST_LIBRARIES =
            List.of("org.junit.", "org.assertj.", "org.opentest4j.", "org.mockito.", "dev.keyline.connector-tck-");
    private static final String KIT_PACKAGE = "dev/keyline/connector/tck/";

    @Test
    void noTestLibraryShipsWithTheService() throws IOException {
        List<String> jars = jars();
        assertThat(jars)
                .as("test libraries or the conformance kit in %s", LIBRARIES)
                .filteredOn(name -> TEST_LIBRARIES.stream().anyMatch(name::startsWith))
                .isEmpty();
        assertThat(jars)
                .as("demo mode's SCIM double ships with the service")
                .anyMatch(name -> name.startsWith("dev.keyline.scim-double-"));
    }

    @Test
    void noConformanceKitClassShipsWithTheService() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (String jar : jars()) {
            try (ZipFile zip = new ZipFile(LIBRARIES.resolve(jar).toFile())) {
                zip.stream()
                        .map(ZipEntry::getName)
                        .filter(entry -> entry.startsWith(KIT_PACKAGE) && entry.endsWith(".class"))
                        .findFirst()
                        .ifPresent(entry -> offenders.add(jar + " (" + entry + ")"));
            }
        }
        assertThat(offenders).as("jars carrying conformance-kit classes").isEmpty();
    }

    private static List<String> jars() throws IOException {
        assertThat(LIBRARIES)
                .as("the packaged service (built by platform-service's package phase; run ./mvnw -B verify)")
                .isDirectory();
        try (Stream<Path> files = Files.list(LIBRARIES)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".jar"))
                    .sorted()
                    .toList();
        }
    }
}
