package dev.keyline.platform.credential;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps secrets outside PostgreSQL's clear text: linked accounts' connector configuration (URL and secrets), webhook
 * signing secrets and tenants' OAuth client secrets, each kind in its own {@link Namespace}.
 * Every call is scoped by tenant; an implementation must make one tenant's entries unreadable with another
 * tenant's id, and must not log values.
 */
public interface CredentialStore {

    /** Which implementation this is, for health output and notes: {@code vault} or {@code local}. */
    String kind();

    /**
     * The kinds of secret a store keeps, each in a namespace of its own (a Vault path segment, a column of the
     * local store), so whoever cleans up one kind can never reach another: the orphan sweep lists
     * {@link #ACCOUNTS} only.
     */
    enum Namespace {
        /** A linked account's connector configuration, by account id. */
        ACCOUNTS("accounts"),
        /** A webhook subscription's signing secret, by subscription id. */
        WEBHOOKS("webhooks"),
        /**
         * The first answer to a request sent with an {@code Idempotency-Key}, kept for replaying it: it may hold a
         * secret shown once (a signing secret, a connect token, an API key). By the id of its PostgreSQL row.
         */
        IDEMPOTENCY("idempotency"),
        /** A tenant's own OAuth app's client secret, by the id of its auth config. */
        AUTH_CONFIGS("auth-configs");

        private final String segment;

        Namespace(String segment) {
            this.segment = segment;
        }

        /** The name in paths and rows; stable, as stored data depends on it. */
        public String segment() {
            return segment;
        }
    }

    /**
     * Where versions before namespaces kept a subscription's signing secret: in {@link Namespace#ACCOUNTS} under
     * this prefix and the subscription id. Account ids are UUIDs and never start with it, so such entries are
     * recognised as webhook secrets wherever they are still found.
     */
    String LEGACY_WEBHOOK_PREFIX = "whk_";

    /** Stores (replacing) the values under the id in the namespace. */
    void put(Namespace namespace, String tenantId, String id, Map<String, String> values);

    /** The stored values, or empty when there are none. */
    Optional<Map<String, String>> get(Namespace namespace, String tenantId, String id);

    /** Destroys the values so they cannot be recovered. Deleting what is absent is not an error. */
    void delete(Namespace namespace, String tenantId, String id);

    /**
     * One page of the namespace's entries, of every tenant: at most {@code limit}, in the store's own stable
     * order, strictly after {@code after} (from the start when null). A page shorter than {@code limit} is the
     * last. Only keys, never values: the orphan sweep pages through these to find credentials without an account.
     */
    List<EntryKey> listEntries(Namespace namespace, EntryKey after, int limit);

    /**
     * When the entry's values were last written ({@link #put}), by the store's clock; empty when there is no
     * entry. The orphan sweep uses it to leave alone what a link still in flight has just stored.
     */
    Optional<Instant> writtenAt(Namespace namespace, String tenantId, String id);

    /** Stores (replacing) the values for an account. */
    default void put(String tenantId, String accountId, Map<String, String> values) {
        put(Namespace.ACCOUNTS, tenantId, accountId, values);
    }

    /** The stored values, or empty when the account has none. */
    default Optional<Map<String, String>> get(String tenantId, String accountId) {
        return get(Namespace.ACCOUNTS, tenantId, accountId);
    }

    /** Destroys the account's values so they cannot be recovered. Deleting what is absent is not an error. */
    default void delete(String tenantId, String accountId) {
        delete(Namespace.ACCOUNTS, tenantId, accountId);
    }

    /** Destroys every value of the tenant, in every namespace. */
    void deleteTenant(String tenantId);

    /** Throws if the store cannot currently be used; backs the readiness check. */
    void ping();

    /** {@link #listEntries(Namespace, EntryKey, int)} of account credentials. */
    default List<EntryKey> listEntries(EntryKey after, int limit) {
        return listEntries(Namespace.ACCOUNTS, after, limit);
    }

    /** {@link #writtenAt(Namespace, String, String)} of an account's credentials. */
    default Optional<Instant> writtenAt(String tenantId, String accountId) {
        return writtenAt(Namespace.ACCOUNTS, tenantId, accountId);
    }

    /** Which tenant and id (an account's, or a subscription's in {@link Namespace#WEBHOOKS}) an entry is; no value. */
    record EntryKey(String tenantId, String accountId) {
        public EntryKey {
            Objects.requireNonNull(tenantId, "tenantId is null");
            Objects.requireNonNull(accountId, "accountId is null");
        }
    }
}
