package dev.keyline.platform.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorContext;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.HealthProbe;
import dev.keyline.connector.spi.HealthReport;
import dev.keyline.connector.spi.Validation;
import dev.keyline.platform.account.LinkValidation.Outcome;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.connector.ConnectorContexts;
import dev.keyline.platform.reqlog.RequestLogSubject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The validation pipeline on its own: what comes back from a connector, and what never does. */
class LinkValidationTest {
    private static final String SECRET = "s3cr3t-api-key-0123456789";
    private static final HealthReport REPORT =
            new HealthReport(HealthReport.State.DEGRADED, "1.0", List.of(), Instant.parse("2026-01-31T09:00:00Z"));

    /** No egress in a unit test: URLs are not screened and the connector gets no context. */
    private static final ConnectorContexts NO_EGRESS = new ConnectorContexts() {
        @Override
        public void screenUrls(String tenantId, ConnectorDescriptor descriptor, ConnectorConfig connectorConfig) {}

        @Override
        public ConnectorContext contextFor(
                RequestLogSubject subject, String provider, ConnectorConfig connectorConfig) {
            return null;
        }
    };

    private final LinkValidation validation = new LinkValidation(NO_EGRESS, Runnable::run, new AuthKinds());

    @Test
    void passingCredentialsComeBackNormalizedAndWithoutClearedFields() {
        Map<String, String> values = new HashMap<>(Map.of("region", "EU", "api_key", SECRET));
        values.put("label", null);

        LinkValidation.Validated validated = validation.validateOrThrow(
                "tenant", null, factory(() -> new Validation("ok", Map.of("users", "3"))), values);

        assertThat(validated.config().values()).isEqualTo(Map.of("region", "eu", "api_key", SECRET));
        assertThat(validated.validation().facts()).containsEntry("users", "3");
    }

    @Test
    void aRejectionQuotingTheSecretComesBackRedactedWithItsCodeAndField() {
        Outcome outcome = validation.validate(
                "tenant",
                null,
                factory(() -> {
                    throw ConnectorException.forField(
                            ErrorCode.INVALID_CREDENTIALS, "api_key", "The key " + SECRET + " was rejected.");
                }),
                Map.of("region", "eu", "api_key", SECRET),
                true,
                false);

        assertThat(outcome.validated()).isNull();
        assertThat(outcome.code()).isEqualTo("invalid_credentials");
        assertThat(outcome.field()).isEqualTo("api_key");
        assertThat(outcome.message()).contains("was rejected").doesNotContain(SECRET);
        assertThat(outcome.failure().getMessage()).doesNotContain(SECRET);
        assertThat(outcome.failure().field()).contains("api_key");
    }

    @Test
    void aConnectorBugBecomesAnUpstreamErrorThatQuotesNothingItWasGiven() {
        Outcome outcome = validation.validate(
                "tenant",
                null,
                factory(() -> {
                    throw new IllegalStateException("could not parse " + SECRET);
                }),
                Map.of("region", "eu", "api_key", SECRET),
                true,
                false);

        assertThat(outcome.code()).isEqualTo("upstream_error");
        assertThat(outcome.message()).isEqualTo("The connector failed unexpectedly while checking the credentials.");
    }

    @Test
    void aProbingValidationCarriesTheProvidersReportEvenWhenTheCredentialsFail() {
        Outcome outcome = validation.validate(
                "tenant",
                null,
                factory(() -> {
                    throw new ConnectorException(ErrorCode.UPSTREAM_UNAVAILABLE, "The bridge is down.");
                }),
                Map.of("region", "eu", "api_key", SECRET),
                false,
                true);

        assertThat(outcome.code()).isEqualTo("upstream_unavailable");
        assertThat(outcome.report()).isEqualTo(REPORT);
    }

    @Test
    void aStrictValidationRefusesAFieldTheConnectorDoesNotDeclare() {
        KeylineException problem = catchThrowableOfType(
                KeylineException.class,
                () -> validation.validateOrThrow(
                        "tenant",
                        null,
                        factory(() -> new Validation("ok", Map.of())),
                        Map.of("region", "eu", "api_key", SECRET, "password", "x")));

        assertThat(problem.code()).isEqualTo("unknown_field");
        assertThat(problem.fieldName()).isEqualTo("credentials.password");
    }

    @Test
    void aValueTooLongToBeACredentialIsRefusedBeforeAnyConnectorRuns() {
        KeylineException problem = catchThrowableOfType(
                KeylineException.class,
                () -> validation.validateOrThrow(
                        "tenant",
                        null,
                        factory(() -> {
                            throw new AssertionError("no connector should run");
                        }),
                        Map.of("region", "eu", "api_key", "k".repeat(8193))));

        assertThat(problem.code()).isEqualTo("invalid_request");
        assertThat(problem.fieldName()).isEqualTo("credentials.api_key");
    }

    @Test
    void aFailedStrictValidationThrowsTheConnectorsProblem() {
        KeylineException problem = catchThrowableOfType(
                KeylineException.class,
                () -> validation.validateOrThrow(
                        "tenant",
                        null,
                        factory(() -> {
                            throw ConnectorException.forField(ErrorCode.INVALID_CREDENTIALS, "api_key", "Rejected.");
                        }),
                        Map.of("region", "eu", "api_key", SECRET)));

        assertThat(problem.code()).isEqualTo("invalid_credentials");
        assertThat(problem.fieldName()).isEqualTo("api_key");
    }

    /** A provider whose validation does what it is told and whose health report is {@link #REPORT}. */
    private static ConnectorFactory factory(Supplier<Validation> validate) {
        ConnectorDescriptor descriptor = new ConnectorDescriptor(
                "scripted",
                "Scripted",
                "iam",
                "A provider scripted by the test.",
                List.of("Paste the key."),
                List.of(
                        CredentialField.routingText("region", "Region", "Where the account lives.", "eu", null),
                        CredentialField.text("label", "Label", "A name for the connection.", "HR", null),
                        CredentialField.secret("api_key", "API key", "From the console.", "k")),
                List.of(),
                Set.of(Capability.CREDENTIAL_VALIDATION, Capability.HEALTH_PROBE));
        return new ConnectorFactory() {
            @Override
            public String id() {
                return "scripted";
            }

            @Override
            public ConnectorDescriptor descriptor() {
                return descriptor;
            }

            @Override
            public ConnectorConfig normalize(ConnectorConfig config) {
                return config.with("region", config.require("region", "Region").toLowerCase(Locale.ROOT));
            }

            @Override
            public Connector create(ConnectorConfig config, ConnectorContext context) {
                return new ScriptedConnector(validate);
            }
        };
    }

    private record ScriptedConnector(Supplier<Validation> script)
            implements Connector, CredentialValidator, HealthProbe {
        @Override
        public Validation validate() {
            return script.get();
        }

        @Override
        public HealthReport probe() {
            return REPORT;
        }

        @Override
        public void close() {}
    }
}
