package dev.keyline.connector.model;

import static java.util.Objects.requireNonNull;

/** A group member as the provider reports it; {@code username} may be null. */
public record MemberRef(String remoteId, String username) {
    public MemberRef {
        requireNonNull(remoteId, "remoteId is null");
    }
}
