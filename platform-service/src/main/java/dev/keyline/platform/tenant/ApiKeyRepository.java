package dev.keyline.platform.tenant;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, String> {

    public Optional<ApiKey> findActiveByHash(String keyHash) {
        return find("keyHash = ?1 and revokedAt is null", keyHash).firstResultOptional();
    }

    public Optional<ApiKey> findForTenant(String tenantId, String keyId) {
        return find("tenantId = ?1 and id = ?2", tenantId, keyId).firstResultOptional();
    }

    public List<ApiKey> listForTenant(String tenantId) {
        return list("tenantId = ?1 order by createdAt, id", tenantId);
    }

    /** Up to {@code limit} of the tenant's keys in creation order, after the position (createdAt, id) if given. */
    public List<ApiKey> page(String tenantId, Instant afterCreatedAt, String afterId, int limit) {
        var query = afterCreatedAt == null
                ? find("tenantId = ?1 order by createdAt, id", tenantId)
                : find(
                        "tenantId = ?1 and (createdAt > ?2 or (createdAt = ?2 and id > ?3)) order by createdAt, id",
                        tenantId,
                        afterCreatedAt,
                        afterId);
        return query.range(0, limit - 1).list();
    }
}
