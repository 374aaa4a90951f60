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

/** The normalized records of the unified IAM API, as clients see them. */
public final class IamDtos {
    private IamDtos() {}

    /** A page: the records and the cursor of the next page, null on the last; {@code meta} says where they came from. */
    public record PageDto<T>(
            List<T> data,
            String next,
            @JsonInclude(JsonInclude.Include.NON_NULL) MetaDto meta) {
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
    public record MetaDto(String mode, Instant syncedAt) {}

    public record StatusDto(String value, String sourceValue) {}

    public record EmailDto(String value, String type, boolean primary) {}

    public record GroupRefDto(String id, String remoteId, String name) {}

    public record MemberDto(String id, String remoteId, String username) {}

    public record UserDto(
            String id,
            String remoteId,
            String username,
            String name,
            String firstName,
            String lastName,
            String primaryEmailAddress,
            List<EmailDto> emails,
            StatusDto status,
            boolean isBotUser,
            List<GroupRefDto> groups,
            List<String> roles,
            Instant createdAt,
            Instant updatedAt,
            Instant firstSeenAt,
            Instant lastSeenAt,
            boolean remoteWasDeleted,
            Instant deletedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Object> raw) {}

    public record GroupDto(
            String id,
            String remoteId,
            String name,
            String description,
            String type,
            List<MemberDto> members,
            Integer memberCount,
            Instant createdAt,
            Instant updatedAt,
            boolean remoteWasDeleted,
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
                user.roles(),
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
