package dev.keyline.platform.support;

import dev.keyline.platform.credential.CredentialStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** A credential store double for tests: a map, so tests can assert exactly what is (not) stored. */
@Alternative
@Priority(1)
@ApplicationScoped
public class InMemoryCredentialStore implements CredentialStore {
    private static final Comparator<EntryKey> ORDER =
            Comparator.comparing(EntryKey::tenantId).thenComparing(EntryKey::accountId);

    private final Map<String, Map<String, Entry>> byTenant = new ConcurrentHashMap<>();
    private final Set<String> failingTenants = ConcurrentHashMap.newKeySet();

    private record Entry(Map<String, String> values, Instant writtenAt) {}

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public void put(String tenantId, String accountId, Map<String, String> values) {
        if (failingTenants.contains(tenantId)) {
            throw new IllegalStateException("credential store unavailable (test)");
        }
        byTenant.computeIfAbsent(tenantId, t -> new ConcurrentHashMap<>())
                .put(accountId, new Entry(Map.copyOf(values), Instant.now()));
    }

    @Override
    public Optional<Map<String, String>> get(String tenantId, String accountId) {
        return Optional.ofNullable(byTenant.getOrDefault(tenantId, Map.of()).get(accountId))
                .map(Entry::values);
    }

    @Override
    public void delete(String tenantId, String accountId) {
        Map<String, Entry> accounts = byTenant.get(tenantId);
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

    @Override
    public List<EntryKey> listEntries(EntryKey after, int limit) {
        List<EntryKey> all = new ArrayList<>();
        byTenant.forEach(
                (tenant, accounts) -> accounts.keySet().forEach(account -> all.add(new EntryKey(tenant, account))));
        return all.stream()
                .sorted(ORDER)
                .filter(key -> after == null || ORDER.compare(key, after) > 0)
                .limit(limit)
                .toList();
    }

    @Override
    public Optional<Instant> writtenAt(String tenantId, String accountId) {
        return Optional.ofNullable(byTenant.getOrDefault(tenantId, Map.of()).get(accountId))
                .map(Entry::writtenAt);
    }

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

    /** Makes the entry look written {@code age} earlier than it was, as if left by a crash that long ago. */
    public void backdate(String tenantId, String accountId, Duration age) {
        byTenant.getOrDefault(tenantId, Map.of())
                .computeIfPresent(
                        accountId, (k, e) -> new Entry(e.values(), e.writtenAt().minus(age)));
    }
}
