package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

/**
 * One field the connect form asks for. The descriptor's fields drive the form, so they carry everything a
 * person needs to fill them in.
 *
 * @param key the configuration key, for example {@code scim_url}
 * @param label short label shown beside the input
 * @param help one or two sentences on where to find the value
 * @param example an example value (never a real secret), or null
 * @param pattern a regular expression a well-formed value matches, or null; a hint for forms, the
 *     connector still validates
 * @param secret whether the value is a secret: masked in forms, never logged or returned, stored encrypted
 * @param type how the form should treat the value
 */
public record CredentialField(
        String key, String label, String help, String example, String pattern, boolean secret, Type type) {
    public enum Type {
        URL,
        TEXT,
        SECRET
    }

    public CredentialField {
        requireNonNull(key, "key is null");
        requireNonNull(label, "label is null");
        requireNonNull(help, "help is null");
        requireNonNull(type, "type is null");
        if (!key.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("field key must be snake_case: " + key);
        }
        if (secret != (type == Type.SECRET)) {
            throw new IllegalArgumentException("field " + key + ": secret fields and SECRET type go together");
        }
    }

    public static CredentialField url(String key, String label, String help, String example, String pattern) {
        return new CredentialField(key, label, help, example, pattern, false, Type.URL);
    }

    public static CredentialField secret(String key, String label, String help, String example) {
        return new CredentialField(key, label, help, example, null, true, Type.SECRET);
    }
}
