package dev.keyline.platform.webhook;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.credential.CredentialStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signing secrets live in the credential store, like linked accounts' tokens, under the synthetic account id
 * {@code whk_<subscription id>}: never in PostgreSQL in clear, never logged. Keys are cached in memory by
 * subscription and secret version (the version is read with every claimed delivery, so a rotation on any
 * replica reaches this one's cache at its next send).
 */
@ApplicationScoped
public class WebhookSecrets {
    private static final String FIELD = "secret";
    private static final int MAX_CACHED = 10_000;

    private final CredentialStore store;
    private final Map<String, CachedKey> keys = new ConcurrentHashMap<>();

    private record CachedKey(int version, byte[] key) {}

    public WebhookSecrets(CredentialStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    static String storeId(String subscriptionId) {
        return "whk_" + subscriptionId;
    }

    /** Creates (or replaces) the subscription's secret and returns it: the only time it is shown. */
    String issue(String tenantId, String subscriptionId) {
        String secret = WebhookSignature.newSecret();
        store.put(tenantId, storeId(subscriptionId), Map.of(FIELD, secret));
        keys.remove(subscriptionId);
        return secret;
    }

    /** The HMAC key for the given secret version, or empty when the secret is gone (subscription deleted). */
    Optional<byte[]> key(String tenantId, String subscriptionId, int version) {
        CachedKey cached = keys.get(subscriptionId);
        if (cached != null && cached.version() == version) {
            return Optional.of(cached.key());
        }
        Optional<byte[]> key = store.get(tenantId, storeId(subscriptionId))
                .map(values -> values.get(FIELD))
                .map(WebhookSignature::key);
        key.ifPresent(k -> {
            if (keys.size() >= MAX_CACHED) {
                keys.clear();
            }
            keys.put(subscriptionId, new CachedKey(version, k));
        });
        return key;
    }

    void destroy(String tenantId, String subscriptionId) {
        keys.remove(subscriptionId);
        store.delete(tenantId, storeId(subscriptionId));
    }
}
