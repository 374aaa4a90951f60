package dev.keyline.connector.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A directory user as a connector reports it. Keyline's own ids and first/last-seen times are added by the
 * platform. Nullable components are null when the provider does not supply them.
 *
 * @param remoteId the provider's id, never null
 * @param createdAt the provider's creation time, or null
 * @param updatedAt the provider's last-modified time, or null
 * @param raw the provider's payload, or null unless asked for
 */
public record User(
        String remoteId,
        String username,
        String name,
        String firstName,
        String lastName,
        String primaryEmailAddress,
        List<Email> emails,
        UserStatus status,
        boolean isBotUser,
        List<GroupRef> groups,
        List<String> roles,
        Instant createdAt,
        Instant updatedAt,
        Map<String, Object> raw) {

    public User {
        requireNonNull(remoteId, "remoteId is null");
        emails = List.copyOf(emails);
        requireNonNull(status, "status is null");
        groups = List.copyOf(groups);
        roles = List.copyOf(roles);
        raw = Raw.copyOf(raw);
    }

    public static Builder builder(String remoteId) {
        return new Builder(remoteId);
    }

    /** The same user without the provider payload. */
    public User withoutRaw() {
        return raw == null ? this : toBuilder().raw(null).build();
    }

    public Builder toBuilder() {
        return new Builder(remoteId)
                .username(username)
                .name(name)
                .firstName(firstName)
                .lastName(lastName)
                .primaryEmailAddress(primaryEmailAddress)
                .emails(emails)
                .status(status)
                .isBotUser(isBotUser)
                .groups(groups)
                .roles(roles)
                .createdAt(createdAt)
                .updatedAt(updatedAt)
                .raw(raw);
    }

    public static final class Builder {
        private final String remoteId;
        private String username;
        private String name;
        private String firstName;
        private String lastName;
        private String primaryEmailAddress;
        private List<Email> emails = List.of();
        private UserStatus status = new UserStatus(StatusValue.ENABLED, null);
        private boolean isBotUser;
        private List<GroupRef> groups = List.of();
        private List<String> roles = List.of();
        private Instant createdAt;
        private Instant updatedAt;
        private Map<String, Object> raw;

        private Builder(String remoteId) {
            this.remoteId = requireNonNull(remoteId, "remoteId is null");
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder firstName(String firstName) {
            this.firstName = firstName;
            return this;
        }

        public Builder lastName(String lastName) {
            this.lastName = lastName;
            return this;
        }

        public Builder primaryEmailAddress(String primaryEmailAddress) {
            this.primaryEmailAddress = primaryEmailAddress;
            return this;
        }

        public Builder emails(List<Email> emails) {
            this.emails = emails;
            return this;
        }

        public Builder status(UserStatus status) {
            this.status = status;
            return this;
        }

        public Builder isBotUser(boolean isBotUser) {
            this.isBotUser = isBotUser;
            return this;
        }

        public Builder groups(List<GroupRef> groups) {
            this.groups = groups;
            return this;
        }

        public Builder roles(List<String> roles) {
            this.roles = roles;
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

        public User build() {
            return new User(
                    remoteId,
                    username,
                    name,
                    firstName,
                    lastName,
                    primaryEmailAddress,
                    emails,
                    status,
                    isBotUser,
                    groups,
                    roles,
                    createdAt,
                    updatedAt,
                    raw);
        }
    }
}
