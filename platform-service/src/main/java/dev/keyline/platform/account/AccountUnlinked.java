package dev.keyline.platform.account;

import static java.util.Objects.requireNonNull;

/**
 * Fired after an account was unlinked and its credentials destroyed, or for each account of a tenant being
 * deleted; observers drop what they hold for it (synced records, change log, per-account guards).
 */
public record AccountUnlinked(String tenantId, String accountId) {
    public AccountUnlinked {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(accountId, "accountId is null");
    }
}
