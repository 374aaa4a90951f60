package dev.keyline.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every YAML file under deploy/ parses, and kustomize applies every manifest there is. */
class DeployYamlTest {

    @Test
    void everyYamlFileUnderDeployParsesWithoutDuplicateKeys() {
        List<Path> files = DeployFiles.yamlUnder(DeployFiles.DEPLOY);
        assertThat(files).contains(DeployFiles.COMPOSE, DeployFiles.K8S.resolve("kustomization.yaml"));
        List<String> failures = new ArrayList<>();
        for (Path file : files) {
            try {
                assertThat(Yaml.documents(file)).as(file.toString()).isNotEmpty();
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void duplicateKeysAreRefused() {
        Path fixture = DeployFiles.FIXTURES.resolve("compose/duplicate-key.yaml");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Yaml.documents(fixture))
                .hasMessageContaining("Duplicate field 'image'");
    }

    @Test
    void theKustomizationListsEveryManifestAndNoExampleSecret() {
        JsonNode kustomization = Yaml.document(DeployFiles.K8S.resolve("kustomization.yaml"));
        assertThat(Set.copyOf(names(kustomization.fieldNames())))
                .isSubsetOf("apiVersion", "kind", "namespace", "labels", "resources", "images", "commonAnnotations");
        assertThat(kustomization.path("kind").asText()).isEqualTo("Kustomization");
        List<String> resources = new ArrayList<>();
        kustomization.path("resources").forEach(r -> resources.add(r.asText()));
        List<String> manifests = DeployFiles.kubernetesManifests().stream()
                .map(f -> DeployFiles.K8S.relativize(f).toString())
                .toList();
        assertThat(resources).containsExactlyInAnyOrderElementsOf(manifests).doesNotContain("secret.example.yaml");
        // The Deployment's image is the placeholder that the images: entry rewrites.
        assertThat(kustomization.path("images").get(0).path("name").asText()).isEqualTo("keyline");
    }

    private static List<String> names(java.util.Iterator<String> iterator) {
        List<String> names = new ArrayList<>();
        iterator.forEachRemaining(names::add);
        return names;
    }
}
