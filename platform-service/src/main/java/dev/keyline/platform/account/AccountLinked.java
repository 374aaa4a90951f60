package dev.keyline.platform.account;

import static java.util.Objects.requireNonNull;

/**
 * Fired after a link stored its credentials and activated the account; {@code created} is false on a re-link. It
 * carries what observers report of the account, so none of them has to read the row back.
 */
public record AccountLinked(
        String tenantId, String accountId, String originOwnerId, String provider, String status, boolean created) {
    public AccountLinked {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(originOwnerId, "originOwnerId is null");
        requireNonNull(provider, "provider is null");
        requireNonNull(status, "status is null");
    }
}
