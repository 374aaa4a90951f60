package dev.keyline.platform.account;

import dev.keyline.platform.account.AccountDtos.AccountView;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The account operations the sync engine and the health scheduler call, delegated to the classes that own them
 * ({@link AccountChecks}, {@link AccountStatusTransitions}). Everything else uses those classes,
 * {@link AccountLifecycle} and {@link AccountLookup} directly; this facade goes once its two callers do too.
 */
@ApplicationScoped
public class AccountService {
    private final AccountChecks checks;
    private final AccountStatusTransitions transitions;

    AccountService(AccountChecks checks, AccountStatusTransitions transitions) {
        this.checks = checks;
        this.transitions = transitions;
    }

    /** See {@link AccountChecks#check}. */
    public AccountView check(String tenantId, String accountId) {
        return checks.check(tenantId, accountId);
    }

    /** See {@link AccountStatusTransitions#markSyncFailed}. */
    public void markSyncFailed(String tenantId, String accountId, String code, String message, String field) {
        transitions.markSyncFailed(tenantId, accountId, code, message, field);
    }

    /** See {@link AccountStatusTransitions#markSyncSucceeded}. */
    public void markSyncSucceeded(String tenantId, String accountId) {
        transitions.markSyncSucceeded(tenantId, accountId);
    }
}
