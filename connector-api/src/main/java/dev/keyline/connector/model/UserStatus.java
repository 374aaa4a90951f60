package dev.keyline.connector.model;

import static java.util.Objects.requireNonNull;

/**
 * A normalized status with the provider's own value kept beside it.
 *
 * @param sourceValue what the provider said, as text (for SCIM, {@code "true"} or {@code "false"} of
 *     {@code active}); null when the provider said nothing
 */
public record UserStatus(StatusValue value, String sourceValue) {
    public UserStatus {
        requireNonNull(value, "value is null");
    }
}
