package dev.keyline.connector.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A directory user as a connector reports it. Keyline's own ids and first/last-seen times are added by the
 * platform. Nullable components are null when the provider does not supply them: unknown is null, never a guess.
 *
 * @param remoteId the provider's id, never null
 * @param roles the roles the provider lists on the user; roles it lists only on the role side are added by the
 *     platform when it syncs
 * @param createdAt the provider's creation time, or null
 * @param updatedAt the provider's last-modified time, or null
 * @param raw the provider's payload, or null unless asked for
 * @param privileged the provider's own statement that the user administers the account (true) or does not
 *     (false), or null when it makes none; the platform also counts administrative roles and groups
 * @param mfa what the provider says of the user's second factors; never null ({@link Mfa#UNKNOWN} when nothing)
 * @param lastLoginAt when the user last signed in, or null when unknown or never
 * @param type the kind of account, or null when the provider does not say
 * @param managerRemoteId the provider's id of the user's manager, or null
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
        List<RoleRef> roles,
        Instant createdAt,
        Instant updatedAt,
        Map<String, Object> raw,
        Boolean privileged,
        Mfa mfa,
        Instant lastLoginAt,
        UserType type,
        String managerRemoteId,
        String department,
        String title) {

    public User {
        requireNonNull(remoteId, "remoteId is null");
        emails = List.copyOf(emails);
        requireNonNull(status, "status is null");
        groups = List.copyOf(groups);
        roles = RoleRef.copyOf(roles);
        raw = Raw.copyOf(raw);
        mfa = mfa == null ? Mfa.UNKNOWN : mfa;
    }

    /**
     * The SPI 1 and 2 constructor: roles as names, none of the access-review facts. Kept so plugins built against
     * those versions still link.
     */
    public User(
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
            List<RoleRef> roles,
            Instant createdAt,
            Instant updatedAt,
            Map<String, Object> raw) {
        this(
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
                raw,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
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
                .raw(raw)
                .privileged(privileged)
                .mfa(mfa)
                .lastLoginAt(lastLoginAt)
                .type(type)
                .managerRemoteId(managerRemoteId)
                .department(department)
                .title(title);
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
        private List<?> roles = List.of();
        private Instant createdAt;
        private Instant updatedAt;
        private Map<String, Object> raw;
        private Boolean privileged;
        private Mfa mfa = Mfa.UNKNOWN;
        private Instant lastLoginAt;
        private UserType type;
        private String managerRemoteId;
        private String department;
        private String title;

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

        /**
         * The roles listed on the user. Plugins built against SPI 1 or 2 pass role names here (same erased
         * signature); they become {@link RoleRef#named} references.
         */
        public Builder roles(List<RoleRef> roles) {
            this.roles = roles;
            return this;
        }

        /** Roles known only by name: each name is the role's id too, privilege unknown. */
        public Builder roleNames(List<String> names) {
            this.roles = names;
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

        public Builder privileged(Boolean privileged) {
            this.privileged = privileged;
            return this;
        }

        public Builder mfa(Mfa mfa) {
            this.mfa = mfa;
            return this;
        }

        public Builder lastLoginAt(Instant lastLoginAt) {
            this.lastLoginAt = lastLoginAt;
            return this;
        }

        public Builder type(UserType type) {
            this.type = type;
            return this;
        }

        public Builder managerRemoteId(String managerRemoteId) {
            this.managerRemoteId = managerRemoteId;
            return this;
        }

        public Builder department(String department) {
            this.department = department;
            return this;
        }

        public Builder title(String title) {
            this.title = title;
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
                    RoleRef.copyOf(roles),
                    createdAt,
                    updatedAt,
                    raw,
                    privileged,
                    mfa,
                    lastLoginAt,
                    type,
                    managerRemoteId,
                    department,
                    title);
        }
    }
}
