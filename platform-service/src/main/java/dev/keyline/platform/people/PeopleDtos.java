package dev.keyline.platform.people;

import dev.keyline.platform.directory.IamDtos.TypeDto;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The people view as clients see it: one row per person across an origin owner's linked accounts. */
public final class PeopleDtos {
    private PeopleDtos() {}

    public record PersonMfaDto(
            @Schema(
                    required = true,
                    nullable = true,
                    description = "Whether the user has a second factor enrolled; null when the provider does not say")
            Boolean enrolled) {}

    /** The person's user in one linked account. */
    public record PersonAccountDto(
            @Schema(required = true) String accountId,
            @Schema(required = true) String provider,

            @Schema(required = true, description = "The user's id in the account (`usr_…`), as /iam/users has it")
            String userId,

            @Schema(required = true) String remoteId,
            @Schema(required = true, nullable = true) String username,

            @Schema(
                    required = true,
                    enumeration = {"enabled", "disabled", "pending", "unmapped_value"})
            String status,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "As the user's `is_privileged`: null when it cannot be told")
            Boolean isPrivileged,

            @Schema(required = true) PersonMfaDto mfa,

            @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
            Instant lastLoginAt,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The kind of account; null when the provider does" + " not say")
            TypeDto type,

            @Schema(required = true) boolean remoteWasDeleted,

            @Schema(
                    required = true,
                    description = "When the account last completed a sync: the time this entry stands for",
                    implementation = String.class,
                    format = "date-time")
            Instant syncedAt) {}

    public record PersonDto(
            @Schema(required = true, description = "Stable while the person keeps their primary address (`per_…`)")
            String id,

            @Schema(
                    required = true,
                    description = "Whether the person was found in two or more linked accounts; false for a user"
                            + " without an e-mail address or whose addresses appear in no other account")
            boolean matched,

            @Schema(required = true, nullable = true) String name,
            @Schema(required = true, nullable = true) String primaryEmailAddress,

            @Schema(
                    required = true,
                    description = "Every address the person was matched on: lower case, googlemail.com as gmail.com")
            List<String> emails,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "true when the person is privileged in any account not deleted at the provider;"
                            + " false when in none (or when every account was deleted); null when some cannot be told"
                            + " and none says true")
            Boolean isPrivilegedAnywhere,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "true when every account not deleted at the provider has MFA enrolled; false when"
                            + " any has not; null when some cannot be told and none says false, or none is left")
            Boolean mfaEverywhere,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The latest sign-in in any account",
                    implementation = String.class,
                    format = "date-time")
            Instant lastLoginAt,

            @Schema(required = true, description = "In how many accounts the person is enabled (and not deleted)")
            int activeIn,

            @Schema(required = true) List<PersonAccountDto> accounts) {}

    public record PersonPage(
            @Schema(required = true) List<PersonDto> data,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The `cursor` of the following page; null on the last page")
            String next) {}

    public record SnapshotAccountDto(
            @Schema(required = true) String accountId,
            @Schema(required = true) String provider,

            @Schema(
                    required = true,
                    enumeration = {"active", "error"},
                    description = "The linked account's own status")
            String status,

            @Schema(
                    required = true,
                    description = "When the account last completed a sync: the time its data stands for",
                    implementation = String.class,
                    format = "date-time")
            Instant syncedAt) {}

    /** A user who lost access since the review's {@code since}. */
    public record RemovedDto(
            @Schema(required = true, description = "The person the user belongs to, as in `people` or `unmatched`")
            String personId,

            @Schema(required = true) String accountId,
            @Schema(required = true) String provider,
            @Schema(required = true) String userId,
            @Schema(required = true) String remoteId,
            @Schema(required = true, nullable = true) String username,
            @Schema(required = true, nullable = true) String primaryEmailAddress,

            @Schema(
                    required = true,
                    enumeration = {"deleted", "disabled"},
                    description = "`deleted`: gone from the provider; `disabled`: still there, disabled now")
            String change,

            @Schema(
                    required = true,
                    description = "When Keyline's sync saw the change",
                    implementation = String.class,
                    format = "date-time")
            Instant at) {}

    public record OwnerSnapshotDto(
            @Schema(
                    required = true,
                    enumeration = {"owner"})
            String scope,

            @Schema(required = true) String originOwnerId,

            @Schema(required = true, implementation = String.class, format = "date-time")
            Instant generatedAt,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "The `since` asked for: `removed` lists changes after it",
                    implementation = String.class,
                    format = "date-time")
            Instant since,

            @Schema(required = true) List<SnapshotAccountDto> accounts,

            @Schema(required = true, description = "The people found in two or more accounts")
            List<PersonDto> people,

            @Schema(required = true, description = "Everyone else, each in one account")
            List<PersonDto> unmatched,

            @Schema(
                    required = true,
                    nullable = true,
                    description = "Users deleted at the provider or disabled after `since`; null without `since`")
            List<RemovedDto> removed) {}

    static PersonDto person(Person person) {
        List<PersonAccountDto> accounts =
                person.accounts().stream().map(PeopleDtos::account).toList();
        List<AccountUser> live =
                person.accounts().stream().filter(u -> !u.remoteWasDeleted()).toList();
        Instant lastLogin = person.accounts().stream()
                .map(AccountUser::lastLoginAt)
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                .orElse(null);
        return new PersonDto(
                person.id(),
                person.matched(),
                person.name(),
                person.primaryEmailAddress(),
                person.emails(),
                privilegedAnywhere(live),
                mfaEverywhere(live),
                lastLogin,
                (int) live.stream().filter(AccountUser::active).count(),
                accounts);
    }

    static PersonAccountDto account(AccountUser user) {
        return new PersonAccountDto(
                user.account().id(),
                user.account().provider(),
                user.userId(),
                user.remoteId(),
                user.username(),
                user.status(),
                user.privileged(),
                new PersonMfaDto(user.mfaEnrolled()),
                user.lastLoginAt(),
                user.type(),
                user.remoteWasDeleted(),
                user.account().syncedAt());
    }

    static Boolean privilegedAnywhere(List<AccountUser> live) {
        if (live.stream().anyMatch(u -> Boolean.TRUE.equals(u.privileged()))) {
            return true;
        }
        return live.stream().allMatch(u -> Boolean.FALSE.equals(u.privileged())) ? false : null;
    }

    static Boolean mfaEverywhere(List<AccountUser> live) {
        if (live.stream().anyMatch(u -> Boolean.FALSE.equals(u.mfaEnrolled()))) {
            return false;
        }
        return !live.isEmpty() && live.stream().allMatch(u -> Boolean.TRUE.equals(u.mfaEnrolled())) ? true : null;
    }
}
