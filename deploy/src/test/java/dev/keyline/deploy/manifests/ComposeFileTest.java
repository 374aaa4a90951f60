package dev.keyline.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The compose file, checked offline: no Docker engine (nor the compose plugin) runs on the build machines. */
class ComposeFileTest {
    private static final Path COMPOSE_DIR = DeployFiles.COMPOSE.getParent();
    private static final Path INIT_ENV = COMPOSE_DIR.resolve("init-env.sh");
    private static ConfigKeys keys;

    @BeforeAll
    static void loadKeys() {
        keys = ConfigKeys.load();
    }

    @Test
    void theComposeFileFollowsTheRules() {
        assertThat(ComposeRules.check(DeployFiles.COMPOSE, COMPOSE_DIR, INIT_ENV, keys))
                .isEmpty();
    }

    @Test
    void keylineStartsOnlyAfterItsDependenciesAreReadyAndVaultIsBootstrapped() {
        JsonNode services = Yaml.document(DeployFiles.COMPOSE).path("services");
        assertThat(services.fieldNames())
                .toIterable()
                .contains("keyline", "postgres", "mongo", "vault", "vault-init", "keycloak");
        JsonNode dependsOn = services.path("keyline").path("depends_on");
        assertThat(dependsOn.path("postgres").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(dependsOn.path("mongo").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(dependsOn.path("keycloak").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(dependsOn.path("vault-init").path("condition").asText()).isEqualTo("service_completed_successfully");
        // Keycloak imports the realm at start.
        assertThat(services.path("keycloak").path("command").toString()).contains("--import-realm");
    }

    @Test
    void keylineLogsInToVaultWithTheAppRoleThatTheInitContainerHandsOver() {
        JsonNode services = Yaml.document(DeployFiles.COMPOSE).path("services");
        JsonNode keyline = services.path("keyline");
        assertThat(keyline.path("environment").path("KEYLINE_CREDENTIALS_STORE").asText())
                .isEqualTo("vault");
        String locations =
                keyline.path("environment").path("QUARKUS_CONFIG_LOCATIONS").asText();
        assertThat(locations).isEqualTo("file:/bootstrap/keyline-vault.properties");
        // The same volume: written by vault-init at /bootstrap, read-only for Keyline.
        assertThat(keyline.path("volumes").toString()).contains("keyline-bootstrap:/bootstrap:ro");
        assertThat(services.path("vault-init").path("volumes").toString()).contains("keyline-bootstrap:/bootstrap\"");
        // No token: Keyline's only Vault login is the AppRole.
        assertThat(keyline.path("environment").has("QUARKUS_VAULT_AUTHENTICATION_CLIENT_TOKEN"))
                .isFalse();
    }

    @Test
    void theValidFixturePasses() {
        assertThat(problems("valid.yaml")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            missing-dependency.yaml          | service keyline depends on mongodb, which is not a service
            healthy-without-healthcheck.yaml | waits for vault-init to be healthy, but it has no healthcheck
            restarting-one-shot.yaml         | waits for vault-init to complete, but it restarts
            misspelt-attribute.yaml          | service postgres: unknown attribute enviroment
            unknown-config-key.yaml          | KEYLINE_SYNC_MONGO_DB is not a configuration key
            literal-password.yaml            | QUARKUS_DATASOURCE_PASSWORD has a literal secret
            unpinned-image.yaml              | image postgres:latest is not pinned
            undeclared-volume.yaml           | mounts the volume pgdata, which is not declared
            missing-bind-mount.yaml          | mounts ../vault-scripts, which does not exist
            optional-variable.yaml           | ${KEYLINE_CURSOR_KEY} must be required
            ungenerated-variable.yaml        | ${CURSOR_KEY} is not written by init-env.sh
            public-port.yaml                 | publishes 8080:8080 beyond 127.0.0.1
            no-readiness-healthcheck.yaml    | the healthcheck must ask /q/health/ready
            duplicate-key.yaml               | Duplicate field 'image'
            """)
    void aBrokenComposeFileIsRejected(String fixture, String expected) {
        assertThat(problems(fixture)).anySatisfy(problem -> assertThat(problem).contains(expected));
    }

    private static List<String> problems(String fixture) {
        return ComposeRules.check(
                DeployFiles.FIXTURES.resolve("compose").resolve(fixture), COMPOSE_DIR, INIT_ENV, keys);
    }
}
