package dev.keyline.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keyline refuses to start with OIDC on and no token audience (a token the IdP issued for another application must
 * not be accepted), so every deploy configuration that turns OIDC on must set one.
 */
class OidcAudienceConfigTest {

    @Test
    void everyEnvironmentThatEnablesOidcSetsAnAudience() {
        List<JsonNode> environments = new ArrayList<>();
        environments.add(Yaml.document(DeployFiles.COMPOSE)
                .path("services")
                .path("keyline")
                .path("environment"));
        for (Path manifest : DeployFiles.kubernetesManifests()) {
            for (JsonNode document : Yaml.documents(manifest)) {
                if (document.path("kind").asText().equals("ConfigMap")) {
                    environments.add(document.path("data"));
                }
            }
        }
        List<JsonNode> enabling = environments.stream()
                .filter(env -> env.path("QUARKUS_OIDC_TENANT_ENABLED").asText().equals("true"))
                .toList();
        assertThat(enabling).as("compose and the ConfigMap turn OIDC on").hasSizeGreaterThanOrEqualTo(2);
        assertThat(enabling)
                .allSatisfy(env -> assertThat(
                                env.path("QUARKUS_OIDC_TOKEN_AUDIENCE").asText())
                        .isNotBlank());
    }
}
