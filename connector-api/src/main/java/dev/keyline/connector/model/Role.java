package dev.keyline.connector.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A role or entitlement as a connector reports it, with who holds it. Nullable components are null when the
 * provider does not supply them.
 *
 * @param remoteId the provider's id, never null
 * @param privileged true when the provider marks the role administrative, false when it marks it not, null when it
 *     says nothing
 * @param scope where the role applies, or null when the provider does not say
 * @param permissions what the role allows, in the provider's own names; empty when none are listed
 * @param members the users the role is assigned to directly, or null when the listing did not include them
 * @param groups the groups the role is assigned to (their members hold it), or null when not included
 * @param raw the provider's payload, or null unless asked for
 */
public record Role(
        String remoteId,
        String name,
        String description,
        Boolean privileged,
        RoleScope scope,
        List<String> permissions,
        List<MemberRef> members,
        List<GroupRef> groups,
        Instant createdAt,
        Instant updatedAt,
        Map<String, Object> raw) {

    public Role {
        requireNonNull(remoteId, "remoteId is null");
        permissions = List.copyOf(permissions);
        members = members == null ? null : List.copyOf(members);
        groups = groups == null ? null : List.copyOf(groups);
        raw = Raw.copyOf(raw);
    }

    public static Builder builder(String remoteId) {
        return new Builder(remoteId);
    }

    /** The same role without the provider payload. */
    public Role withoutRaw() {
        return raw == null ? this : toBuilder().raw(null).build();
    }

    /** This role as a reference a user carries. */
    public RoleRef ref() {
        return new RoleRef(remoteId, name, privileged);
    }

    public Builder toBuilder() {
        return new Builder(remoteId)
                .name(name)
                .description(description)
                .privileged(privileged)
                .scope(scope)
                .permissions(permissions)
                .members(members)
                .groups(groups)
                .createdAt(createdAt)
                .updatedAt(updatedAt)
                .raw(raw);
    }

    public static final class Builder {
        private final String remoteId;
        private String name;
        private String description;
        private Boolean privileged;
        private RoleScope scope;
        private List<String> permissions = List.of();
        private List<MemberRef> members;
        private List<GroupRef> groups;
        private Instant createdAt;
        private Instant updatedAt;
        private Map<String, Object> raw;

        private Builder(String remoteId) {
            this.remoteId = requireNonNull(remoteId, "remoteId is null");
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder privileged(Boolean privileged) {
            this.privileged = privileged;
            return this;
        }

        public Builder scope(RoleScope scope) {
            this.scope = scope;
            return this;
        }

        public Builder permissions(List<String> permissions) {
            this.permissions = permissions;
            return this;
        }

        public Builder members(List<MemberRef> members) {
            this.members = members;
            return this;
        }

        public Builder groups(List<GroupRef> groups) {
            this.groups = groups;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder raw(Map<String, Object> raw) {
            this.raw = raw;
            return this;
        }

        public Role build() {
            return new Role(
                    remoteId,
                    name,
                    description,
                    privileged,
                    scope,
                    permissions,
                    members,
                    groups,
                    createdAt,
                    updatedAt,
                    raw);
        }
    }
}
