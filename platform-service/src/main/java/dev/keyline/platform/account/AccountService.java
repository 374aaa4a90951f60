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
import dev.keyline.platform.account.AccountDtos.AccountPage;
import dev.keyline.platform.account.AccountDtos.AccountView;
import dev.keyline.platform.base.ConnectorFailures;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Tokens;
import dev.keyline.platform.cache.RecentlyRead;
import dev.keyline.platform.connector.ConnectorContexts;
import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.credential.CredentialStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * Linking, rotating, checking and unlinking provider accounts.
 *
 * <p>Credentials never reach PostgreSQL. Writes are ordered so that a crash cannot leave an {@code active}
 * row without credentials: a new account's credentials are stored first under a pre-generated id and the row
 * follows (the credentials are deleted again if the row fails); an unlink marks the row first and destroys
 * the credentials after. No database transaction is held while a connector talks to its provider.
 */
@ApplicationScoped
public class AccountService {
    private static final Logger LOG = Logger.getLogger(AccountService.class);
    private static final int MAX_VALUE_LENGTH = 8192;
    private static final int MAX_RECENT_ACCOUNTS = 10_000;
    private static final int MAX_PAGE_SIZE = 200;
    private static final int DEFAULT_PAGE_SIZE = 50;
    private static final Set<String> STATUSES =
            Set.of(LinkedAccount.ACTIVE, LinkedAccount.ERROR, LinkedAccount.UNLINKED);

    @Inject
    LinkedAccountRepository accounts;

    @Inject
    CredentialStore credentials;

    @Inject
    ConnectorRegistry registry;

    @Inject
    ConnectorContexts contexts;

    @Inject
    Event<AccountLinked> linked;

    @Inject
    Event<AccountStatusChanged> statusChanged;

    @Inject
    Event<AccountUnlinked> unlinked;

    @Inject
    HealthConfig health;

    @Inject
    ManagedExecutor executor;

    Clock clock = Clock.systemUTC();

    private record AccountKey(String tenantId, String accountId) {}

    /**
     * Usable accounts' rows as read a moment ago, for the read paths ({@link #requireRecentlyUsable}). Dropped here
     * whenever this service commits a change to the row, so this replica never reads an account older than its
     * own last write; keyed by tenant, so another tenant's id is never answered from here.
     */
    private final RecentlyRead<AccountKey, LinkedAccount> recent;

    /**
     * Accounts' providers. An account never changes provider (re-linking another provider makes another account),
     * so these never go stale: a repeated check needs nothing from the row before it asks the provider, and the
     * row is judged under its lock when the outcome is written. Keyed by tenant like everything else.
     */
    private final Map<AccountKey, String> providers = new ConcurrentHashMap<>();

    @Inject
    public AccountService(AccountsConfig config) {
        this.recent = new RecentlyRead<>(config.readCacheTtl().toNanos(), MAX_RECENT_ACCOUNTS);
    }

    /** A link request, from the tenant's backend or the connect UI. */
    public record LinkCommand(
            String originOwnerId, String originOwnerName, String provider, Map<String, String> credentials) {
        public LinkCommand {
            requireNonNull(originOwnerId, "originOwnerId is null");
            requireNonNull(originOwnerName, "originOwnerName is null");
            requireNonNull(provider, "provider is null");
            requireNonNull(credentials, "credentials is null");
        }

        @Override
        public String toString() {
            return "LinkCommand[originOwnerId=" + originOwnerId + ", provider=" + provider + "]";
        }
    }

    /** The outcome of a link: the account, and whether it is new (false when an existing one was re-linked). */
    public record LinkResult(AccountView account, boolean created) {}

    /**
     * Validates the credentials and, only if they pass, stores them and activates the account. Linking the
     * same origin owner and provider again updates that account. A failure stores and creates nothing and
     * throws the connector's problem.
     */
    public LinkResult link(String tenantId, LinkCommand command) {
        LinkResult result = linkAccount(tenantId, command);
        AccountView account = result.account();
        rememberProvider(new AccountKey(tenantId, account.id()), account.provider());
        linked.fire(new AccountLinked(
                tenantId,
                account.id(),
                account.originOwnerId(),
                account.provider(),
                account.status(),
                result.created()));
        return result;
    }

    private LinkResult linkAccount(String tenantId, LinkCommand command) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(command, "command is null");
        ConnectorFactory factory = registry.require(command.provider());
        // Whether this owner already has such an account is looked up while the provider is asked.
        CompletableFuture<Optional<LinkedAccount>> live = CompletableFuture.supplyAsync(
                () -> QuarkusTransaction.requiringNew()
                        .call(() -> accounts.findLive(tenantId, command.originOwnerId(), command.provider())),
                executor);
        Validated validated = validateOrThrow(tenantId, factory, command.credentials());

        Optional<LinkedAccount> existing = joined(live);
        if (existing.isPresent()) {
            return new LinkResult(
                    storeOnExisting(tenantId, existing.get().id, command.originOwnerName(), validated), false);
        }

        String accountId = Tokens.newId();
        credentials.put(tenantId, accountId, validated.config().values());
        try {
            AccountView created = tx(() -> {
                Instant now = now();
                LinkedAccount account = new LinkedAccount();
                account.id = accountId;
                account.tenantId = tenantId;
                account.originOwnerId = command.originOwnerId();
                account.originOwnerName = command.originOwnerName();
                account.provider = command.provider();
                account.createdAt = now;
                markActive(account, validated.validation(), now);
                accounts.persistAndFlush(account);
                return AccountView.of(account);
            });
            return new LinkResult(created, true);
        } catch (RuntimeException e) {
            Optional<LinkedAccount> winner;
            try {
                credentials.delete(tenantId, accountId);
                // A concurrent link of the same owner and provider may have won the unique index; join it.
                winner = tx(() -> accounts.findLive(tenantId, command.originOwnerId(), command.provider()));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
                throw e;
            }
            if (winner.isPresent()) {
                return new LinkResult(
                        storeOnExisting(tenantId, winner.get().id, command.originOwnerName(), validated), false);
            }
            throw e;
        }
    }

    /**
     * Replaces an account's credentials after validating the merge of {@code changes} over the stored values.
     * When validation fails nothing is replaced, so the old credentials keep working. A null
     * {@code originOwnerName} keeps the current name. Changes that move the account to another destination must
     * bring its secrets again ({@link DestinationGuard}).
     */
    public AccountView update(String tenantId, String accountId, String originOwnerName, Map<String, String> changes) {
        LinkedAccount account = tx(() -> requireUsable(tenantId, accountId));
        if (changes == null || changes.isEmpty()) {
            if (originOwnerName == null) {
                return AccountView.of(account);
            }
            AccountView renamed = tx(() -> {
                LinkedAccount current = requireUsable(tenantId, accountId);
                current.originOwnerName = originOwnerName;
                current.updatedAt = now();
                return AccountView.of(current);
            });
            recent.forget(new AccountKey(tenantId, accountId));
            return renamed;
        }
        ConnectorFactory factory = registry.require(account.provider);
        Map<String, String> stored = credentials.get(tenantId, accountId).orElse(Map.of());
        Map<String, String> merged = new TreeMap<>(stored);
        rejectUnknownFields(factory.descriptor(), changes);
        DestinationGuard.requireSecretsForNewDestination(factory, stored, changes);
        changes.forEach((k, v) -> {
            if (v == null) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        Validated validated = validateOrThrow(tenantId, factory, merged);
        return storeOnExisting(tenantId, accountId, originOwnerName, validated);
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
        AccountKey key = new AccountKey(tenantId, accountId == null ? "" : accountId);
        String provider = providers.get(key);
        Optional<Map<String, String>> stored;
        if (provider != null) {
            stored = credentials.get(tenantId, accountId);
        } else {
            // The row and the credentials are independent reads: both at once; what was read is dropped when the
            // row says 404 or 409.
            CompletableFuture<Optional<Map<String, String>>> reading =
                    CompletableFuture.supplyAsync(() -> credentials.get(tenantId, accountId), executor);
            provider = requireRecentlyUsable(tenantId, accountId).provider;
            stored = joined(reading);
            rememberProvider(key, provider);
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
            outcome = validate(tenantId, factory.get(), stored.get(), false, true);
        }
        return transition(tenantId, accountId, current -> {
            Instant now = now();
            Instant updatedBefore = current.updatedAt;
            Shown shownBefore = Shown.of(current);
            applyCheck(current, outcome, now);
            // A check that found what was there keeps updated_at: it says when the account last changed, and the
            // shared connector made from this row stays current (a new updated_at would retire it).
            current.updatedAt = Shown.of(current).equals(shownBefore) ? updatedBefore : now;
        });
    }

    private void rememberProvider(AccountKey key, String provider) {
        if (providers.size() >= MAX_RECENT_ACCOUNTS) {
            // Bounded like the row cache; refilled one read per account.
            providers.clear();
        }
        providers.put(key, provider);
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
        } else if (outcome.failure() != null
                && AccountHealth.temporary(outcome.failure().code())) {
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

    /**
     * A sync found the account unusable (the provider rejected its credentials) or refused to go on (the
     * deletion guard): the account goes to {@code error} with that reason at once. An unlinked account is left
     * alone.
     */
    public void markSyncFailed(String tenantId, String accountId, String code, String message, String field) {
        requireNonNull(code, "code is null");
        transition(tenantId, accountId, current -> markError(current, code, message, field, now()));
    }

    /**
     * A sync completed: the credentials work and the directory was read whole, so an account in {@code error}
     * recovers (also from a deletion-guard error: the completed sync applied or no longer needed the deletions).
     */
    public void markSyncSucceeded(String tenantId, String accountId) {
        transition(tenantId, accountId, current -> {
            if (LinkedAccount.ERROR.equals(current.status)) {
                current.status = LinkedAccount.ACTIVE;
                current.statusCode = null;
                current.statusMessage = null;
                current.statusField = null;
                current.consecutiveUnavailable = 0;
                current.lastUnavailableCode = null;
                current.lastUnavailableMessage = null;
                current.updatedAt = now();
            }
        });
    }

    /**
     * Applies a change to the locked row of a live account in a transaction of its own, then, once that is
     * committed, fires {@link AccountStatusChanged} if the status moved between {@code active} and {@code error}.
     * The row lock makes concurrent checks and syncs decide one after the other, so each transition fires once.
     */
    private AccountView transition(
            String tenantId, String accountId, java.util.function.Consumer<LinkedAccount> change) {
        record Result(AccountView view, AccountStatusChanged event) {}
        Result result = QuarkusTransaction.requiringNew().call(() -> {
            LinkedAccount current = accounts.findForTenantLocked(tenantId, accountId)
                    .orElseThrow(() -> KeylineException.notFound("Account " + accountId));
            if (LinkedAccount.UNLINKED.equals(current.status)) {
                throw KeylineException.conflict(
                        FailureCode.ACCOUNT_NOT_ACTIVE, "This account was unlinked. Link it again to use it.");
            }
            String before = current.status;
            change.accept(current);
            AccountStatusChanged event = before.equals(current.status)
                    ? null
                    : new AccountStatusChanged(
                            tenantId,
                            accountId,
                            before,
                            current.status,
                            current.statusCode,
                            current.statusMessage,
                            current.statusField,
                            current.updatedAt);
            return new Result(AccountView.of(current), event);
        });
        recent.forget(new AccountKey(tenantId, accountId));
        if (result.event() != null) {
            try {
                statusChanged.fire(result.event());
            } catch (RuntimeException e) {
                // The status is committed; an observer's failure must not undo the caller's work.
                LOG.warnf(
                        "An observer of account status changes failed (%s)",
                        e.getClass().getSimpleName());
            }
        }
        return result.view();
    }

    private static void markError(LinkedAccount account, String code, String message, String field, Instant now) {
        account.status = LinkedAccount.ERROR;
        account.statusCode = code;
        account.statusMessage = message == null ? null : truncate(message);
        account.statusField = field;
        account.updatedAt = now;
    }

    private static String truncate(String message) {
        return message == null || message.length() <= 2000 ? message : message.substring(0, 1997) + "...";
    }

    /**
     * Unlinks the account and destroys its credentials. Unlinking an unlinked account repeats the destruction,
     * so a call that failed half-way can simply be repeated.
     */
    public void unlink(String tenantId, String accountId) {
        tx(() -> {
            LinkedAccount account = require(tenantId, accountId);
            if (!LinkedAccount.UNLINKED.equals(account.status)) {
                Instant now = now();
                account.status = LinkedAccount.UNLINKED;
                account.statusCode = null;
                account.statusMessage = null;
                account.statusField = null;
                account.unlinkedAt = now;
                account.updatedAt = now;
            }
            return account.id;
        });
        recent.forget(new AccountKey(tenantId, accountId));
        credentials.delete(tenantId, accountId);
        try {
            unlinked.fire(new AccountUnlinked(tenantId, accountId));
        } catch (RuntimeException e) {
            // The unlink stands; what an observer failed to drop, repeating the unlink drops.
            LOG.warnf(
                    "An observer of unlinked accounts failed (%s)", e.getClass().getSimpleName());
        }
    }

    public AccountView get(String tenantId, String accountId) {
        return tx(() -> AccountView.of(require(tenantId, accountId)));
    }

    public AccountPage list(
            String tenantId, String originOwnerId, String provider, String status, Integer pageSize, String cursor) {
        int size = pageSize == null ? DEFAULT_PAGE_SIZE : pageSize;
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_REQUEST, "page_size must be between 1 and " + MAX_PAGE_SIZE + ".")
                    .field("page_size");
        }
        if (status != null && !STATUSES.contains(status)) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_REQUEST, "status must be one of active, error, unlinked.")
                    .field("status");
        }
        Position after = cursor == null || cursor.isBlank() ? null : Position.decode(cursor);
        var filter = new LinkedAccountRepository.Filter(blankToNull(originOwnerId), blankToNull(provider), status);
        List<LinkedAccount> rows = tx(() -> accounts.page(
                tenantId,
                filter,
                after == null ? null : after.createdAt(),
                after == null ? null : after.id(),
                size + 1));
        boolean more = rows.size() > size;
        List<LinkedAccount> shown = more ? rows.subList(0, size) : rows;
        String next = more ? new Position(shown.get(size - 1).createdAt, shown.get(size - 1).id).encode() : null;
        return new AccountPage(shown.stream().map(AccountView::of).toList(), next);
    }

    /** The tenant's account, or a 404 problem (also for another tenant's id: ids cannot be probed). */
    public LinkedAccount require(String tenantId, String accountId) {
        requireNonNull(tenantId, "tenantId is null");
        return accounts.findForTenant(tenantId, accountId == null ? "" : accountId)
                .orElseThrow(() -> KeylineException.notFound("Account " + accountId));
    }

    /** As {@link #require}, and a 409 problem {@code account_not_active} when it was unlinked. */
    public LinkedAccount requireUsable(String tenantId, String accountId) {
        LinkedAccount account = require(tenantId, accountId);
        if (LinkedAccount.UNLINKED.equals(account.status)) {
            throw KeylineException.conflict(
                    FailureCode.ACCOUNT_NOT_ACTIVE, "This account was unlinked. Link it again to use it.");
        }
        return account;
    }

    /**
     * As {@link #requireUsable}, from a row read less than {@link AccountsConfig#readCacheTtl()} ago when there is
     * one: for reads, which trust it. The account is shared between requests and must not be changed.
     */
    public LinkedAccount requireRecentlyUsable(String tenantId, String accountId) {
        requireNonNull(tenantId, "tenantId is null");
        if (accountId == null) {
            return requireUsable(tenantId, null);
        }
        // A transaction of its own, so the row kept is detached: no caller's transaction can flush changes to it.
        return recent.get(
                new AccountKey(tenantId, accountId),
                () -> QuarkusTransaction.requiringNew().call(() -> requireUsable(tenantId, accountId)));
    }

    /** Drops what this replica holds of an account another part of it changed (a tenant's deletion, say). */
    void onUnlinked(@jakarta.enterprise.event.Observes AccountUnlinked event) {
        recent.forget(new AccountKey(event.tenantId(), event.accountId()));
    }

    /** The stored values of the account's non-secret fields (such as its URL), for pre-filling a form. */
    public Map<String, String> nonSecretValues(String tenantId, LinkedAccount account) {
        Optional<ConnectorDescriptor> descriptor = registry.findDescriptor(account.provider);
        if (descriptor.isEmpty()) {
            return Map.of();
        }
        Set<String> shown = descriptor.get().fields().stream()
                .filter(f -> !f.secret())
                .map(CredentialField::key)
                .collect(Collectors.toSet());
        Map<String, String> values = new TreeMap<>();
        credentials.get(tenantId, account.id).orElse(Map.of()).forEach((k, v) -> {
            if (shown.contains(k)) {
                values.put(k, v);
            }
        });
        return values;
    }

    private AccountView storeOnExisting(
            String tenantId, String accountId, String originOwnerName, Validated validated) {
        credentials.put(tenantId, accountId, validated.config().values());
        AccountView view;
        try {
            view = transition(tenantId, accountId, account -> {
                if (originOwnerName != null) {
                    account.originOwnerName = originOwnerName;
                }
                account.consecutiveUnavailable = 0;
                account.lastUnavailableCode = null;
                account.lastUnavailableMessage = null;
                markActive(account, validated.validation(), now());
            });
        } catch (KeylineException e) {
            if (FailureCode.ACCOUNT_NOT_ACTIVE.wire().equals(e.code())) {
                // Unlinked while we were validating: the unlink wins, and its credentials must not linger.
                credentials.delete(tenantId, accountId);
            }
            throw e;
        }
        return view;
    }

    private static void markActive(LinkedAccount account, Validation validation, Instant now) {
        account.status = LinkedAccount.ACTIVE;
        account.statusCode = null;
        account.statusMessage = null;
        account.statusField = null;
        account.validationSummary = validation.summary();
        account.facts = new HashMap<>(validation.facts());
        account.updatedAt = now;
        account.lastCheckedAt = now;
    }

    private record Validated(ConnectorConfig config, Validation validation) {}

    private record Outcome(
            Validated validated,
            String code,
            String message,
            String field,
            ConnectorException failure,
            HealthReport report) {
        static Outcome failed(String code, String message, String field) {
            return new Outcome(null, code, message, field, null, null);
        }

        Outcome withReport(HealthReport health) {
            return new Outcome(validated, code, message, field, failure, health);
        }
    }

    private Validated validateOrThrow(String tenantId, ConnectorFactory factory, Map<String, String> values) {
        Outcome outcome = validate(tenantId, factory, values, true, false);
        if (outcome.validated() == null) {
            throw ConnectorFailures.validationFailed(outcome.failure());
        }
        return outcome.validated();
    }

    /**
     * Normalizes and validates without touching any store. Failures come back as an outcome. With {@code probe},
     * also reads the provider's health report when the connector has {@link HealthProbe}, whatever validation
     * found: a bridge's report says most when something is wrong.
     */
    private Outcome validate(
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
        } catch (RuntimeException e) {
            return connectorBug(descriptor, e);
        }
    }

    private Outcome validateWith(
            Connector connector, ConnectorConfig config, ConnectorDescriptor descriptor, Redactor redactor) {
        try {
            CredentialValidator validator = connector
                    .capability(CredentialValidator.class)
                    .orElseThrow(() -> ConnectorException.unsupported(Capability.CREDENTIAL_VALIDATION));
            Validation validation = requireNonNull(validator.validate(), "validation is null");
            return new Outcome(new Validated(config, validation), null, null, null, null, null);
        } catch (ConnectorException e) {
            return failedOutcome(redacted(e, redactor));
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
                null);
    }

    private static Outcome connectorBug(ConnectorDescriptor descriptor, RuntimeException e) {
        // A connector bug. Its message may quote what it was given, so only the type is logged.
        LOG.errorf("Connector '%s' failed unexpectedly while validating (%s)", descriptor.id(), e.getClass());
        ConnectorException failure = new ConnectorException(
                ErrorCode.UPSTREAM_ERROR, "The connector failed unexpectedly while checking the credentials.");
        return new Outcome(null, ConnectorFailures.code(failure.code()), failure.getMessage(), null, failure, null);
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

    private static void rejectUnknownFields(ConnectorDescriptor descriptor, Map<String, String> values) {
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

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static <T> T joined(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static <T> T tx(Supplier<T> work) {
        return QuarkusTransaction.joiningExisting().call(work::get);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** A keyset position, opaque to clients. */
    private record Position(Instant createdAt, String id) {
        String encode() {
            String raw = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt) + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int colon = raw.indexOf(':');
                long micros = Long.parseLong(raw.substring(0, colon));
                return new Position(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), raw.substring(colon + 1));
            } catch (RuntimeException e) {
                throw KeylineException.invalid(
                                FailureCode.INVALID_CURSOR, "The cursor is not valid; start from the first page.")
                        .field("cursor");
            }
        }
    }
}
