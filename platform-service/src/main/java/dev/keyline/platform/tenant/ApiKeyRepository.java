package dev.keyline.platform.tenant;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
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
}
