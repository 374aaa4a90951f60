package dev.keyline.deploy.manifests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the deployment files live: the deploy module's own directory (Surefire runs tests from it). */
final class DeployFiles {
    static final Path DEPLOY = locate();
    static final Path COMPOSE = DEPLOY.resolve("compose/compose.yaml");
    static final Path K8S = DEPLOY.resolve("k8s");
    static final Path VAULT = DEPLOY.resolve("vault");
    static final Path FIXTURES = DEPLOY.resolve("src/test/resources/manifests");

    private DeployFiles() {}

    /**
     * Every deployable YAML file under {@code dir} in a stable order: build output and the module's own sources
     * (test fixtures, some broken on purpose) excluded.
     */
    static List<Path> yamlUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .filter(f -> !f.startsWith(DEPLOY.resolve("target")))
                    .filter(f -> !f.startsWith(DEPLOY.resolve("src")))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The manifests applied by kustomize: every YAML in deploy/k8s except kustomization.yaml and examples. */
    static List<Path> kubernetesManifests() {
        return yamlUnder(K8S).stream()
                .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                .filter(f -> !f.getFileName().toString().contains(".example."))
                .toList();
    }

    private static Path locate() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate : List.of(dir, dir.resolve("deploy"))) {
            if (Files.isRegularFile(candidate.resolve("compose/compose.yaml"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("run from the deploy module or the repository root, not " + dir);
    }
}
