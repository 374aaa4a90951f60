package dev.keyline.connector.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A directory group as a connector reports it.
 *
 * @param members the members, or null when the provider's answer did not include them (not the same as
 *     an empty group)
 * @param memberCount the number of members when known, else null
 * @param type the provider's group type, or null
 * @param privileged true when the provider marks the group administrative (its members administer the account),
 *     false when it marks it not, null when it says nothing
 */
public record Group(
        String remoteId,
        String name,
        String description,
        String type,
        List<MemberRef> members,
        Integer memberCount,
        Instant createdAt,
        Instant updatedAt,
        Map<String, Object> raw,
        Boolean privileged) {

    public Group {
        requireNonNull(remoteId, "remoteId is null");
        members = members == null ? null : List.copyOf(members);
        if (memberCount == null && members != null) {
            memberCount = members.size();
        }
        raw = Raw.copyOf(raw);
    }

    /** A group without a privilege mark (the SPI 1 and 2 constructor). */
    public Group(
            String remoteId,
            String name,
            String description,
            String type,
            List<MemberRef> members,
            Integer memberCount,
            Instant createdAt,
            Instant updatedAt,
            Map<String, Object> raw) {
        this(remoteId, name, description, type, members, memberCount, createdAt, updatedAt, raw, null);
    }

    public Group withMembers(List<MemberRef> members) {
        return new Group(
                remoteId, name, description, type, members, members.size(), createdAt, updatedAt, raw, privileged);
    }

    /** The same group, marked administrative or not. */
    public Group withPrivileged(Boolean privileged) {
        return new Group(
                remoteId, name, description, type, members, memberCount, createdAt, updatedAt, raw, privileged);
    }

    public Group withoutRaw() {
        return raw == null
                ? this
                : new Group(
                        remoteId,
                        name,
                        description,
                        type,
                        members,
                        memberCount,
                        createdAt,
                        updatedAt,
                        null,
                        privileged);
    }

    /** This group as a reference a user carries. */
    public GroupRef ref() {
        return new GroupRef(remoteId, name, privileged);
    }
}
