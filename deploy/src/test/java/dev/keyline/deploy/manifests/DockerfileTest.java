package dev.keyline.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image cannot be built here (no Docker engine), so the Dockerfile is checked against what it must agree with:
 * pinned base images, a non-root user that the Kubernetes security context names too, the port the manifests
 * probe, and the fast-jar layout Quarkus produces.
 */
class DockerfileTest {
    private static final Path DOCKERFILE = DeployFiles.DEPLOY.resolve("docker/Dockerfile");

    @Test
    void baseImagesArePinnedToAJdk17Release() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        Matcher args = Pattern.compile("(?m)^ARG (JDK|JRE)_IMAGE=(\\S+)$").matcher(dockerfile);
        int images = 0;
        while (args.find()) {
            assertThat(args.group(2)).matches("eclipse-temurin:17\\.0\\.\\d+_\\d+-(jdk|jre)-\\w+");
            images++;
        }
        assertThat(images).isEqualTo(2);
        assertThat(dockerfile).doesNotContainPattern("(?m)^FROM \\S+:latest");
    }

    @Test
    void theImageRunsAsTheUserTheDeploymentExpects() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(dockerfile);
        assertThat(user.find()).as("a numeric USER uid:gid").isTrue();
        assertThat(user.group(1)).isNotEqualTo("0");

        Deployment deployment =
                KubernetesManifests.read(List.of(DeployFiles.K8S.resolve("deployment.yaml"))).manifests().stream()
                        .map(KubernetesManifests.Manifest::object)
                        .map(Deployment.class::cast)
                        .findFirst()
                        .orElseThrow();
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(Long.parseLong(user.group(1)));
        assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(Long.parseLong(user.group(2)));
        assertThat(dockerfile)
                .contains(
                        "EXPOSE " + pod.getContainers().get(0).getPorts().get(0).getContainerPort());
    }

    @Test
    void itCopiesTheFastJarLayoutAndRunsItsLauncher() throws IOException {
        String dockerfile = Files.readString(DOCKERFILE);
        for (String part : List.of("lib/", "*.jar", "app/", "quarkus/")) {
            assertThat(dockerfile).contains("/src/platform-service/target/quarkus-app/" + part);
        }
        assertThat(dockerfile).contains("-jar /opt/keyline/quarkus-run.jar");
        // The plugins directory the image sets must be a real key, like every other variable.
        Matcher env = Pattern.compile("(?m)^ENV (\\w+)=").matcher(dockerfile);
        ConfigKeys keys = ConfigKeys.load();
        while (env.find()) {
            assertThat(keys.problemWithEnv(env.group(1))).as(env.group(1)).isEmpty();
        }
        assertThat(Files.readString(DeployFiles.DEPLOY.resolve("docker/Dockerfile.dockerignore")))
                .contains("**/target");
    }
}
