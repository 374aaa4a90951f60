package dev.keyline.platform.support;

import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.credential.CredentialStoreException;
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

    private final Map<Namespace, Map<String, Map<String, Entry>>> byNamespace = new ConcurrentHashMap<>();
    private final Set<String> failingTenants = ConcurrentHashMap.newKeySet();
    private final Set<String> unreadable = ConcurrentHashMap.newKeySet();

    /** Makes the entry answer as one sealed with a master key the store no longer has. */
    public void makeUnreadable(Namespace namespace, String tenantId, String id) {
        unreadable.add(namespace + "/" + tenantId + "/" + id);
    }

    private record Entry(Map<String, String> values, Instant writtenAt) {}

    private Map<String, Map<String, Entry>> byTenant(Namespace namespace) {
        return byNamespace.computeIfAbsent(namespace, n -> new ConcurrentHashMap<>());
    }

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public void put(Namespace namespace, String tenantId, String id, Map<String, String> values) {
        if (failingTenants.contains(tenantId)) {
            throw new IllegalStateException("credential store unavailable (test)");
        }
        byTenant(namespace)
                .computeIfAbsent(tenantId, t -> new ConcurrentHashMap<>())
                .put(id, new Entry(Map.copyOf(values), Instant.now()));
    }

    @Override
    public Optional<Map<String, String>> get(Namespace namespace, String tenantId, String id) {
        if (unreadable.contains(namespace + "/" + tenantId + "/" + id)) {
            throw new CredentialStoreException(
                    CredentialStoreException.Reason.UNREADABLE, "sealed with another master key (test)");
        }
        return Optional.ofNullable(
                        byTenant(namespace).getOrDefault(tenantId, Map.of()).get(id))
                .map(Entry::values);
    }

    @Override
    public void delete(Namespace namespace, String tenantId, String id) {
        Map<String, Entry> entries = byTenant(namespace).get(tenantId);
        if (entries != null) {
            entries.remove(id);
        }
    }

    @Override
    public void deleteTenant(String tenantId) {
        byNamespace.values().forEach(tenants -> tenants.remove(tenantId));
    }

    @Override
    public void ping() {}

    @Override
    public List<EntryKey> listEntries(Namespace namespace, EntryKey after, int limit) {
        List<EntryKey> all = new ArrayList<>();
        byTenant(namespace)
                .forEach((tenant, entries) -> entries.keySet().forEach(id -> all.add(new EntryKey(tenant, id))));
        return all.stream()
                .sorted(ORDER)
                .filter(key -> after == null || ORDER.compare(key, after) > 0)
                .limit(limit)
                .toList();
    }

    @Override
    public Optional<Instant> writtenAt(Namespace namespace, String tenantId, String id) {
        return Optional.ofNullable(
                        byTenant(namespace).getOrDefault(tenantId, Map.of()).get(id))
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
        return Set.copyOf(
                byTenant(Namespace.ACCOUNTS).getOrDefault(tenantId, Map.of()).keySet());
    }

    /** Makes the entry look written {@code age} earlier than it was, as if left by a crash that long ago. */
    public void backdate(String tenantId, String accountId, Duration age) {
        byTenant(Namespace.ACCOUNTS)
                .getOrDefault(tenantId, Map.of())
                .computeIfPresent(
                        accountId, (k, e) -> new Entry(e.values(), e.writtenAt().minus(age)));
    }
}
