package dev.keyline.platform.account;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.Validation;
import dev.keyline.platform.account.AccountDtos.AccountView;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.observe.OperatorLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Every change to a live account's row goes through {@link #transition}: under the row's lock, in a transaction of
 * its own, firing {@link AccountStatusChanged} once per committed move between {@code active} and {@code error}.
 * Also the two transitions a sync triggers.
 */
@ApplicationScoped
public class AccountStatusTransitions {
    private static final Logger LOG = Logger.getLogger(AccountStatusTransitions.class);
    private static final int MAX_MESSAGE_LENGTH = 2000;

    private final LinkedAccountRepository accounts;
    private final AccountLookup lookup;
    private final Event<AccountStatusChanged> statusChanged;

    Clock clock = Clock.systemUTC();

    AccountStatusTransitions(
            LinkedAccountRepository accounts, AccountLookup lookup, Event<AccountStatusChanged> statusChanged) {
        this.accounts = accounts;
        this.lookup = lookup;
        this.statusChanged = statusChanged;
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
    AccountView transition(String tenantId, String accountId, Consumer<LinkedAccount> change) {
        record Result(AccountView view, AccountStatusChanged event, String provider) {}
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
            return new Result(AccountView.of(current), event, current.provider);
        });
        lookup.forget(tenantId, accountId);
        if (result.event() != null) {
            AccountStatusChanged changed = result.event();
            OperatorLog.accountStatusChanged(
                    tenantId, accountId, result.provider(), changed.from(), changed.to(), changed.code());
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

    /** Now, at the precision PostgreSQL keeps, so what was written compares equal to what is read back. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    static void markActive(LinkedAccount account, Validation validation, Instant now) {
        account.status = LinkedAccount.ACTIVE;
        account.statusCode = null;
        account.statusMessage = null;
        account.statusField = null;
        account.validationSummary = validation.summary();
        account.facts = new HashMap<>(validation.facts());
        account.updatedAt = now;
        account.lastCheckedAt = now;
    }

    static void markError(LinkedAccount account, String code, String message, String field, Instant now) {
        account.status = LinkedAccount.ERROR;
        account.statusCode = code;
        account.statusMessage = message == null ? null : truncate(message);
        account.statusField = field;
        account.updatedAt = now;
    }

    static String truncate(String message) {
        return message == null || message.length() <= MAX_MESSAGE_LENGTH
                ? message
                : message.substring(0, MAX_MESSAGE_LENGTH - 3) + "...";
    }
}
