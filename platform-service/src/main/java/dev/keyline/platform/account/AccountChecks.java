package dev.keyline.platform.account;

import static dev.keyline.platform.account.AccountCalls.joined;
import static dev.keyline.platform.account.AccountStatusTransitions.markActive;
import static dev.keyline.platform.account.AccountStatusTransitions.markError;
import static dev.keyline.platform.account.AccountStatusTransitions.truncate;

import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.platform.account.AccountDtos.AccountView;
import dev.keyline.platform.account.LinkValidation.Outcome;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.observe.OperatorLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.context.ManagedExecutor;

/**
 * Checks of a linked account's stored credentials, on demand and periodic, and the account status each outcome
 * leads to: a credential or configuration error at once, the provider's unavailability only when it persists.
 */
@ApplicationScoped
public class AccountChecks {
    private final AccountLookup lookup;
    private final AccountStatusTransitions transitions;
    private final LinkValidation validation;
    private final CredentialStore credentials;
    private final ConnectorRegistry registry;
    private final HealthConfig health;
    private final ManagedExecutor executor;

    AccountChecks(
            AccountLookup lookup,
            AccountStatusTransitions transitions,
            LinkValidation validation,
            CredentialStore credentials,
            ConnectorRegistry registry,
            HealthConfig health,
            ManagedExecutor executor) {
        this.lookup = lookup;
        this.transitions = transitions;
        this.validation = validation;
        this.credentials = credentials;
        this.registry = registry;
        this.health = health;
        this.executor = executor;
    }

    /**
     * Re-validates the stored credentials and records the outcome, and the provider's own health report when the
     * connector can read one. A credential or configuration error puts the account in {@code error} at once; the
     * provider's temporary unavailability only after {@link HealthConfig#unavailableThreshold()} checks in a row.
     * A transition fires {@link AccountStatusChanged} once, after it is committed.
     */
    public AccountView check(String tenantId, String accountId) {
        // The outcome is written under the row's lock, which judges an unlink or a deletion that happened since.
        // So before asking the provider only the provider's name is needed from the row, and it never changes.
        // The store is keyed by tenant, so another tenant's id reads nothing.
        String keyId = accountId == null ? "" : accountId;
        String provider = lookup.knownProvider(tenantId, keyId);
        Optional<Map<String, String>> stored;
        if (provider != null) {
            stored = credentials.get(tenantId, accountId);
        } else {
            // The row and the credentials are independent reads: both at once; what was read is dropped when the
            // row says 404 or 409.
            CompletableFuture<Optional<Map<String, String>>> reading =
                    CompletableFuture.supplyAsync(() -> credentials.get(tenantId, accountId), executor);
            provider = lookup.requireRecentlyUsable(tenantId, accountId).provider;
            stored = joined(reading);
            lookup.rememberProvider(tenantId, keyId, provider);
        }
        String providerId = provider;
        Optional<ConnectorFactory> factory = registry.find(providerId);
        Outcome outcome;
        if (stored.isEmpty()) {
            outcome = Outcome.failed(
                    "credentials_missing", "The stored credentials are missing. Link the account again.", null);
        } else if (factory.isEmpty()) {
            outcome = Outcome.failed(
                    FailureCode.CONNECTOR_UNAVAILABLE.wire(),
                    "The connector '" + providerId + "' is not installed on this Keyline.",
                    null);
        } else {
            outcome = validation.validate(tenantId, accountId, factory.get(), stored.get(), false, true);
        }
        if (outcome.validated() == null) {
            OperatorLog.checkRefused(tenantId, accountId, providerId, outcome.code(), outcome.field());
        }
        return transitions.transition(tenantId, accountId, current -> {
            Instant now = transitions.now();
            Instant updatedBefore = current.updatedAt;
            Shown shownBefore = Shown.of(current);
            applyCheck(current, outcome, now);
            // A check that found what was there keeps updated_at: it says when the account last changed, and the
            // shared connector made from this row stays current (a new updated_at would retire it).
            current.updatedAt = Shown.of(current).equals(shownBefore) ? updatedBefore : now;
        });
    }

    /** What an account shows of itself, apart from when it was last checked. */
    private record Shown(
            String status,
            String statusCode,
            String statusMessage,
            String statusField,
            String validationSummary,
            Map<String, String> facts) {
        static Shown of(LinkedAccount account) {
            return new Shown(
                    account.status,
                    account.statusCode,
                    account.statusMessage,
                    account.statusField,
                    account.validationSummary,
                    account.facts == null ? Map.of() : new HashMap<>(account.facts));
        }
    }

    private void applyCheck(LinkedAccount current, Outcome outcome, Instant now) {
        current.lastCheckedAt = now;
        if (outcome.report() != null) {
            current.healthReport = AccountHealth.reportJson(outcome.report());
            current.healthCheckedAt = now;
        }
        if (outcome.validated() != null) {
            current.consecutiveUnavailable = 0;
            current.lastUnavailableCode = null;
            current.lastUnavailableMessage = null;
            if (FailureCode.DELETION_GUARD.wire().equals(current.statusCode)) {
                // The credentials work, but the refused deletions still wait for an operator's confirmation.
                current.validationSummary = outcome.validated().validation().summary();
                current.facts = new HashMap<>(outcome.validated().validation().facts());
            } else {
                markActive(current, outcome.validated().validation(), now);
            }
        } else if (outcome.temporary()) {
            current.consecutiveUnavailable++;
            current.lastUnavailableCode = outcome.code();
            current.lastUnavailableMessage = truncate(outcome.message());
            if (current.consecutiveUnavailable >= health.unavailableThreshold()
                    && LinkedAccount.ACTIVE.equals(current.status)) {
                markError(
                        current,
                        outcome.code(),
                        outcome.message() + " (" + current.consecutiveUnavailable + " checks in a row)",
                        outcome.field(),
                        now);
            }
        } else {
            current.consecutiveUnavailable = 0;
            current.lastUnavailableCode = null;
            current.lastUnavailableMessage = null;
            markError(current, outcome.code(), outcome.message(), outcome.field(), now);
        }
    }
}
