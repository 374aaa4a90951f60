package dev.keyline.platform.directory;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keyline.connector.model.Email;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.GroupRef;
import dev.keyline.connector.model.MemberRef;
import dev.keyline.connector.model.User;
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
            Instant syncedAt) {}

    public record StatusDto(
            @Schema(
                    required = true,
                    enumeration = {"enabled", "disabled", "pending", "unmapped_value"})
            String value,

            @Schema(required = true, nullable = true, description = "The provider's own value, as text")
            String sourceValue) {}

    public record EmailDto(
            @Schema(required = true) String value,
            @Schema(required = true, nullable = true) String type,
            @Schema(required = true) boolean primary) {}

    public record GroupRefDto(
            @Schema(required = true) String id,
            @Schema(required = true) String remoteId,
            @Schema(required = true, nullable = true) String name) {}

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
            @Schema(required = true) boolean isBotUser,
            @Schema(required = true) List<GroupRefDto> groups,
            @Schema(required = true) List<String> roles,

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
            @Schema(required = true, nullable = true) List<MemberDto> members,
            @Schema(required = true, nullable = true) Integer memberCount,

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
                user.isBotUser(),
                user.groups().stream().map(IamDtos::groupRef).toList(),
                user.roles().stream().map(r -> r.remoteId()).toList(),
                user.createdAt(),
                user.updatedAt(),
                null,
                seenAt,
                false,
                null,
                user.raw());
    }

    public static GroupDto live(Group group) {
        return new GroupDto(
                IamIds.group(group.remoteId()),
                group.remoteId(),
                group.name(),
                group.description(),
                group.type(),
                group.members() == null
                        ? null
                        : group.members().stream().map(IamDtos::member).toList(),
                group.memberCount(),
                group.createdAt(),
                group.updatedAt(),
                false,
                group.raw());
    }

    private static EmailDto email(Email email) {
        return new EmailDto(email.value(), email.type(), email.primary());
    }

    private static GroupRefDto groupRef(GroupRef ref) {
        return new GroupRefDto(IamIds.group(ref.remoteId()), ref.remoteId(), ref.name());
    }

    private static MemberDto member(MemberRef ref) {
        return new MemberDto(IamIds.user(ref.remoteId()), ref.remoteId(), ref.username());
    }
}
