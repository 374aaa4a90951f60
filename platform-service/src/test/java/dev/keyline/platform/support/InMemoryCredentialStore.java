package dev.keyline.platform.support;

import dev.keyline.platform.credential.CredentialStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A credential store double for tests: a map, so tests can assert exactly what is (not) stored. */
@Alternative
@Priority(1)
@ApplicationScoped
public class InMemoryCredentialStore implements CredentialStore {
    private final Map<String, Map<String, Map<String, String>>> byTenant = new ConcurrentHashMap<>();

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public void put(String tenantId, String accountId, Map<String, String> values) {
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

    /** Every account id with stored values for the tenant. */
    public java.util.Set<String> accountIds(String tenantId) {
        return java.util.Set.copyOf(byTenant.getOrDefault(tenantId, Map.of()).keySet());
    }
}
