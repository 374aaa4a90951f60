package dev.keyline.platform.tenant;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class TenantRepository implements PanacheRepositoryBase<Tenant, String> {

    public List<Tenant> listOrdered() {
        return list("order by createdAt, id");
    }

    /** Up to {@code limit} tenants in creation order, after the position (createdAt, id) when one is given. */
    public List<Tenant> page(Instant afterCreatedAt, String afterId, int limit) {
        var query = afterCreatedAt == null
                ? find("order by createdAt, id")
                : find(
                        "createdAt > ?1 or (createdAt = ?1 and id > ?2) order by createdAt, id",
                        afterCreatedAt,
                        afterId);
        return query.range(0, limit - 1).list();
    }
}
