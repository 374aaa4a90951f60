package dev.keyline.platform.directory;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.RoleRef;
import dev.keyline.connector.model.User;
import dev.keyline.connector.model.UserTypeValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The normalized records of the unified IAM API, as clients see them. */
public final class IamDtos {
    private IamDtos() {}

    /** A page: the records and the cursor of the next page, null on the last; {@code meta} says where they came from. */
    public record PageDto<T>(
            @Schema(required = true) List<T> data,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The `cursor` of the following page; null on the last page")
            String next,

            // Every /iam page sets it (IamReadRouting); the annotation only keeps a bare page's JSON unchanged.
            @Schema(required = true) @JsonInclude(JsonInclude.Include.NON_NULL)
            MetaDto meta) {
        public PageDto(List<T> data, String next) {
            this(data, next, null);
        }

        public PageDto<T> withMeta(MetaDto meta) {
            return new PageDto<>(data, next, meta);
        }
    }

    /**
     * Where a page's records come from: {@code live} (the provider, now) or {@code synced} (the store), and when
     * the account's last successful sync finished (null if it never synced).
     */
    public record MetaDto(
            @Schema(
                    required = true,
                    enumeration = {"live", "synced"})
            String mode,

            @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
            Instant syncedAt,

            @Schema(
                    nullable = true,
                    enumeration = {"on_groups_only"},
                    description = "On live user reads: `on_groups_only` when the provider lists membership only on"
                            + " groups (seen by the account's last sync), so each user's `groups` is empty here"
                            + " although the user may belong to groups. Read with mode=synced, where Keyline fills"
                            + " both sides, or read /iam/groups. Absent when users carry their groups.")
            @JsonInclude(JsonInclude.Include.NON_NULL)
            String membership) {
        public MetaDto(String mode, Instant syncedAt) {
            this(mode, syncedAt, null);
        }
    }

    public record StatusDto(
            @Schema(
                    required = true,
                    enumeration = {"enabled", "disabled", "pending", "unmapped_value"})
            String value,

            @Schema(required = true, nullable = true, description = "The provider's own value, as text")
            String sourceValue) {}

    public record TypeDto(
            @Schema(
                    required = true,
                    enumeration = {"member", "guest", "service", "bot"})
            String value,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The provider's own value, as text; null when the type was inferred (a bot flag)")
            String sourceValue) {}

    public record MfaDto(
            @Schema(
                    required = true,
                    nullable = true,
                    description = "Whether the user has a second factor enrolled; null when the provider does not say"
                            + " (or the grant does not allow reading it)")
            Boolean enrolled,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The enrolled methods in the provider's own names; null when it does not list them")
            List<String> methods) {}

    public record EmailDto(
            @Schema(required = true) String value,
            @Schema(required = true, nullable = true) String type,
            @Schema(required = true) boolean primary) {}

    public record GroupRefDto(
            @Schema(required = true) String id,
            @Schema(required = true) String remoteId,
            @Schema(required = true, nullable = true) String name,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Whether the provider marks the group administrative; null when it does not say")
            Boolean privileged) {}

    public record RoleRefDto(
            @Schema(required = true) String id,
            @Schema(required = true) String remoteId,
            @Schema(required = true, nullable = true) String name,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Whether the provider marks the role administrative; null when it does not say")
            Boolean privileged) {}

    public record MemberDto(
            @Schema(required = true) String id,
            @Schema(required = true) String remoteId,
            @Schema(required = true, nullable = true) String username) {}

    /** Unknown values are null, never a guess; {@code raw} is present only when asked for. */
    public record UserDto(
            @Schema(required = true) String id,
            @Schema(required = true) String remoteId,
            @Schema(required = true, nullable = true) String username,
            @Schema(required = true, nullable = true) String name,
            @Schema(required = true, nullable = true) String firstName,
            @Schema(required = true, nullable = true) String lastName,
            @Schema(required = true, nullable = true) String primaryEmailAddress,
            @Schema(required = true) List<EmailDto> emails,
            @Schema(required = true) StatusDto status,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The kind of account; null when the provider does" + " not say")
            TypeDto type,

            @Schema(required = true) boolean isBotUser,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "true when the provider says the user administers the account, or any role or"
                            + " group it marks administrative applies; false when the provider's marks show none"
                            + " does; null when it cannot be told")
            Boolean isPrivileged,

            @Schema(required = true) MfaDto mfa,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "When the user last signed in; null when unknown or never",
                    implementation = String.class,
                    format = "date-time")
            Instant lastLoginAt,

            @Schema(required = true, nullable = true) String department,
            @Schema(required = true, nullable = true) String title,

            @Schema(required = true, nullable = true, description = "The Keyline id of the user's manager")
            String managerId,

            @Schema(required = true) List<GroupRefDto> groups,
            @Schema(required = true) List<RoleRefDto> roles,

            @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
            Instant createdAt,

            @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
            Instant updatedAt,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Known for synced reads only",
                    implementation = String.class,
                    format = "date-time")
            Instant firstSeenAt,

            @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
            Instant lastSeenAt,

            @Schema(required = true) boolean remoteWasDeleted,

            @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
            Instant deletedAt,

            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> raw) {}

    /** {@code members} is null when left out ({@code include_members=false}) or not known. */
    public record GroupDto(
            @Schema(required = true) String id,
            @Schema(required = true) String remoteId,
            @Schema(required = true, nullable = true) String name,
            @Schema(required = true, nullable = true) String description,
            @Schema(required = true, nullable = true) String type,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Whether the provider marks the group administrative; null when it does not say")
            Boolean isPrivileged,

            @Schema(required = true, nullable = true) List<MemberDto> members,
            @Schema(required = true, nullable = true) Integer memberCount,

            @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
            Instant createdAt,

            @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
            Instant updatedAt,

            @Schema(required = true) boolean remoteWasDeleted,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> raw) {}

    /**
     * A role or entitlement and who holds it. {@code members} (users assigned directly) and {@code groups} (groups
     * assigned, whose members hold it) are null when left out or not known.
     */
    public record RoleDto(
            @Schema(required = true) String id,
            @Schema(required = true) String remoteId,
            @Schema(required = true, nullable = true) String name,
            @Schema(required = true, nullable = true) String description,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Whether the provider marks the role administrative; null when it does not say")
            Boolean privileged,

            @Schema(
                    required = true,
                    nullable = true,
                    enumeration = {"org_wide", "group", "app"},
                    description = "Where the role applies; null when the provider does not say")
            String scope,

            @Schema(required = true, description = "What the role allows, in the provider's own names")
            List<String> permissions,

            @Schema(required = true, nullable = true) List<MemberDto> members,
            @Schema(required = true, nullable = true) List<GroupRefDto> groups,

            @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
            Instant createdAt,

            @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
            Instant updatedAt,

            @Schema(required = true) boolean remoteWasDeleted,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> raw) {}

    /**
     * A user read live from the provider: seen now, first-seen unknown (only the synced store tracks it).
     */
    public static UserDto live(User user, Instant seenAt) {
        return user(user, null, seenAt, false, null);
    }

    /** A user with Keyline's own facts about it: when it was first and last seen, and whether it was deleted. */
    public static UserDto user(
            User user, Instant firstSeenAt, Instant lastSeenAt, boolean remoteWasDeleted, Instant deletedAt) {
        return new UserDto(
                IamIds.user(user.remoteId()),
                user.remoteId(),
                user.username(),
                user.name(),
                user.firstName(),
                user.lastName(),
                user.primaryEmailAddress(),
                user.emails().stream().map(IamDtos::email).toList(),
                new StatusDto(user.status().value().wireName(), user.status().sourceValue()),
                type(user),
                user.isBotUser(),
                Privilege.of(user),
                new MfaDto(user.mfa().enrolled(), user.mfa().methods()),
                user.lastLoginAt(),
                user.department(),
                user.title(),
                user.managerRemoteId() == null ? null : IamIds.user(user.managerRemoteId()),
                user.groups().stream().map(IamDtos::groupRef).toList(),
                user.roles().stream().map(IamDtos::roleRef).toList(),
                user.createdAt(),
                user.updatedAt(),
                firstSeenAt,
                lastSeenAt,
                remoteWasDeleted,
                deletedAt,
                user.raw());
    }

    public static GroupDto live(Group group) {
        return group(group, true, false);
    }

    /** A group; its members left out when not wanted, and whether it was deleted at the provider. */
    public static GroupDto group(Group group, boolean includeMembers, boolean remoteWasDeleted) {
        return new GroupDto(
                IamIds.group(group.remoteId()),
                group.remoteId(),
                group.name(),
                group.description(),
                group.type(),
                group.privileged(),
                !includeMembers || group.members() == null
                        ? null
                        : group.members().stream().map(IamDtos::member).toList(),
                group.memberCount(),
                group.createdAt(),
                group.updatedAt(),
                remoteWasDeleted,
                group.raw());
    }

    public static RoleDto live(Role role) {
        return role(role, true, false);
    }

    /** A role; its assignments left out when not wanted, and whether it was deleted at the provider. */
    public static RoleDto role(Role role, boolean includeAssignments, boolean remoteWasDeleted) {
        return new RoleDto(
                IamIds.role(role.remoteId()),
                role.remoteId(),
                role.name(),
                role.description(),
                role.privileged(),
                role.scope() == null ? null : role.scope().wireName(),
                role.permissions(),
                !includeAssignments || role.members() == null
                        ? null
                        : role.members().stream().map(IamDtos::member).toList(),
                !includeAssignments || role.groups() == null
                        ? null
                        : role.groups().stream().map(IamDtos::groupRef).toList(),
                role.createdAt(),
                role.updatedAt(),
                remoteWasDeleted,
                role.raw());
    }

    /** The user's type; a bot flag without a type of its own is a bot. */
    private static TypeDto type(User user) {
        if (user.type() != null) {
            return new TypeDto(user.type().value().wireName(), user.type().sourceValue());
        }
        return user.isBotUser() ? new TypeDto(UserTypeValue.BOT.wireName(), null) : null;
    }

    private static EmailDto email(Email email) {
        return new EmailDto(email.value(), email.type(), email.primary());
    }

    private static GroupRefDto groupRef(GroupRef ref) {
        return new GroupRefDto(IamIds.group(ref.remoteId()), ref.remoteId(), ref.name(), ref.privileged());
    }

    private static RoleRefDto roleRef(RoleRef ref) {
        return new RoleRefDto(IamIds.role(ref.remoteId()), ref.remoteId(), ref.name(), ref.privileged());
    }

    private static MemberDto member(MemberRef ref) {
        return new MemberDto(IamIds.user(ref.remoteId()), ref.remoteId(), ref.username());
    }
}
