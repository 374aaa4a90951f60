package dev.keyline.platform.session;

import dev.keyline.platform.account.AccountLifecycle;
import dev.keyline.platform.account.AccountLifecycle.WhenLive;
import dev.keyline.platform.account.LinkedAccount;
import dev.keyline.platform.account.LinkedAccountRepository;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Which account a link through a session writes: the origin owner's existing accounts, reconnected explicitly, or a
 * new one only when the tenant asked for it ({@code new_account}).
 */
@ApplicationScoped
class SessionAccounts {
    @Inject
    LinkedAccountRepository accountRows;

    /** The origin owner's live accounts of the session's providers (of any when it names none). */
    List<LinkedAccount> existing(ConnectSession session) {
        return QuarkusTransaction.requiringNew()
                .call(() -> accountRows.listLive(session.tenantId, session.originOwnerId, session.providerList()));
    }

    /**
     * The account a link through this session writes: the session's own re-link account, the one of its existing
     * accounts the request names ({@code account_id}), or null for a new account. 400 {@code account_mismatch} when
     * the request names another.
     */
    String target(ConnectSession session, String provider, String requestedAccountId) {
        if (requestedAccountId == null) {
            return session.accountId;
        }
        if (session.accountId != null) {
            if (!session.accountId.equals(requestedAccountId)) {
                throw accountMismatch();
            }
            return session.accountId;
        }
        LinkedAccount account = existing(session).stream()
                .filter(a -> a.id.equals(requestedAccountId))
                .findFirst()
                .orElseThrow(SessionAccounts::accountMismatch);
        if (!account.provider.equals(provider)) {
            throw accountMismatch();
        }
        return account.id;
    }

    /**
     * Refuses early, before the provider is asked, a plain link for an owner who already has a live account of the
     * provider: the page must say reconnect (with {@code account_id}) or the tenant must have asked for a new one.
     * The link itself checks again ({@link WhenLive#REFUSE}).
     */
    void refuseIfExists(ConnectSession session, String provider, String targetAccount) {
        if (targetAccount != null || session.newAccount) {
            return;
        }
        Optional<LinkedAccount> live = QuarkusTransaction.requiringNew()
                .call(() -> accountRows.findLive(session.tenantId, session.originOwnerId, provider));
        if (live.isPresent()) {
            throw AccountLifecycle.accountExists(live.get());
        }
    }

    static KeylineException accountMismatch() {
        return KeylineException.invalid(
                        FailureCode.ACCOUNT_MISMATCH,
                        "account_id is not one of this session's existing accounts of that provider.")
                .field("account_id");
    }
}
