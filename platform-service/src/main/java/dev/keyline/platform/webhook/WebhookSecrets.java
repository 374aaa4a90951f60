package dev.keyline.platform.webhook;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.credential.CredentialStore.Namespace;
import dev.keyline.platform.credential.CredentialStoreException;
import dev.keyline.platform.observe.OperatorLog;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Signing secrets live in the credential store, like linked accounts' tokens, in its
 * {@link Namespace#WEBHOOKS webhooks} namespace under the subscription id: never in PostgreSQL in clear, never
 * logged, and out of reach of the orphan sweep, which owns account credentials only. Keys are cached in memory by
 * subscription and secret version (the version is read with every claimed delivery, so a rotation on any
 * replica reaches this one's cache at its next send).
 *
 * <p>Versions before namespaces kept secrets beside account credentials as
 * {@code whk_<subscription id>}; such a secret is moved here the first time it is read, and still destroyed with
 * its subscription.
 *
 * <p>A secret that is gone while its subscription exists makes the subscription {@code broken}: disabled with
 * {@code disabled_reason: secret_missing}, a warning in the log and a {@code webhook.broken} event, rather than
 * attempts that fail forever while it shows {@code enabled}. Rotating its secret repairs it.
 */
@ApplicationScoped
public class WebhookSecrets {
    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);
    private static final String FIELD = "secret";
    private static final int MAX_CACHED = 10_000;

    private final CredentialStore store;
    private final WebhookSubscriptionStore subscriptions;
    private final WebhookOutbox outbox;
    private final Map<String, CachedKey> keys = new ConcurrentHashMap<>();

    private record CachedKey(int version, byte[] key) {}

    public WebhookSecrets(CredentialStore store, WebhookSubscriptionStore subscriptions, WebhookOutbox outbox) {
        this.store = requireNonNull(store, "store is null");
        this.subscriptions = requireNonNull(subscriptions, "subscriptions is null");
        this.outbox = requireNonNull(outbox, "outbox is null");
    }

    static String legacyId(String subscriptionId) {
        return CredentialStore.LEGACY_WEBHOOK_PREFIX + subscriptionId;
    }

    /** Creates (or replaces) the subscription's secret and returns it: the only time it is shown. */
    String issue(String tenantId, String subscriptionId) {
        String secret = WebhookSignature.newSecret();
        store.put(Namespace.WEBHOOKS, tenantId, subscriptionId, Map.of(FIELD, secret));
        keys.remove(subscriptionId);
        // A secret left where earlier versions kept it would otherwise outlive this one unused.
        store.delete(Namespace.ACCOUNTS, tenantId, legacyId(subscriptionId));
        return secret;
    }

    /** The HMAC key for the given secret version, or empty when the secret is gone. */
    Optional<byte[]> key(String tenantId, String subscriptionId, int version) {
        CachedKey cached = keys.get(subscriptionId);
        if (cached != null && cached.version() == version) {
            return Optional.of(cached.key());
        }
        Optional<byte[]> key = values(tenantId, subscriptionId)
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

    /** Whether the subscription has a secret to sign with. */
    boolean present(String tenantId, String subscriptionId) {
        return values(tenantId, subscriptionId).isPresent();
    }

    /**
     * Marks the subscription broken because its secret is gone, once: its deliveries wait (nothing is queued or
     * attempted while it is disabled) until a rotation repairs it. A subscription deleted meanwhile is left alone.
     */
    void secretMissing(String tenantId, String subscriptionId) {
        keys.remove(subscriptionId);
        if (!subscriptions.disable(tenantId, subscriptionId, WebhookSubscriptionStore.SECRET_MISSING)) {
            return;
        }
        outbox.invalidate(tenantId);
        OperatorLog.webhookSubscriptionBroken(
                tenantId,
                subscriptionId,
                WebhookSubscriptionStore.SECRET_MISSING,
                "its signing secret is missing from the credential store; its deliveries are paused until rotating"
                        + " its secret (POST /webhooks/" + subscriptionId + "/rotate-secret) repairs it");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscription_id", subscriptionId);
        data.put("status", "broken");
        data.put("reason", WebhookSubscriptionStore.SECRET_MISSING);
        outbox.publish(tenantId, EventTypes.WEBHOOK_BROKEN, data, Instant.now(), true);
    }

    void destroy(String tenantId, String subscriptionId) {
        keys.remove(subscriptionId);
        store.delete(Namespace.WEBHOOKS, tenantId, subscriptionId);
        store.delete(Namespace.ACCOUNTS, tenantId, legacyId(subscriptionId));
    }

    private Optional<Map<String, String>> values(String tenantId, String subscriptionId) {
        try {
            return storedValues(tenantId, subscriptionId);
        } catch (CredentialStoreException e) {
            if (e.reason() != CredentialStoreException.Reason.UNREADABLE) {
                throw e;
            }
            // Sealed with a master key this Keyline no longer has: as good as gone, and shown so (broken), instead
            // of a store error at every attempt while the subscription looks enabled.
            return Optional.empty();
        }
    }

    private Optional<Map<String, String>> storedValues(String tenantId, String subscriptionId) {
        Optional<Map<String, String>> values = store.get(Namespace.WEBHOOKS, tenantId, subscriptionId);
        if (values.isPresent()) {
            return values;
        }
        Optional<Map<String, String>> legacy = store.get(Namespace.ACCOUNTS, tenantId, legacyId(subscriptionId));
        legacy.ifPresent(found -> {
            // Written before the copy is deleted: a failure in between leaves two copies, never none.
            store.put(Namespace.WEBHOOKS, tenantId, subscriptionId, found);
            store.delete(Namespace.ACCOUNTS, tenantId, legacyId(subscriptionId));
            LOG.infof(
                    "Webhook subscription %s: signing secret moved to the credential store's webhooks namespace",
                    subscriptionId);
        });
        return legacy;
    }
}
