package dev.keyline.platform.people;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.account.LinkedAccount;
import dev.keyline.platform.account.LinkedAccountRepository;
import dev.keyline.platform.sync.SyncRunStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The linked accounts the people view reads: an origin owner's accounts that are not unlinked (an account in
 * {@code error} still grants access at its provider, so a review must see it), each with its last good sync.
 */
@ApplicationScoped
class OwnerAccounts {
    private final LinkedAccountRepository accounts;
    private final SyncRunStore runs;

    OwnerAccounts(LinkedAccountRepository accounts, SyncRunStore runs) {
        this.accounts = requireNonNull(accounts, "accounts is null");
        this.runs = requireNonNull(runs, "runs is null");
    }

    /** In the order they were linked; {@code syncedAt} is null for an account that never synced. */
    List<OwnerAccount> of(String tenantId, String ownerId) {
        List<LinkedAccount> rows = QuarkusTransaction.joiningExisting()
                .call(() -> accounts.list(
                        "tenantId = ?1 and originOwnerId = ?2 and status <> ?3 order by createdAt, id",
                        tenantId,
                        ownerId,
                        LinkedAccount.UNLINKED));
        List<OwnerAccount> owned = new ArrayList<>(rows.size());
        for (LinkedAccount row : rows) {
            owned.add(new OwnerAccount(
                    row.id, row.provider, row.status, runs.lastSuccess(row.id).orElse(null)));
        }
        return owned;
    }

    /** The tenant's origin owners with an account that is not unlinked. */
    List<String> owners(String tenantId) {
        return QuarkusTransaction.joiningExisting()
                .call(() -> accounts.getEntityManager()
                        .createQuery(
                                "select distinct a.originOwnerId from LinkedAccount a"
                                        + " where a.tenantId = :tenant and a.status <> :unlinked",
                                String.class)
                        .setParameter("tenant", tenantId)
                        .setParameter("unlinked", LinkedAccount.UNLINKED)
                        .getResultList());
    }
}
