package dev.keyline.platform.support;

import dev.keyline.platform.credential.CredentialStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A credential store double for tests: a map, so tests can assert exactly what is (not) stored. */
@Alternative
@Priority(1)
@ApplicationScoped
public class InMemoryCredentialStore implements CredentialStore {
    private final Map<String, Map<String, Map<String, String>>> byTenant = new ConcurrentHashMap<>();
    private final Set<String> failingTenants = ConcurrentHashMap.newKeySet();

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public void put(String tenantId, String accountId, Map<String, String> values) {
        if (failingTenants.contains(tenantId)) {
            throw new IllegalStateException("credential store unavailable (test)");
        }
        byTenant.computeIfAbsent(tenantId, t -> new ConcurrentHashMap<>()).put(accountId, Map.copyOf(values));
    }

    @Override
    public Optional<Map<String, String>> get(String tenantId, String accountId) {
        return Optional.ofNullable(byTenant.getOrDefault(tenantId, Map.of()).get(accountId));
    }

    @Override
    public void delete(String tenantId, String accountId) {
        Map<String, Map<String, String>> accounts = byTenant.get(tenantId);
        if (accounts != null) {
            accounts.remove(accountId);
        }
    }

    @Override
    public void deleteTenant(String tenantId) {
        byTenant.remove(tenantId);
    }

    @Override
    public void ping() {}

    /** Makes every write for the tenant fail, as an unreachable store would. */
    public void failWrites(String tenantId, boolean fail) {
        if (fail) {
            failingTenants.add(tenantId);
        } else {
            failingTenants.remove(tenantId);
        }
    }

    /** Every account id with stored values for the tenant. */
    public Set<String> accountIds(String tenantId) {
        return Set.copyOf(byTenant.getOrDefault(tenantId, Map.of()).keySet());
    }
}
