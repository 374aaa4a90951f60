package dev.keyline.platform.account;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.AuthKind;
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
import dev.keyline.connector.spi.Redactor;
import dev.keyline.connector.spi.Validation;
import dev.keyline.platform.base.ConnectorFailures;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.connector.ConnectorContexts;
import dev.keyline.platform.connector.LiveSecrets;
import dev.keyline.platform.oauth.AuthForms;
import dev.keyline.platform.oauth.OAuthValues;
import dev.keyline.platform.observe.OperatorLog;
import dev.keyline.platform.reqlog.RequestLog;
import dev.keyline.platform.reqlog.RequestLogSubject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

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
    private final AuthKinds kinds;

    @Inject
    LinkValidation(ConnectorContexts contexts, ManagedExecutor executor, AuthKinds kinds) {
        this(contexts, (Executor) executor, kinds);
    }

    /** @param executor runs the provider's health probe beside validation */
    LinkValidation(ConnectorContexts contexts, Executor executor, AuthKinds kinds) {
        this.contexts = requireNonNull(contexts, "contexts is null");
        this.executor = requireNonNull(executor, "executor is null");
        this.kinds = requireNonNull(kinds, "kinds is null");
    }

    /**
     * Credentials that passed: the normalized configuration the connector ran with, what it found, what to store
     * (the connector's values and, for an OAuth or service-account kind, the platform's {@code auth.*} entries) and
     * the kind.
     */
    record Validated(
            ConnectorConfig config, Validation validation, Map<String, String> stored, AuthKind.Type authKind) {
        Validated(ConnectorConfig config, Validation validation) {
            this(config, validation, config.values(), AuthKind.Type.FIELDS);
        }
    }

    /** What a person sent, in stored form for its auth kind ({@link AuthKinds#prepare}). */
    Map<String, String> prepare(
            ConnectorFactory factory,
            String authKind,
            Map<String, String> credentials,
            Map<String, String> authorized) {
        return kinds.prepare(factory.descriptor(), authKind, credentials, authorized);
    }

    /** The stored values with an update's changes merged in ({@link AuthKinds#mergeForUpdate}). */
    Map<String, String> mergeForUpdate(
            ConnectorFactory factory,
            Map<String, String> stored,
            Map<String, String> changes,
            Map<String, String> authorized) {
        return kinds.mergeForUpdate(factory, stored, changes, authorized);
    }

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

    /**
     * Validates strictly (unknown fields are refused) or throws the connector's problem, logging the refusal for the
     * operator (its code and field).
     *
     * @param accountId the account whose credentials change, or null for a new link
     */
    Validated validateOrThrow(String tenantId, String accountId, ConnectorFactory factory, Map<String, String> values) {
        Outcome outcome;
        try {
            outcome = validate(tenantId, null, accountId, factory, values, true, false);
        } catch (KeylineException e) {
            OperatorLog.linkRefused(tenantId, accountId, factory.id(), e.code(), e.fieldName());
            throw e;
        }
        if (outcome.validated() == null) {
            OperatorLog.linkRefused(tenantId, accountId, factory.id(), outcome.code(), outcome.field());
        }
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
            String accountId,
            ConnectorFactory factory,
            Map<String, String> values,
            boolean strictFields,
            boolean probe) {
        return validate(tenantId, accountId, accountId, factory, values, strictFields, probe);
    }

    /**
     * As above; {@code loggedAccountId} is the account the upstream requests are logged under (null for a new link).
     * When the validation fails after an upstream request failed, that request's log entry id is put in the MDC
     * ({@link RequestLog#MDC_KEY}), where the problem document finds it.
     */
    private Outcome validate(
            String tenantId,
            String accountId,
            String loggedAccountId,
            ConnectorFactory factory,
            Map<String, String> values,
            boolean strictFields,
            boolean probe) {
        RequestLogSubject subject = RequestLogSubject.validation(tenantId, loggedAccountId);
        Outcome outcome = validate(tenantId, accountId, subject, factory, values, strictFields, probe);
        if (outcome.validated() == null) {
            subject.trail().failure().ifPresent(id -> MDC.put(RequestLog.MDC_KEY, id));
        }
        return outcome;
    }

    private Outcome validate(
            String tenantId,
            String accountId,
            RequestLogSubject subject,
            ConnectorFactory factory,
            Map<String, String> values,
            boolean strictFields,
            boolean probe) {
        ConnectorDescriptor descriptor = factory.descriptor();
        AuthKind.Type kind = OAuthValues.kind(values);
        if (strictFields && kind == AuthKind.Type.FIELDS) {
            rejectUnknownFields(descriptor, values);
        }
        Map<String, String> clean = new TreeMap<>();
        OAuthValues.connectorValues(values).forEach((k, v) -> {
            if (v != null) {
                clean.put(k, v);
            }
        });
        Map<String, String> platform = OAuthValues.platformValues(values);
        ConnectorConfig raw = ConnectorConfig.of(descriptor, clean);
        Set<String> secrets = new java.util.HashSet<>(raw.secretValues());
        secrets.addAll(AuthForms.secretValues(platform));
        Redactor redactor = Redactor.of(secrets);
        try {
            contexts.screenUrls(tenantId, descriptor, raw);
            ConnectorConfig config = factory.normalize(raw);
            Map<String, String> stored = new TreeMap<>(config.values());
            // An OAuth account's logger also learns each token its authorization renews while the check runs.
            LiveSecrets live = null;
            if (kind != AuthKind.Type.FIELDS) {
                stored.putAll(platform);
                live = new LiveSecrets(secrets);
                AuthKinds.Authorized authorized = kinds.authorize(tenantId, accountId, descriptor, stored, live::add);
                stored = authorized.stored();
                Set<String> held = AuthForms.secretValues(stored);
                secrets.addAll(held);
                held.forEach(live::add);
                redactor = Redactor.of(secrets);
                config = config.withAuthorization(authorized.authorization());
            }
            Redactor shown = redactor;
            ConnectorConfig used = config;
            Map<String, String> kept = stored;
            // The report is closed before the connector: however validation ends, no probe outlives the connector.
            ConnectorContext context = live == null
                    ? contexts.contextFor(subject, descriptor.id(), used)
                    : contexts.contextFor(subject, descriptor.id(), used, live);
            try (Connector connector = factory.create(used, context);
                    ParallelProbe report =
                            probe ? new ParallelProbe(() -> probe(connector, descriptor), executor) : null) {
                Outcome outcome = validateWith(connector, used, descriptor, shown, kept, kind);
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
            Connector connector,
            ConnectorConfig config,
            ConnectorDescriptor descriptor,
            Redactor redactor,
            Map<String, String> stored,
            AuthKind.Type kind) {
        try {
            CredentialValidator validator = connector
                    .capability(CredentialValidator.class)
                    .orElseThrow(() -> ConnectorException.unsupported(Capability.CREDENTIAL_VALIDATION));
            Validation validation = requireNonNull(validator.validate(), "validation is null");
            return new Outcome(new Validated(config, validation, stored, kind), null, null, null, null, null, null);
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
                ConnectorFailures.code(safe),
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
        rejectUnknown(
                "The connector '" + descriptor.id() + "' has no credential field",
                descriptor.fields().stream().map(CredentialField::key).sorted().toList(),
                values,
                MAX_VALUE_LENGTH);
    }

    /**
     * Refuses a key of {@code values} not among {@code known} ({@code unknown_field}, the sentence opening with
     * {@code noSuchField}) and a value longer than {@code maxLength} ({@code invalid_request}), on
     * {@code credentials.<key>}.
     */
    static void rejectUnknown(String noSuchField, Collection<String> known, Map<String, String> values, int maxLength) {
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (!known.contains(entry.getKey())) {
                throw KeylineException.invalid(
                                FailureCode.UNKNOWN_FIELD,
                                noSuchField + " `" + entry.getKey() + "`. Its fields are " + known + ".")
                        .field("credentials." + entry.getKey());
            }
            if (entry.getValue() != null && entry.getValue().length() > maxLength) {
                throw KeylineException.invalid(FailureCode.INVALID_REQUEST, "A credential value is too long.")
                        .field("credentials." + entry.getKey());
            }
        }
    }
}
