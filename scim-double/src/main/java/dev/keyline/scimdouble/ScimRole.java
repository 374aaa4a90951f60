package dev.keyline.scimdouble;

import static java.util.Objects.requireNonNull;

/**
 * One entry of a user's multi-valued {@code roles} attribute (RFC 7643 4.1.2).
 *
 * @param display the human-readable name, or null (served without {@code display})
 */
public record ScimRole(String value, String display, boolean primary) {
    public ScimRole {
        requireNonNull(value, "value is null");
    }
}
