package dev.keyline.connector.model;

import java.util.Locale;

/** The normalized account status. Serialized in lower case ({@code enabled}, {@code unmapped_value}). */
public enum StatusValue {
    ENABLED,
    DISABLED,
    PENDING,
    /** The provider reported a status we do not know how to map; see {@link UserStatus#sourceValue()}. */
    UNMAPPED_VALUE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name; throws {@link IllegalArgumentException} for anything else. */
    public static StatusValue fromWireName(String value) {
        for (StatusValue status : values()) {
            if (status.wireName().equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown status: " + value);
    }
}
