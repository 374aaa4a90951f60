package dev.keyline.connector.model;

import static java.util.Objects.requireNonNull;

/**
 * A normalized account type with the provider's own value beside it.
 *
 * @param sourceValue what the provider said, as text (Entra's {@code userType} {@code "Guest"}, SCIM's
 *     {@code userType}), or null when the type was inferred from something else the provider says (a bot flag)
 */
public record UserType(UserTypeValue value, String sourceValue) {
    public UserType {
        requireNonNull(value, "value is null");
    }
}
