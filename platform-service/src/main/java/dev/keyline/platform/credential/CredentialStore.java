package dev.keyline.platform.credential;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps a linked account's connector configuration (URL and secrets) outside PostgreSQL's clear text.
 * Every call is scoped by tenant; an implementation must make one tenant's entries unreadable with another
 * tenant's id, and must not log values.
 */
public interface CredentialStore {

    /** Which implementation this is, for health output and notes: {@code vault} or {@code local}. */
    String kind();

    /** Stores (replacing) the values for an account. */
    void put(String tenantId, String accountId, Map<String, String> values);

    /** The stored values, or empty when the account has none. */
    Optional<Map<String, String>> get(String tenantId, String accountId);

    /** Destroys the account's values so they cannot be recovered. Deleting what is absent is not an error. */
    void delete(String tenantId, String accountId);

    /** Destroys every value of the tenant. */
    void deleteTenant(String tenantId);

    /** Throws if the store cannot currently be used; backs the readiness check. */
    void ping();

    /**
     * One page of the entries the store holds, of every tenant: at most {@code limit}, in the store's own stable
     * order, strictly after {@code after} (from the start when null). A page shorter than {@code limit} is the
     * last. Only keys, never values: the orphan sweep pages through these to find credentials without an account.
     */
    List<EntryKey> listEntries(EntryKey after, int limit);

    /**
     * When the entry's values were last written ({@link #put}), by the store's clock; empty when there is no
     * entry. The orphan sweep uses it to leave alone what a link still in flight has just stored.
     */
    Optional<Instant> writtenAt(String tenantId, String accountId);

    /** Which tenant and account an entry belongs to; carries no value. */
    record EntryKey(String tenantId, String accountId) {
        public EntryKey {
            Objects.requireNonNull(tenantId, "tenantId is null");
            Objects.requireNonNull(accountId, "accountId is null");
        }
    }
}
