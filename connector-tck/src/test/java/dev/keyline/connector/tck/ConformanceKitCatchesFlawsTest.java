package dev.keyline.connector.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.tck.ReferenceScimConnector.Flaw;
import dev.keyline.scimdouble.ScimUpstream;
import java.util.EnumSet;
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
    private static final class Kit extends ConnectorConformanceTest {
        private final String id;

        Kit(String id) {
            this.id = id;
        }

        @Override
        protected String connectorId() {
            return id;
        }

        @Override
        protected Set<Capability> expectedCapabilities() {
            return EnumSet.of(Capability.CREDENTIAL_VALIDATION, Capability.USERS, Capability.GROUPS);
        }

        @Override
        protected ConnectorConfig configFor(ScimUpstream upstream, String token) {
            return new ConnectorConfig(
                    Map.of("scim_url", upstream.hostedBaseUrl(), "bearer_token", token), Set.of("bearer_token"));
        }
    }

    /** Runs one kit test with its fixture; returns what it failed with, or null when it passed. */
    private static Throwable run(String connectorId, Consumer<ConnectorConformanceTest> test) {
        Kit kit = new Kit(connectorId);
        kit.startUpstream();
        Throwable failure = null;
        try {
            test.accept(kit);
        } catch (Throwable t) {
            failure = t;
        }
        try {
            kit.checkNoWritesAndStop();
        } catch (Throwable t) {
            if (failure == null) {
                failure = t;
            }
        }
        return failure;
    }

    private static void assertCaught(Flaw flaw, Consumer<ConnectorConformanceTest> test) {
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
        assertCaught(Flaw.WRITES_WHILE_VALIDATING, ConnectorConformanceTest::validationSucceedsWithTheRightToken);
    }

    @Test
    void anExpensiveValidationIsCaught() {
        assertCaught(Flaw.EXPENSIVE_VALIDATION, ConnectorConformanceTest::validationIsCheapAndNeverListsEverything);
    }

    @Test
    void aWrongCodeForABadTokenIsCaught() {
        assertCaught(
                Flaw.WRONG_CODE_FOR_BAD_TOKEN, ConnectorConformanceTest::wrongTokenFailsListingWithInvalidCredentials);
        assertCaught(
                Flaw.WRONG_CODE_FOR_BAD_TOKEN,
                ConnectorConformanceTest::wrongTokenFailsValidationWithInvalidCredentials);
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
    void anUndeclaredCapabilityIsCaught() {
        assertCaught(
                Flaw.UNDECLARED_HEALTH_PROBE,
                ConnectorConformanceTest::undeclaredCapabilitiesAreAbsentAndRequireFailsUnsupported);
    }
}
