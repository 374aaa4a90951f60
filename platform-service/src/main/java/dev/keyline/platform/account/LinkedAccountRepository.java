package dev.keyline.platform.account;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Every query takes the tenant id: an account of another tenant is simply not found. */
@ApplicationScoped
public class LinkedAccountRepository implements PanacheRepositoryBase<LinkedAccount, String> {

    public Optional<LinkedAccount> findForTenant(String tenantId, String accountId) {
        return find("tenantId = ?1 and id = ?2", tenantId, accountId).firstResultOptional();
    }

    /** As {@link #findForTenant}, holding the row's lock until the transaction ends: status changes are decided one at a time. */
    public Optional<LinkedAccount> findForTenantLocked(String tenantId, String accountId) {
        return find("tenantId = ?1 and id = ?2", tenantId, accountId)
                .withLock(LockModeType.PESSIMISTIC_WRITE)
                .firstResultOptional();
    }

    /**
     * The owner's live account of the provider: the ordinary one when there is one, else the oldest additional one
     * (an owner may have several, {@link LinkedAccount#additional}).
     */
    public Optional<LinkedAccount> findLive(String tenantId, String originOwnerId, String provider) {
        return find(
                        "tenantId = ?1 and originOwnerId = ?2 and provider = ?3 and status <> ?4"
                                + " order by additional, createdAt, id",
                        tenantId,
                        originOwnerId,
                        provider,
                        LinkedAccount.UNLINKED)
                .firstResultOptional();
    }

    /** The owner's live accounts, of the given providers or of any when empty, in the order they were linked. */
    public List<LinkedAccount> listLive(String tenantId, String originOwnerId, java.util.Collection<String> providers) {
        if (providers.isEmpty()) {
            return list(
                    "tenantId = ?1 and originOwnerId = ?2 and status <> ?3 order by createdAt, id",
                    tenantId,
                    originOwnerId,
                    LinkedAccount.UNLINKED);
        }
        return list(
                "tenantId = ?1 and originOwnerId = ?2 and status <> ?3 and provider in ?4 order by createdAt, id",
                tenantId,
                originOwnerId,
                LinkedAccount.UNLINKED,
                providers);
    }

    /** Filters are exact and skipped when null; without a status filter unlinked accounts are left out. */
    public record Filter(String originOwnerId, String provider, String status) {}

    /** One page in (created_at, id) order, after the given position when there is one; asks for limit rows. */
    public List<LinkedAccount> page(String tenantId, Filter filter, Instant afterCreatedAt, String afterId, int limit) {
        StringBuilder query = new StringBuilder("tenantId = :tenant");
        Parameters params = Parameters.with("tenant", tenantId);
        if (filter.originOwnerId() != null) {
            query.append(" and originOwnerId = :owner");
            params.and("owner", filter.originOwnerId());
        }
        if (filter.provider() != null) {
            query.append(" and provider = :provider");
            params.and("provider", filter.provider());
        }
        if (filter.status() != null) {
            query.append(" and status = :status");
            params.and("status", filter.status());
        } else {
            query.append(" and status <> :unlinked");
            params.and("unlinked", LinkedAccount.UNLINKED);
        }
        if (afterCreatedAt != null) {
            query.append(" and (createdAt > :afterAt or (createdAt = :afterAt and id > :afterId))");
            params.and("afterAt", afterCreatedAt).and("afterId", afterId);
        }
        query.append(" order by createdAt, id");
        return find(query.toString(), params).page(0, limit).list();
    }
}
