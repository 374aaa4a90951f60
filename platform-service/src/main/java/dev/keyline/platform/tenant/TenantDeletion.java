package dev.keyline.platform.tenant;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Fired synchronously before a tenant's rows are deleted (they cascade), so that packages owning rows of the
 * tenant can read what they need now and register the clean-up that must follow the deletion: the tenant
 * package knows nothing of them.
 */
public final class TenantDeletion {
    private static final Logger LOG = Logger.getLogger(TenantDeletion.class);

    private final String tenantId;
    private final List<Runnable> afterDeletion = new ArrayList<>();

    TenantDeletion(String tenantId) {
        this.tenantId = requireNonNull(tenantId, "tenantId is null");
    }

    public String tenantId() {
        return tenantId;
    }

    /** Runs {@code action} once the tenant's rows are gone; a failing action does not stop the others. */
    public synchronized void afterDeletion(Runnable action) {
        afterDeletion.add(requireNonNull(action, "action is null"));
    }

    synchronized void deleted() {
        for (Runnable action : afterDeletion) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.warnf(
                        "Tenant %s: a clean-up after its deletion failed (%s)",
                        tenantId, e.getClass().getSimpleName());
            }
        }
    }
}
