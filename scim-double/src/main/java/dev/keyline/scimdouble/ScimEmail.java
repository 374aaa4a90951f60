package dev.keyline.scimdouble;

import static java.util.Objects.requireNonNull;

/**
 * An e-mail address of a {@link ScimUser}, as served.
 *
 * @param type the SCIM type ({@code work}, {@code home}); may be the empty string, as 1Password sends it for
 *     addresses without a type
 */
public record ScimEmail(String value, String type, boolean primary) {
    public ScimEmail {
        requireNonNull(value, "value is null");
        requireNonNull(type, "type is null");
    }
}
