package dev.keyline.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KubernetesManifestsTest {
    private static ConfigKeys keys;

    @BeforeAll
    static void loadKeys() {
        keys = ConfigKeys.load();
    }

    @Test
    void theManifestsReadStrictlyAndFollowTheRules() {
        KubernetesManifests.Result result = KubernetesManifests.read(DeployFiles.kubernetesManifests());
        assertThat(result.errors()).isEmpty();
        assertThat(result.manifests())
                .extracting(m -> m.object().getKind())
                .contains(
                        "Deployment", "Service", "PodDisruptionBudget", "NetworkPolicy", "ConfigMap", "ServiceAccount");

        assertThat(KubernetesRules.check(objects(result), keys, secretExample()))
                .isEmpty();
    }

    @Test
    void theDeploymentRunsAtLeastTwoReplicas() {
        Deployment deployment = objects(KubernetesManifests.read(DeployFiles.kubernetesManifests())).stream()
                .filter(Deployment.class::isInstance)
                .map(Deployment.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theValidFixturePasses() {
        assertThat(problems("valid.yaml")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            misspelt-field.yaml             | Unrecognized field "readinesProbe"
            quoted-replicas.yaml            | spec.replicas
            unquoted-configmap-value.yaml   | data.QUARKUS_OIDC_TENANT_ENABLED
            unsupported-kind.yaml           | unsupported apiVersion/kind policy/v1beta1/PodDisruptionBudget
            one-replica.yaml                | runs 1 replica(s)
            wrong-readiness-path.yaml       | readinessProbe must be an HTTP GET of /q/health/ready
            undeclared-probe-port.yaml      | livenessProbe uses port 9000, which the container does not declare
            pdb-selects-nothing.yaml        | no PodDisruptionBudget selects its pods
            no-requests.yaml                | requests no cpu
            unknown-config-key.yaml         | KEYLINE_SYNC_MONGO_URL is not a configuration key
            build-time-key.yaml             | sets quarkus.datasource.db-kind, which is fixed when the image is built
            secret-literal.yaml             | QUARKUS_DATASOURCE_PASSWORD has a literal value
            password-in-configmap-url.yaml  | KEYLINE_SYNC_MONGO_DATABASE looks secret
            open-egress.yaml                | an egress rule without ports allows every port
            no-network-policy.yaml          | no NetworkPolicy selects its pods
            writable-root.yaml              | readOnlyRootFilesystem must be true
            runs-as-root.yaml               | runAsNonRoot: true
            committed-secret.yaml           | Secret/keyline-secrets is committed with the manifests
            """)
    void aBrokenManifestIsRejected(String fixture, String expected) {
        assertThat(problems(fixture)).anySatisfy(problem -> assertThat(problem).contains(expected));
    }

    /** Read errors and rule violations together, as the build reports them. */
    private static List<String> problems(String fixture) {
        KubernetesManifests.Result result = KubernetesManifests.read(List.of(fixture(fixture)));
        List<String> problems = new ArrayList<>(result.errors());
        problems.addAll(KubernetesRules.check(objects(result), keys, secretExample()));
        return problems;
    }

    static List<HasMetadata> objects(KubernetesManifests.Result result) {
        return result.manifests().stream()
                .map(KubernetesManifests.Manifest::object)
                .toList();
    }

    static Optional<Secret> secretExample() {
        KubernetesManifests.Result result =
                KubernetesManifests.read(List.of(DeployFiles.K8S.resolve("secret.example.yaml")));
        assertThat(result.errors()).isEmpty();
        return result.manifests().stream()
                .map(KubernetesManifests.Manifest::object)
                .filter(Secret.class::isInstance)
                .map(Secret.class::cast)
                .findFirst();
    }

    static Path fixture(String name) {
        return DeployFiles.FIXTURES.resolve("k8s").resolve(name);
    }
}
