package dev.keyline.platform.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The destination rule on a connector whose destination is not a URL but a region, as future auth kinds have. */
class DestinationGuardTest {

    /** A region decides the host; the label does not; two secrets go with whatever region is stored. */
    private static final class RegionalFactory implements ConnectorFactory {
        private static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(
                "regional",
                "Regional",
                "iam",
                "A provider hosted per region.",
                List.of("Pick the region and paste the keys."),
                List.of(
                        CredentialField.routingText("region", "Region", "Where the account lives.", "eu", null),
                        CredentialField.text("label", "Label", "A name for the connection.", "HR", null),
                        CredentialField.secret("client_secret", "Client secret", "From the console.", "s"),
                        CredentialField.secret("api_key", "API key", "From the console.", "k")),
                List.of(),
                Set.of(Capability.CREDENTIAL_VALIDATION));

        @Override
        public String id() {
            return "regional";
        }

        @Override
        public ConnectorDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public ConnectorConfig normalize(ConnectorConfig config) {
            return config.with("region", config.require("region", "Region").toLowerCase(Locale.ROOT));
        }

        @Override
        public Connector create(ConnectorConfig config, ConnectorContext context) {
            throw new AssertionError("the guard never creates a connector");
        }
    }

    private static final ConnectorFactory FACTORY = new RegionalFactory();
    private static final Map<String, String> STORED =
            Map.of("region", "eu", "label", "HR", "client_secret", "stored-secret", "api_key", "stored-key");

    @Test
    void aNewRegionWithoutTheSecretsIsRefusedNamingEachOne() {
        KeylineException problem = refusal(Map.of("region", "us"));

        assertThat(problem.kind()).isEqualTo(Kind.INVALID);
        assertThat(problem.code()).isEqualTo("secrets_required");
        assertThat(problem.fieldName()).isEqualTo("credentials.api_key");
        assertThat(problem.fieldErrors())
                .extracting(e -> e.get("field"))
                .containsExactly("credentials.api_key", "credentials.client_secret");
        assertThat(problem.detail()).contains("region").doesNotContain("stored-secret", "stored-key");
    }

    @Test
    void aNewRegionWithOnlySomeOfTheSecretsIsRefusedNamingTheOthers() {
        KeylineException problem = refusal(Map.of("region", "us", "api_key", "new-key"));

        assertThat(problem.fieldErrors()).extracting(e -> e.get("field")).containsExactly("credentials.client_secret");
    }

    @Test
    void removingTheRegionIsAChangeOfDestinationToo() {
        Map<String, String> changes = new HashMap<>();
        changes.put("region", null);

        assertThat(refusal(changes).code()).isEqualTo("secrets_required");
    }

    @Test
    void aNewRegionWithEverySecretIsAllowed() {
        assertThatCode(() -> DestinationGuard.requireSecretsForNewDestination(
                        FACTORY, STORED, Map.of("region", "us", "api_key", "k2", "client_secret", "s2")))
                .doesNotThrowAnyException();
    }

    @Test
    void fieldsThatDoNotRouteAndTheSameRegionNeedNoSecrets() {
        assertThatCode(() -> DestinationGuard.requireSecretsForNewDestination(
                        FACTORY, STORED, Map.of("label", "Payroll", "region", "EU")))
                .doesNotThrowAnyException();
        assertThatCode(() ->
                        DestinationGuard.requireSecretsForNewDestination(FACTORY, STORED, Map.of("api_key", "rotated")))
                .doesNotThrowAnyException();
    }

    private static KeylineException refusal(Map<String, String> changes) {
        return catchThrowableOfType(
                KeylineException.class,
                () -> DestinationGuard.requireSecretsForNewDestination(FACTORY, STORED, changes));
    }
}
