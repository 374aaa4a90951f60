package dev.keyline.platform.account;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Fired once per transition of an account between {@code active} and {@code error} (not on every failed check),
 * after the new status is committed. {@code code}, {@code message} and {@code field} describe the error when
 * {@code to} is {@code error} and are null on recovery. Webhooks turn it into {@code account.error} or
 * {@code account.recovered}.
 */
public record AccountStatusChanged(
        String tenantId,
        String accountId,
        String from,
        String to,
        String code,
        String message,
        String field,
        Instant at) {
    public AccountStatusChanged {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(at, "at is null");
    }
}
