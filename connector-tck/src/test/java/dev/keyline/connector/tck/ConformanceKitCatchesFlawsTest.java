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

    @Test
    void aDroppedUserTypeIsCaught() {
        assertCaught(Flaw.DROPS_USER_TYPE, kit -> kit.everyUserIsListedExactlyOnceWithAllFieldsMapped(100));
        assertCaught(Flaw.DROPS_USER_TYPE, ConnectorConformanceTest::knownUserIsFoundById);
    }

    /** The kit's roles section, run by hand on an in-memory roles connector with eight roles. */
    private static final class RolesKit extends ConnectorConformanceTest {
        private final String id;

        RolesKit(String id) {
            this.id = id;
        }

        @Override
        protected String connectorId() {
            return id;
        }

        @Override
        protected ExpectedDirectory expectedDirectory() {
            return ExpectedDirectory.standard().withRoles(8);
        }

        @Override
        protected UpstreamDouble startUpstream(ExpectedDirectory directory) {
            return new InMemoryRolesConnectorFactory.Double(directory);
        }

        @Override
        protected ConnectorConfig configFor(UpstreamDouble upstream, Credentials credentials) {
            String key = ((InMemoryRolesConnectorFactory.Double) upstream).key;
            return new ConnectorConfig(Map.of("directory_key", key), Set.of());
        }
    }

    private static void assertRolesCaught(InMemoryRolesConnectorFactory.Flaw flaw, Consumer<RolesKit> test) {
        assertThat(run(new RolesKit(InMemoryRolesConnectorFactory.ID), test))
                .as("the correct connector passes")
                .isNull();
        assertThat(run(new RolesKit(InMemoryRolesConnectorFactory.idOf(flaw)), test))
                .as("the connector with %s fails", flaw)
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void theRolesSectionPassesACorrectConnector() {
        for (int pageSize : new int[] {1, 7, 100}) {
            assertThat(run(
                            new RolesKit(InMemoryRolesConnectorFactory.ID),
                            kit -> kit.everyRoleIsListedExactlyOnce(pageSize)))
                    .isNull();
        }
        assertThat(run(
                        new RolesKit(InMemoryRolesConnectorFactory.ID),
                        ConnectorConformanceTest::declaredCapabilitiesAreImplementedAndWork))
                .isNull();
    }

    @Test
    void aRoleMissedByPagingIsCaught() {
        assertRolesCaught(
                InMemoryRolesConnectorFactory.Flaw.SKIPS_LAST_ROLE, kit -> kit.everyRoleIsListedExactlyOnce(7));
        assertRolesCaught(
                InMemoryRolesConnectorFactory.Flaw.SKIPS_LAST_ROLE,
                ConnectorConformanceTest::everyRoleIsFoundByIdWithItsAssignments);
    }

    @Test
    void missingAssignmentsAreCaught() {
        assertRolesCaught(
                InMemoryRolesConnectorFactory.Flaw.NO_ASSIGNMENTS,
                ConnectorConformanceTest::everyRoleCarriesItsAssignmentsWhenAsked);
        assertRolesCaught(
                InMemoryRolesConnectorFactory.Flaw.NO_ASSIGNMENTS,
                ConnectorConformanceTest::everyRoleIsFoundByIdWithItsAssignments);
    }

    @Test
    void anUnknownRoleFoundIsCaught() {
        assertRolesCaught(
                InMemoryRolesConnectorFactory.Flaw.FINDS_UNKNOWN_ROLE, ConnectorConformanceTest::unknownRoleIsEmpty);
    }

    @Test
    void aDroppedPrivilegeMarkIsCaught() {
        assertRolesCaught(
                InMemoryRolesConnectorFactory.Flaw.DROPS_PRIVILEGE, kit -> kit.everyRoleIsListedExactlyOnce(100));
    }

    @Test
    void theRolesSectionIsSkippedForConnectorsWithoutRoles() {
        Throwable skipped = run(ReferenceScimConnectorFactory.ID, ConnectorConformanceTest::unknownRoleIsEmpty);

        assertThat(skipped).isInstanceOf(org.opentest4j.TestAbortedException.class);
    }
}
