package dev.keyline.platform.tenant;

import static java.util.Objects.requireNonNull;

/** Fired inside the transaction that revokes a key; observers that cache keys act once it completes. */
public record ApiKeyRevoked(String tenantId, String keyId) {
    public ApiKeyRevoked {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(keyId, "keyId is null");
    }
}
