package dev.keyline.connector.model;

import java.util.Locale;

/** What kind of account a user is. Serialized in lower case ({@code member}, {@code service}). */
public enum UserTypeValue {
    /** A person of the organisation. */
    MEMBER,
    /** A person from outside it: a guest, a collaborator, an external user. */
    GUEST,
    /** An account for software: an integration, a service principal, an API user. */
    SERVICE,
    /** A bot of a chat or collaboration product. */
    BOT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the wire name; throws {@link IllegalArgumentException} for anything else. */
    public static UserTypeValue fromWireName(String value) {
        for (UserTypeValue type : values()) {
            if (type.wireName().equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown user type: " + value);
    }
}
