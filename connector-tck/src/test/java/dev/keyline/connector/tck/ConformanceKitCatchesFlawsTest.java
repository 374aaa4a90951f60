package dev.keyline.connector.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.tck.ReferenceScimConnector.Flaw;
import dev.keyline.scimdouble.ScimUpstream;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The kit is only worth running if it fails broken connectors: each flawed variant of the reference
 * connector must fail the kit test aimed at its flaw, which the correct connector passes.
 */
class ConformanceKitCatchesFlawsTest {

    /** The kit, run by hand on one connector id. */
    private static final class Kit extends ScimConformanceTest {
        private final String id;

        Kit(String id) {
            this.id = id;
        }

        @Override
        protected String connectorId() {
            return id;
        }

        @Override
        protected ConnectorConfig configFor(ScimUpstream upstream, String token) {
            return new ConnectorConfig(
                    Map.of("scim_url", upstream.hostedBaseUrl(), "bearer_token", token), Set.of("bearer_token"));
        }
    }

    /** Runs one kit test with its fixture; returns what it failed with, or null when it passed. */
    private static Throwable run(String connectorId, Consumer<ScimConformanceTest> test) {
        return run(new Kit(connectorId), test);
    }

    private static <K extends ConnectorConformanceTest> Throwable run(K kit, Consumer<K> test) {
        kit.startKit();
        Throwable failure = null;
        try {
            test.accept(kit);
        } catch (Throwable t) {
            failure = t;
        }
        try {
            kit.checkAndStopKit();
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            }
        }
        return failure;
    }

    private static void assertCaught(Flaw flaw, Consumer<ScimConformanceTest> test) {
        assertThat(run(ReferenceScimConnectorFactory.ID, test))
                .as("the correct connector passes")
                .isNull();
        assertThat(run(FlawedConnectorFactories.idOf(flaw), test))
                .as("the connector with %s fails", flaw)
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void overlappingPagesAreCaught() {
        assertCaught(Flaw.OVERLAPPING_PAGES, kit -> kit.everyUserIsListedExactlyOnceWithAllFieldsMapped(7));
    }

    @Test
    void aWriteRequestIsCaught() {
        assertCaught(Flaw.WRITES_WHILE_VALIDATING, ConnectorConformanceTest::validationSucceedsWithValidCredentials);
    }

    @Test
    void anExpensiveValidationIsCaught() {
        assertCaught(Flaw.EXPENSIVE_VALIDATION, ScimConformanceTest::validationAsksForTinyPages);
    }

    @Test
    void aWrongCodeForABadTokenIsCaught() {
        assertCaught(
                Flaw.WRONG_CODE_FOR_BAD_TOKEN,
                ConnectorConformanceTest::wrongCredentialsFailListingWithInvalidCredentials);
        assertCaught(
                Flaw.WRONG_CODE_FOR_BAD_TOKEN,
                ConnectorConformanceTest::wrongCredentialsFailValidationWithInvalidCredentials);
    }

    @Test
    void aMissingRetryAfterIsCaught() {
        assertCaught(Flaw.NO_RETRY_AFTER, ConnectorConformanceTest::rateLimitIsReportedWithRetryAfter);
    }

    @Test
    void aWrongStatusMappingIsCaught() {
        assertCaught(Flaw.EVERYONE_ENABLED, kit -> kit.everyUserIsListedExactlyOnceWithAllFieldsMapped(100));
        assertCaught(Flaw.EVERYONE_ENABLED, ConnectorConformanceTest::knownUserIsFoundById);
    }

    @Test
    void aTokenInALogLineIsCaught() {
        assertCaught(Flaw.LOGS_TOKEN, ConnectorConformanceTest::noSecretReachesALogLineOrAnErrorMessage);
        // The leak check runs after every kit test, not only the one that walks the failure paths.
        assertCaught(Flaw.LOGS_TOKEN, kit -> kit.everyUserIsListedExactlyOnceWithAllFieldsMapped(100));
    }

    @Test
    void aTokenInAnErrorMessageIsCaught() {
        assertCaught(Flaw.TOKEN_IN_MESSAGE, ConnectorConformanceTest::noSecretReachesALogLineOrAnErrorMessage);
        assertCaught(
                Flaw.TOKEN_IN_MESSAGE, ConnectorConformanceTest::forbiddenCredentialsFailListingWithInvalidCredentials);
    }

    @Test
    void anUndeclaredCapabilityIsCaught() {
        assertCaught(
                Flaw.UNDECLARED_HEALTH_PROBE,
                ConnectorConformanceTest::undeclaredCapabilitiesAreAbsentAndRequireFailsUnsupported);
    }
}
