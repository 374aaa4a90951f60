package dev.keyline.platform.credential;

import java.util.Map;
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
}
