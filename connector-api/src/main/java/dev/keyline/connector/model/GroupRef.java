package dev.keyline.connector.model;

import static java.util.Objects.requireNonNull;

/** A user's membership as the provider reports it; {@code name} may be null. */
public record GroupRef(String remoteId, String name) {
    public GroupRef {
        requireNonNull(remoteId, "remoteId is null");
    }
}
