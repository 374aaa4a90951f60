package dev.keyline.connector.okta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.model.User;
import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorLogger;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.UserChangeFeed;
import dev.keyline.connector.spi.UserChanges;
import dev.keyline.connector.spi.UserQuery;
import dev.keyline.connector.spi.Validation;
import dev.keyline.connector.tck.JdkHttpTransport;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Against a real Okta org, only when {@code KEYLINE_OKTA_DOMAIN} and {@code KEYLINE_OKTA_API_TOKEN} are set (a
 * Read-only Administrator's token; {@code KEYLINE_OKTA_READ_FACTORS=yes} to read factors too). Never in CI: it
 * reads a real directory and spends the org's rate limit. Read-only, like the connector.
 */
@EnabledIfEnvironmentVariable(named = "KEYLINE_OKTA_API_TOKEN", matches = ".+")
@EnabledIfEnvironmentVariable(named = "KEYLINE_OKTA_DOMAIN", matches = ".+")
class OktaLiveTest {

    private static Connector connector() {
        String token = System.getenv("KEYLINE_OKTA_API_TOKEN");
        ConnectorConfig config = new ConnectorConfig(
                Map.of(
                        OktaConnectorFactory.OKTA_DOMAIN, System.getenv("KEYLINE_OKTA_DOMAIN"),
                        OktaConnectorFactory.API_TOKEN, token,
                        OktaConnectorFactory.READ_FACTORS,
                                System.getenv().getOrDefault("KEYLINE_OKTA_READ_FACTORS", "no")),
                Set.of(OktaConnectorFactory.API_TOKEN));
        OktaConnectorFactory factory = new OktaConnectorFactory();
        return factory.create(
                factory.normalize(config),
                new ConnectorContext(
                        JdkHttpTransport.builder()
                                .connectTimeout(Duration.ofSeconds(10))
                                .requestTimeout(Duration.ofSeconds(60))
                                .build(),
                        Clock.systemUTC(),
                        ConnectorLogger.discarding()));
    }

    @Test
    void validatesListsAndReadsChangesOfARealOrg() {
        Connector connector = connector();
        Validation validation = connector
                .require(Capability.CREDENTIAL_VALIDATION, CredentialValidator.class)
                .validate();
        assertThat(validation.summary()).contains("Connected to Okta org");
        assertThat(validation.facts()).containsKey("okta_domain");
        assertThat(validation.toString()).doesNotContain(System.getenv("KEYLINE_OKTA_API_TOKEN"));

        Page<User> users = OktaFixture.users(connector).listUsers(UserQuery.all(5, false));
        assertThat(users.items())
                .hasSizeLessThanOrEqualTo(5)
                .allSatisfy(u -> assertThat(u.status()).isNotNull());
        connector.require(Capability.GROUPS, GroupDirectory.class).listGroups(GroupQuery.all(5));

        UserChangeFeed feed = connector.require(Capability.USER_CHANGES, UserChangeFeed.class);
        UserChanges changes = feed.userChanges(feed.currentWatermark(), null, 5, false);
        assertThat(changes.removed()).isEmpty();
    }
}
