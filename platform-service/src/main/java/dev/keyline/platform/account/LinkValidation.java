package dev.keyline.platform.account;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.connector.spi.CredentialValidator;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.HealthProbe;
import dev.keyline.connector.spi.HealthReport;
import dev.keyline.connector.spi.Redactor;
import dev.keyline.connector.spi.Validation;
import dev.keyline.platform.base.ConnectorFailures;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.connector.ConnectorContexts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * The validation pipeline every link, rotation and check runs: field screening, URL screening, the connector's
 * normalization, its credential validation and, for checks, the provider's health report. It touches no store,
 * and whatever a connector reports comes back redacted of the secrets it was given.
 */
@ApplicationScoped
public class LinkValidation {
    private static final Logger LOG = Logger.getLogger(LinkValidation.class);
    private static final int MAX_VALUE_LENGTH = 8192;

    private final ConnectorContexts contexts;
    private final Executor executor;

    @Inject
    LinkValidation(ConnectorContexts contexts, ManagedExecutor executor) {
        this(contexts, (Executor) executor);
    }

    /** @param executor runs the provider's health probe beside validation */
    LinkValidation(ConnectorContexts contexts, Executor executor) {
        this.contexts = requireNonNull(contexts, "contexts is null");
        this.executor = requireNonNull(executor, "executor is null");
    }

    /** Credentials that passed: the normalized configuration and what the connector found. */
    record Validated(ConnectorConfig config, Validation validation) {}

    /**
     * What a validation found: {@code validated} when it passed, else the problem's code, message and field, and
     * the connector's redacted exception (null when the failure was found before any connector ran), or the
     * platform's {@code problem} when the connector could not be asked (it timed out, was busy or broke).
     */
    record Outcome(
            Validated validated,
            String code,
            String message,
            String field,
            ConnectorException failure,
            HealthReport report,
            KeylineException problem) {
        static Outcome failed(String code, String message, String field) {
            return new Outcome(null, code, message, field, null, null, null);
        }

        static Outcome of(KeylineException problem) {
            return new Outcome(null, problem.code(), problem.detail(), problem.fieldName(), null, null, problem);
        }

        Outcome withReport(HealthReport health) {
            return new Outcome(validated, code, message, field, failure, health, problem);
        }

        /** Whether the failure may pass by itself: the provider or the connector was unavailable for a while. */
        boolean temporary() {
            if (failure != null) {
                return AccountHealth.temporary(failure.code());
            }
            return problem != null && (problem.is(FailureCode.TIMEOUT) || problem.is(FailureCode.CONNECTOR_BUSY));
        }
    }

    /** Validates strictly (unknown fields are refused) or throws the connector's problem. */
    Validated validateOrThrow(String tenantId, ConnectorFactory factory, Map<String, String> values) {
        Outcome outcome = validate(tenantId, factory, values, true, false);
        if (outcome.problem() != null) {
            throw outcome.problem();
        }
        if (outcome.validated() == null) {
            throw ConnectorFailures.validationFailed(outcome.failure()).connector(factory.id());
        }
        return outcome.validated();
    }

    /**
     * Normalizes and validates without touching any store. Failures come back as an outcome. With {@code probe},
     * also reads the provider's health report when the connector has {@link HealthProbe}, whatever validation
     * found: a bridge's report says most when something is wrong.
     */
    Outcome validate(
            String tenantId,
            ConnectorFactory factory,
            Map<String, String> values,
            boolean strictFields,
            boolean probe) {
        ConnectorDescriptor descriptor = factory.descriptor();
        if (strictFields) {
            rejectUnknownFields(descriptor, values);
        }
        Map<String, String> clean = new TreeMap<>();
        values.forEach((k, v) -> {
            if (v != null) {
                clean.put(k, v);
            }
        });
        ConnectorConfig raw = ConnectorConfig.of(descriptor, clean);
        Redactor redactor = Redactor.of(raw.secretValues());
        try {
            contexts.screenUrls(tenantId, descriptor, raw);
            ConnectorConfig config = factory.normalize(raw);
            // The report is closed before the connector: however validation ends, no probe outlives the connector.
            try (Connector connector = factory.create(config, contexts.contextFor(tenantId, descriptor.id(), config));
                    ParallelProbe report =
                            probe ? new ParallelProbe(() -> probe(connector, descriptor), executor) : null) {
                Outcome outcome = validateWith(connector, config, descriptor, redactor);
                return probe ? outcome.withReport(report.join()) : outcome;
            }
        } catch (ConnectorException e) {
            return failedOutcome(redacted(e, redactor));
        } catch (KeylineException e) {
            // The connector timed out, was busy or broke (the guard named it), or the platform refused the call.
            return Outcome.of(e);
        } catch (RuntimeException e) {
            return connectorBug(descriptor, e);
        }
    }

    private static Outcome validateWith(
            Connector connector, ConnectorConfig config, ConnectorDescriptor descriptor, Redactor redactor) {
        try {
            CredentialValidator validator = connector
                    .capability(CredentialValidator.class)
                    .orElseThrow(() -> ConnectorException.unsupported(Capability.CREDENTIAL_VALIDATION));
            Validation validation = requireNonNull(validator.validate(), "validation is null");
            return new Outcome(new Validated(config, validation), null, null, null, null, null, null);
        } catch (ConnectorException e) {
            return failedOutcome(redacted(e, redactor));
        } catch (KeylineException e) {
            return Outcome.of(e);
        } catch (RuntimeException e) {
            return connectorBug(descriptor, e);
        }
    }

    /** The provider's health report, or null when the connector has none or could not read it. */
    private static HealthReport probe(Connector connector, ConnectorDescriptor descriptor) {
        Optional<HealthProbe> probe = connector.capability(HealthProbe.class);
        if (probe.isEmpty()) {
            return null;
        }
        try {
            return probe.get().probe();
        } catch (RuntimeException e) {
            LOG.debugf("Connector '%s' could not read the provider's health (%s)", descriptor.id(), e.getClass());
            return null;
        }
    }

    private static Outcome failedOutcome(ConnectorException safe) {
        return new Outcome(
                null,
                ConnectorFailures.code(safe.code()),
                safe.getMessage(),
                safe.field().orElse(null),
                safe,
                null,
                null);
    }

    private static Outcome connectorBug(ConnectorDescriptor descriptor, RuntimeException e) {
        // A connector bug. Its message may quote what it was given, so only the type is logged.
        LOG.errorf("Connector '%s' failed unexpectedly while validating (%s)", descriptor.id(), e.getClass());
        ConnectorException failure = new ConnectorException(
                ErrorCode.UPSTREAM_ERROR, "The connector failed unexpectedly while checking the credentials.");
        return new Outcome(
                null, ConnectorFailures.code(failure.code()), failure.getMessage(), null, failure, null, null);
    }

    private static ConnectorException redacted(ConnectorException e, Redactor redactor) {
        String message = redactor.redact(e.getMessage());
        if (message.equals(e.getMessage())) {
            return e;
        }
        ConnectorException copy = e.retryAfter().isPresent()
                ? ConnectorException.rateLimited(e.retryAfter().get(), message)
                : new ConnectorException(e.code(), message);
        return e.field().map(copy::withField).orElse(copy);
    }

    /** Refuses a field the connector does not declare, and a value too long to be a credential. */
    static void rejectUnknownFields(ConnectorDescriptor descriptor, Map<String, String> values) {
        Set<String> known =
                descriptor.fields().stream().map(CredentialField::key).collect(Collectors.toSet());
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (!known.contains(entry.getKey())) {
                throw KeylineException.invalid(
                                FailureCode.UNKNOWN_FIELD,
                                "The connector '" + descriptor.id() + "' has no credential field `" + entry.getKey()
                                        + "`. Its fields are "
                                        + known.stream().sorted().toList() + ".")
                        .field("credentials." + entry.getKey());
            }
            if (entry.getValue() != null && entry.getValue().length() > MAX_VALUE_LENGTH) {
                throw KeylineException.invalid(FailureCode.INVALID_REQUEST, "A credential value is too long.")
                        .field("credentials." + entry.getKey());
            }
        }
    }
}
