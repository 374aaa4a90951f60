package dev.keyline.platform.account;

import dev.keyline.platform.tenant.TenantDeletion;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;

/** The accounts of a tenant being deleted: each is announced as unlinked once the tenant's rows are gone. */
@ApplicationScoped
class TenantAccounts {
    private static final Logger LOG = Logger.getLogger(TenantAccounts.class);

    @Inject
    LinkedAccountRepository accounts;

    @Inject
    Event<AccountUnlinked> unlinked;

    void onTenantDeletion(@Observes TenantDeletion deletion) {
        String tenantId = deletion.tenantId();
        List<String> accountIds = QuarkusTransaction.requiringNew()
                .call(() -> accounts.getEntityManager()
                        .createQuery("select a.id from LinkedAccount a where a.tenantId = :tenant", String.class)
                        .setParameter("tenant", tenantId)
                        .getResultList());
        // The rows are gone (cascaded) by then; observers drop what they hold outside PostgreSQL, such as synced
        // data.
        deletion.afterDeletion(() -> {
            for (String accountId : accountIds) {
                try {
                    unlinked.fire(new AccountUnlinked(tenantId, accountId));
                } catch (RuntimeException e) {
                    LOG.warnf(
                            "Tenant %s: an observer failed to drop account %s (%s)",
                            tenantId, accountId, e.getClass().getSimpleName());
                }
            }
        });
    }
}
