package dev.keyline.connector.model;

import java.util.Locale;

/** Where a role applies. Serialized in lower case ({@code org_wide}, {@code group}, {@code app}). */
public enum RoleScope {
    /** The whole organisation or account (a super administrator, a directory role). */
    ORG_WIDE,
    /** Some groups or organisational units only. */
    GROUP,
    /** One application or resource only. */
    APP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name; throws {@link IllegalArgumentException} for anything else. */
    public static RoleScope fromWireName(String value) {
        for (RoleScope scope : values()) {
            if (scope.wireName().equals(value)) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown role scope: " + value);
    }
}
