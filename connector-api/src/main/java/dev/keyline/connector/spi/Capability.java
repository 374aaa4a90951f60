package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

/**
 * What a connector can do. Each capability is an interface that the connector implements; the platform
 * looks capabilities up with {@link Connector#capability(Class)} instead of calling methods that throw.
 */
public enum Capability {
    CREDENTIAL_VALIDATION(CredentialValidator.class, "credential validation"),
    USERS(UserDirectory.class, "listing users"),
    GROUPS(GroupDirectory.class, "listing groups"),
    /** Since SPI 3. */
    ROLES(RoleDirectory.class, "listing roles"),
    /** Since SPI 3. */
    USER_CHANGES(UserChangeFeed.class, "reading user changes since the last sync"),
    HEALTH_PROBE(HealthProbe.class, "health reports");

    private final Class<?> type;
    private final String description;

    Capability(Class<?> type, String description) {
        this.type = requireNonNull(type);
        this.description = requireNonNull(description);
    }

    /** The interface a connector implements to have this capability. */
    public Class<?> type() {
        return type;
    }

    public String description() {
        return description;
    }
}
