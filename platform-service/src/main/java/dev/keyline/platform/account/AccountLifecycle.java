package dev.keyline.platform.account;

import static dev.keyline.platform.account.AccountCalls.joined;
import static dev.keyline.platform.account.AccountCalls.tx;
import static dev.keyline.platform.account.AccountStatusTransitions.markActive;
import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.platform.account.AccountDtos.AccountView;
import dev.keyline.platform.account.LinkValidation.Validated;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Tokens;
import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.credential.CredentialStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * Linking, rotating and unlinking provider accounts.
 *
 * <p>Credentials never reach PostgreSQL. Writes are ordered so that a crash cannot leave an {@code active}
 * row without credentials: a new account's credentials are stored first under a pre-generated id and the row
 * follows (the credentials are deleted again if the row fails); an unlink marks the row first and destroys
 * the credentials after. No database transaction is held while a connector talks to its provider.
 */
@ApplicationScoped
public class AccountLifecycle {
    private static final Logger LOG = Logger.getLogger(AccountLifecycle.class);

    private final LinkedAccountRepository accounts;
    private final AccountLookup lookup;
    private final AccountStatusTransitions transitions;
    private final LinkValidation validation;
    private final CredentialStore credentials;
    private final ConnectorRegistry registry;
    private final Event<AccountLinked> linked;
    private final Event<AccountUnlinked> unlinked;
    private final ManagedExecutor executor;

    AccountLifecycle(
            LinkedAccountRepository accounts,
            AccountLookup lookup,
            AccountStatusTransitions transitions,
            LinkValidation validation,
            CredentialStore credentials,
            ConnectorRegistry registry,
            Event<AccountLinked> linked,
            Event<AccountUnlinked> unlinked,
            ManagedExecutor executor) {
        this.accounts = accounts;
        this.lookup = lookup;
        this.transitions = transitions;
        this.validation = validation;
        this.credentials = credentials;
        this.registry = registry;
        this.linked = linked;
        this.unlinked = unlinked;
        this.executor = executor;
    }

    /**
     * A link request, from the tenant's backend or the connect UI.
     *
     * @param credentials what a person typed: the connector's fields and, for an OAuth or service-account kind, the
     *     platform's form fields ({@code client_id}, {@code service_account_key}, …)
     * @param authKind the kind's wire name, or null for the connector's default
     * @param authorized the platform's own entries ({@code auth.*}) a consent already yielded (the authorization
     *     code kind's tokens and app), or null; never from a request body
     */
    public record LinkCommand(
            String originOwnerId,
            String originOwnerName,
            String provider,
            Map<String, String> credentials,
            String authKind,
            Map<String, String> authorized,
            WhenLive whenLive) {
        public LinkCommand {
            requireNonNull(originOwnerId, "originOwnerId is null");
            requireNonNull(originOwnerName, "originOwnerName is null");
            requireNonNull(provider, "provider is null");
            requireNonNull(credentials, "credentials is null");
            requireNonNull(whenLive, "whenLive is null");
        }

        public LinkCommand(
                String originOwnerId,
                String originOwnerName,
                String provider,
                Map<String, String> credentials,
                String authKind,
                Map<String, String> authorized) {
            this(originOwnerId, originOwnerName, provider, credentials, authKind, authorized, WhenLive.UPDATE);
        }

        public LinkCommand(
                String originOwnerId, String originOwnerName, String provider, Map<String, String> credentials) {
            this(originOwnerId, originOwnerName, provider, credentials, null, null);
        }

        @Override
        public String toString() {
            return "LinkCommand[originOwnerId=" + originOwnerId + ", provider=" + provider + ", authKind=" + authKind
                    + ", whenLive=" + whenLive + "]";
        }
    }

    /** What a link does when the owner already has a live account of the provider. */
    public enum WhenLive {
        /** Replaces that account's credentials (the API's upsert). */
        UPDATE,
        /** Stores nothing: 409 {@code account_exists} naming it (a connect session must say reconnect or add). */
        REFUSE,
        /** Adds another account beside it (a connect session with {@code new_account}). */
        ADD
    }

    /** The outcome of a link: the account, and whether it is new (false when an existing one was re-linked). */
    public record LinkResult(AccountView account, boolean created) {}

    /**
     * Validates the credentials and, only if they pass, stores them and activates the account. Linking the
     * same origin owner and provider again updates that account, refuses, or adds another, as the command's
     * {@link WhenLive} says. A failure stores and creates nothing and throws the connector's problem.
     */
    public LinkResult link(String tenantId, LinkCommand command) {
        LinkResult result = linkAccount(tenantId, command);
        AccountView account = result.account();
        lookup.rememberProvider(tenantId, account.id(), account.provider());
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
        Validated validated = validation.validateOrThrow(
                tenantId,
                null,
                factory,
                validation.prepare(factory, command.authKind(), command.credentials(), command.authorized()));

        Optional<LinkedAccount> existing = joined(live);
        if (existing.isPresent()) {
            switch (command.whenLive()) {
                case UPDATE -> {
                    return new LinkResult(
                            storeOnExisting(tenantId, existing.get().id, command.originOwnerName(), validated), false);
                }
                case REFUSE -> throw accountExists(existing.get());
                case ADD -> {
                    return new LinkResult(create(tenantId, command, validated, true), true);
                }
            }
        }

        try {
            return new LinkResult(create(tenantId, command, validated, false), true);
        } catch (RuntimeException e) {
            Optional<LinkedAccount> winner;
            try {
                // A concurrent link of the same owner and provider may have won the unique index.
                winner = tx(() -> accounts.findLive(tenantId, command.originOwnerId(), command.provider()));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
                throw e;
            }
            if (winner.isEmpty()) {
                throw e;
            }
            return switch (command.whenLive()) {
                case UPDATE ->
                    new LinkResult(
                            storeOnExisting(tenantId, winner.get().id, command.originOwnerName(), validated), false);
                case REFUSE -> throw accountExists(winner.get());
                case ADD -> new LinkResult(create(tenantId, command, validated, true), true);
            };
        }
    }

    /** A new account with the validated credentials; none are left behind when its row cannot be written. */
    private AccountView create(String tenantId, LinkCommand command, Validated validated, boolean additional) {
        String accountId = Tokens.newId();
        credentials.put(tenantId, accountId, validated.stored());
        try {
            return tx(() -> {
                Instant now = transitions.now();
                LinkedAccount account = new LinkedAccount();
                account.id = accountId;
                account.tenantId = tenantId;
                account.originOwnerId = command.originOwnerId();
                account.originOwnerName = command.originOwnerName();
                account.provider = command.provider();
                account.additional = additional;
                account.authKind = validated.authKind().wireName();
                account.createdAt = now;
                markActive(account, validated.validation(), now);
                accounts.persistAndFlush(account);
                return AccountView.of(account);
            });
        } catch (RuntimeException e) {
            try {
                credentials.delete(tenantId, accountId);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** 409 {@code account_exists}, naming the owner's live account of the provider. */
    public static KeylineException accountExists(LinkedAccount existing) {
        return KeylineException.conflict(
                        FailureCode.ACCOUNT_EXISTS,
                        "This person already has a " + existing.provider + " account here. Reconnect it (send its"
                                + " account_id), or start a session with new_account to add another.")
                .accountId(existing.id);
    }

    /**
     * Replaces an account's credentials after validating the merge of {@code changes} over the stored values.
     * When validation fails nothing is replaced, so the old credentials keep working. A null
     * {@code originOwnerName} keeps the current name. Changes that move the account to another destination must
     * bring its secrets again ({@link DestinationGuard}).
     */
    public AccountView update(String tenantId, String accountId, String originOwnerName, Map<String, String> changes) {
        return update(tenantId, accountId, originOwnerName, changes, null);
    }

    /**
     * {@link #update(String, String, String, Map)} for a re-link through a connect session, which may carry what a
     * new consent yielded ({@code authorized}, the platform's {@code auth.*} entries): those replace the stored
     * authorization, keeping the account's id, synced data and webhooks.
     */
    public AccountView update(
            String tenantId,
            String accountId,
            String originOwnerName,
            Map<String, String> changes,
            Map<String, String> authorized) {
        LinkedAccount account = tx(() -> lookup.requireUsable(tenantId, accountId));
        if ((changes == null || changes.isEmpty()) && authorized == null) {
            if (originOwnerName == null) {
                return AccountView.of(account);
            }
            AccountView renamed = tx(() -> {
                LinkedAccount current = lookup.requireUsable(tenantId, accountId);
                current.originOwnerName = originOwnerName;
                current.updatedAt = transitions.now();
                return AccountView.of(current);
            });
            lookup.forget(tenantId, accountId);
            return renamed;
        }
        ConnectorFactory factory = registry.require(account.provider);
        Map<String, String> stored = credentials.get(tenantId, accountId).orElse(Map.of());
        Map<String, String> merged =
                validation.mergeForUpdate(factory, stored, changes == null ? Map.of() : changes, authorized);
        Validated validated = validation.validateOrThrow(tenantId, accountId, factory, merged);
        return storeOnExisting(tenantId, accountId, originOwnerName, validated);
    }

    /**
     * Unlinks the account and destroys its credentials. Unlinking an unlinked account repeats the destruction,
     * so a call that failed half-way can simply be repeated.
     */
    public void unlink(String tenantId, String accountId) {
        tx(() -> {
            LinkedAccount account = lookup.require(tenantId, accountId);
            if (!LinkedAccount.UNLINKED.equals(account.status)) {
                Instant now = transitions.now();
                account.status = LinkedAccount.UNLINKED;
                account.statusCode = null;
                account.statusMessage = null;
                account.statusField = null;
                account.unlinkedAt = now;
                account.updatedAt = now;
            }
            return account.id;
        });
        lookup.forget(tenantId, accountId);
        credentials.delete(tenantId, accountId);
        try {
            unlinked.fire(new AccountUnlinked(tenantId, accountId));
        } catch (RuntimeException e) {
            // The unlink stands; what an observer failed to drop, repeating the unlink drops.
            LOG.warnf(
                    "An observer of unlinked accounts failed (%s)", e.getClass().getSimpleName());
        }
    }

    private AccountView storeOnExisting(
            String tenantId, String accountId, String originOwnerName, Validated validated) {
        credentials.put(tenantId, accountId, validated.stored());
        AccountView view;
        try {
            view = transitions.transition(tenantId, accountId, account -> {
                if (originOwnerName != null) {
                    account.originOwnerName = originOwnerName;
                }
                account.authKind = validated.authKind().wireName();
                account.consecutiveUnavailable = 0;
                account.lastUnavailableCode = null;
                account.lastUnavailableMessage = null;
                markActive(account, validated.validation(), transitions.now());
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
}
