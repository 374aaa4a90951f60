package dev.keyline.platform.account;

import static java.util.Objects.requireNonNull;

/** Fired after a link stored its credentials and activated the account; {@code created} is false on a re-link. */
public record AccountLinked(String tenantId, String accountId, boolean created) {
    public AccountLinked {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(accountId, "accountId is null");
    }
}
