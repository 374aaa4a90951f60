package dev.keyline.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The Vault policy grants exactly what Keyline's credential store does (one KV v2 secret per account, destroyed
 * through its metadata, listed for readiness and tenant deletion) on the mount and prefix the deployments
 * configure, and nothing else; the bootstrap hands Keyline real configuration keys at the path it reads.
 */
class VaultBootstrapTest {
    private static final Path POLICY = DeployFiles.VAULT.resolve("keyline-policy.hcl");
    private static final Pattern PATH_BLOCK =
            Pattern.compile("path\\s+\"([^\"]+)\"\\s*\\{\\s*capabilities\\s*=\\s*\\[([^]]*)]\\s*}");

    record Grant(String path, Set<String> capabilities) {
        /** Vault's glob: a trailing '*' matches any suffix; otherwise the path must be equal. */
        boolean covers(String request) {
            return path.endsWith("*") ? request.startsWith(path.substring(0, path.length() - 1)) : path.equals(request);
        }
    }

    @Test
    void thePolicyGrantsWhatTheCredentialStoreNeedsAndNothingMore() throws IOException {
        List<Grant> grants = grants(Files.readString(POLICY));
        assertThat(grants).isNotEmpty();
        String account = "secret/data/keyline/tenants/ten_1/accounts/acc_1";
        String accountMetadata = "secret/metadata/keyline/tenants/ten_1/accounts/acc_1";
        assertThat(allowed(grants, account)).contains("create", "update", "read");
        // delete: unlink destroys every version; read: the orphan sweep reads when a leftover was last written.
        assertThat(allowed(grants, accountMetadata)).contains("delete", "read");
        assertThat(allowed(grants, "secret/metadata/keyline/tenants/ten_1/accounts"))
                .contains("list");
        assertThat(allowed(grants, "secret/metadata/keyline/tenants")).contains("list");

        for (Grant grant : grants) {
            assertThat(grant.path()).matches("secret/(data|metadata)/keyline/tenants(/\\*)?");
            assertThat(Set.of("create", "update", "read", "list", "delete")).containsAll(grant.capabilities());
        }
        assertThat(allowed(grants, "secret/data/other-app/db")).isEmpty();
        assertThat(allowed(grants, "secret/data/keyline/config")).isEmpty();
        assertThat(allowed(grants, "sys/policies/acl/keyline")).isEmpty();
    }

    @Test
    void everyDeploymentUsesTheMountAndPrefixThePolicyIsWrittenFor() {
        ConfigMap config =
                KubernetesManifests.read(List.of(DeployFiles.K8S.resolve("configmap.yaml"))).manifests().stream()
                        .map(m -> (ConfigMap) m.object())
                        .findFirst()
                        .orElseThrow();
        assertThat(config.getData())
                .containsEntry("KEYLINE_CREDENTIALS_VAULT_MOUNT", "secret")
                .containsEntry("KEYLINE_CREDENTIALS_VAULT_PATH_PREFIX", "keyline");

        JsonNode services = Yaml.document(DeployFiles.COMPOSE).path("services");
        JsonNode keyline = services.path("keyline").path("environment");
        JsonNode init = services.path("vault-init").path("environment");
        assertThat(keyline.path("KEYLINE_CREDENTIALS_VAULT_MOUNT").asText())
                .isEqualTo(init.path("KEYLINE_VAULT_MOUNT").asText())
                .isEqualTo("secret");
        assertThat(keyline.path("KEYLINE_CREDENTIALS_VAULT_PATH_PREFIX").asText())
                .isEqualTo(init.path("KEYLINE_VAULT_PREFIX").asText())
                .isEqualTo("keyline");
    }

    @Test
    void theBootstrapWritesRealKeysWhereKeylineReadsThem() throws IOException {
        String script = Files.readString(DeployFiles.VAULT.resolve("bootstrap.sh"));
        Matcher written = Pattern.compile("(?m)^(quarkus\\.[a-z0-9.-]+)=").matcher(script);
        List<String> properties = new ArrayList<>();
        while (written.find()) {
            properties.add(written.group(1));
        }
        assertThat(properties)
                .containsExactly(
                        "quarkus.vault.authentication.app-role.role-id",
                        "quarkus.vault.authentication.app-role.secret-id");
        ConfigKeys keys = ConfigKeys.load();
        for (String property : properties) {
            assertThat(keys.forProperty(property))
                    .as(property)
                    .map(ConfigKeys.Key::phase)
                    .contains(ConfigKeys.Phase.RUN_TIME);
        }
        assertThat(script)
                .contains("OUT_DIR=\"${OUT_DIR:-/bootstrap}\"")
                .contains("OUT_FILE=\"$OUT_DIR/keyline-vault.properties\"");
        String locations = Yaml.document(DeployFiles.COMPOSE)
                .path("services")
                .path("keyline")
                .path("environment")
                .path("QUARKUS_CONFIG_LOCATIONS")
                .asText();
        assertThat(locations).isEqualTo("file:/bootstrap/keyline-vault.properties");
        // The policy the script installs is the one checked above.
        assertThat(Yaml.document(DeployFiles.COMPOSE)
                        .path("services")
                        .path("vault-init")
                        .path("volumes")
                        .toString())
                .contains("../vault:/vault/bootstrap:ro");
        assertThat(script).contains("/vault/bootstrap/keyline-policy.hcl");
    }

    @Test
    void theShellScriptsParse() throws Exception {
        for (Path script : List.of(
                DeployFiles.VAULT.resolve("bootstrap.sh"),
                DeployFiles.VAULT.resolve("kubernetes-auth.sh"),
                DeployFiles.COMPOSE.getParent().resolve("init-env.sh"))) {
            Process check = new ProcessBuilder("sh", "-n", script.toString())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(check.getInputStream().readAllBytes());
            assertThat(check.waitFor()).as(script + ": " + output).isZero();
            assertThat(Files.isExecutable(script)).as(script + " is executable").isTrue();
        }
    }

    private static List<Grant> grants(String policy) {
        List<Grant> grants = new ArrayList<>();
        Matcher matcher = PATH_BLOCK.matcher(policy.replaceAll("(?m)#.*$", ""));
        while (matcher.find()) {
            Set<String> capabilities =
                    Set.of(matcher.group(2).replace("\"", "").replace(" ", "").split(","));
            grants.add(new Grant(matcher.group(1), capabilities));
        }
        return grants;
    }

    private static Set<String> allowed(List<Grant> grants, String request) {
        return grants.stream()
                .filter(g -> g.covers(request))
                .flatMap(g -> g.capabilities().stream())
                .collect(Collectors.toSet());
    }
}
