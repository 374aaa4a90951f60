package dev.keyline.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The list of known keys is read from the code; these checks make sure the reading itself works. */
class ConfigKeysTest {
    private static ConfigKeys keys;

    @BeforeAll
    static void load() {
        keys = ConfigKeys.load();
    }

    @Test
    void keylineKeysComeFromTheConfigMappings() {
        assertThat(keys.forEnv("KEYLINE_SYNC_MONGO_URI"))
                .map(ConfigKeys.Key::property)
                .contains("keyline.sync.mongo.uri");
        assertThat(keys.forEnv("KEYLINE_AUTH_TENANT_CLAIM"))
                .map(ConfigKeys.Key::property)
                .contains("keyline.auth.tenant-claim");
        assertThat(keys.forEnv("KEYLINE_CREDENTIALS_VAULT_PATH_PREFIX")).isPresent();
        assertThat(keys.forEnv("KEYLINE_SYNC_SCHEDULER_INTERVAL")).isPresent();
        assertThat(keys.forEnv("KEYLINE_IAM_UPSTREAM_BULKHEAD_LIMIT")).isPresent();
        assertThat(keys.forEnv("KEYLINE_SYNC_MONGO_URL")).isEmpty();
        assertThat(keys.forEnv("KEYLINE_SYNC")).isEmpty();
    }

    @Test
    void quarkusKeysComeFromTheExtensionsModelsWithTheirPhase() {
        assertThat(keys.forProperty("quarkus.vault.authentication.app-role.secret-id"))
                .map(ConfigKeys.Key::phase)
                .contains(ConfigKeys.Phase.RUN_TIME);
        assertThat(keys.forEnv("QUARKUS_OIDC_AUTH_SERVER_URL")).isPresent();
        assertThat(keys.forEnv("QUARKUS_DATASOURCE_JDBC_URL")).isPresent();
        assertThat(keys.forEnv("QUARKUS_DATASOURCE_DB_KIND"))
                .map(ConfigKeys.Key::phase)
                .contains(ConfigKeys.Phase.BUILD_AND_RUN_TIME_FIXED);
        assertThat(keys.problemWithEnv("QUARKUS_DATASOURCE_DB_KIND")).isPresent();
        assertThat(keys.problemWithEnv("QUARKUS_OIDC_AUTH_SERVER")).isPresent();
    }

    @Test
    void namedEntriesMatchTheirMapKeys() {
        // quarkus.log.category."org.mongodb.driver".level and quarkus.datasource."audit".jdbc.url
        assertThat(keys.problemWithEnv("QUARKUS_LOG_CATEGORY__ORG_MONGODB_DRIVER__LEVEL"))
                .isEmpty();
        assertThat(keys.problemWithEnv("QUARKUS_DATASOURCE__AUDIT__JDBC_URL")).isEmpty();
        assertThat(keys.problemWithEnv("QUARKUS_LOG_CATEGORY__ORG_MONGODB_DRIVER__LEVL"))
                .isPresent();
    }

    @Test
    void onlyListedVariablesMayBeSetThatAreNoConfigKeys() {
        assertThat(keys.problemWithEnv("JAVA_OPTS")).isEmpty();
        assertThat(keys.problemWithEnv("HOME")).isPresent();
    }
}
