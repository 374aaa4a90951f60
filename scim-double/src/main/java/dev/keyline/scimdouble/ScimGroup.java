package dev.keyline.scimdouble;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A group of the upstream's directory. Memberships live on the users ({@link ScimUser#groupIds()}); ask the
 * {@link ScimDirectory} for a group's members.
 */
public record ScimGroup(String id, String displayName, Instant created, Instant lastModified) {
    public ScimGroup {
        requireNonNull(id, "id is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(created, "created is null");
        requireNonNull(lastModified, "lastModified is null");
    }

    public ScimGroup withDisplayName(String displayName) {
        return new ScimGroup(id, displayName, created, lastModified);
    }

    public ScimGroup withLastModified(Instant lastModified) {
        return new ScimGroup(id, displayName, created, lastModified);
    }
}
