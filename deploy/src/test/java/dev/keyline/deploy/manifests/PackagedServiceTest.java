package dev.keyline.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the packaged service (the fast-jar the image, {@code ./keyline start} and the bench run) carries. The
 * conformance kit ships JUnit and AssertJ for its own tests; the service depends on the kit only for demo mode's
 * SCIM double, so test libraries would otherwise ride along into production.
 */
class PackagedServiceTest {
    private static final Path LIBRARIES = DeployFiles.DEPLOY
            .resolve("../platform-service/target/quarkus-app/lib/main")
            .normalize();

    @Test
    void noTestLibraryShipsWithTheService() throws IOException {
        assertThat(LIBRARIES)
                .as("the packaged service (built by platform-service's package phase; run ./mvnw -B verify)")
                .isDirectory();
        List<String> jars;
        try (Stream<Path> files = Files.list(LIBRARIES)) {
            jars = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).anyMatch(name -> name.startsWith("dev.keyline.connector-tck-"));
        assertThat(jars)
                .noneMatch(name -> name.startsWith("org.junit.")
                        || name.startsWith("org.assertj.")
                        || name.startsWith("org.opentest4j.")
                        || name.startsWith("org.mockito."));
    }
}
