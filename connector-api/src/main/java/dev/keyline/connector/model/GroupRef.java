package dev.keyline.connector.model;

import static java.util.Objects.requireNonNull;

/**
 * A user's membership as the provider reports it; {@code name} may be null.
 *
 * @param privileged true when the provider marks the group administrative (its members administer the account),
 *     false when it marks it not, null when it says nothing
 */
public record GroupRef(String remoteId, String name, Boolean privileged) {
    public GroupRef {
        requireNonNull(remoteId, "remoteId is null");
    }

    /** A membership without a privilege mark (the SPI 1 and 2 constructor). */
    public GroupRef(String remoteId, String name) {
        this(remoteId, name, null);
    }
}
