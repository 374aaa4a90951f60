package dev.keyline.platform.sync;

import dev.keyline.platform.directory.IamDtos.GroupDto;
import dev.keyline.platform.directory.IamDtos.RoleDto;
import dev.keyline.platform.directory.IamDtos.UserDto;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the sync endpoints return. */
public final class SyncDtos {
    private SyncDtos() {}

    /** Why a run failed: a problem code and a plain sentence. */
    public record ErrorDto(
            @Schema(required = true) String code,
            @Schema(required = true, nullable = true) String message) {}

    /** A run's counters grow while it runs; {@code error} is set on a failed run only. */
    public record SyncRunView(
            @Schema(required = true) String id,
            @Schema(required = true) String accountId,

            @Schema(
                    required = true,
                    enumeration = {"initial", "manual", "scheduled"})
            String trigger,

            @Schema(
                    required = true,
                    enumeration = {"queued", "running", "succeeded", "failed"})
            String state,

            @Schema(required = true, implementation = String.class, format = "date-time")
            Instant createdAt,

            @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
            Instant startedAt,

            @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
            Instant finishedAt,

            @Schema(required = true) int pages,
            @Schema(required = true) int usersSeen,
            @Schema(required = true) int groupsSeen,

            @Schema(required = true, description = "Roles listed (0 for a provider without roles)")
            int rolesSeen,

            @Schema(required = true) int added,
            @Schema(required = true) int updated,
            @Schema(required = true) int deleted,
            @Schema(required = true) int reappeared,
            @Schema(required = true) boolean confirmDeletions,

            @Schema(
                    required = true,
                    enumeration = {"full", "incremental"},
                    description = "full: every user, group and role was listed (absence means deletion, under the"
                            + " guard); incremental: the users the provider reported changed since the last run"
                            + " (deleted ones included), with every group and role")
            String mode,

            @Schema(required = true, nullable = true) ErrorDto error) {

        static SyncRunView of(SyncRun run) {
            SyncRun.SyncCounts c = run.counts();
            return new SyncRunView(
                    run.id(),
                    run.accountId(),
                    run.trigger().wire(),
                    run.state().wire(),
                    run.createdAt(),
                    run.startedAt(),
                    run.finishedAt(),
                    c.pages(),
                    c.usersSeen(),
                    c.groupsSeen(),
                    c.rolesSeen(),
                    c.added(),
                    c.updated(),
                    c.deleted(),
                    c.reappeared(),
                    run.confirmDeletions(),
                    run.mode().wire(),
                    run.errorCode() == null ? null : new ErrorDto(run.errorCode(), run.errorMessage()));
        }
    }

    /**
     * An optional body of {@code POST /accounts/{id}/syncs}. {@code confirm_deletions: true} confirms the deletions
     * the guard refused: allowed only while the account is in {@code error} with {@code deletion_guard}, it runs one
     * sync that may mark more than the guard's share deleted.
     */
    public record StartSyncRequest(
            @Schema(
                    defaultValue = "false",
                    description = "true to confirm the deletions the guard refused (only while the account"
                            + " is in error with deletion_guard)")
            Boolean confirmDeletions) {}

    /** A page of runs, newest first; {@code next} is the {@code cursor} of the following page, null on the last. */
    public record SyncRunPage(
            @Schema(required = true) List<SyncRunView> data,
            @Schema(required = true, nullable = true) String next) {}

    /**
     * An account's sync schedule. {@code intervalSeconds} is the account's own interval, null for the default
     * ({@code keyline.sync.scheduler.interval}); {@code effectiveIntervalSeconds} is what applies.
     */
    public record ScheduleView(
            @Schema(required = true, nullable = true) Integer intervalSeconds,
            @Schema(required = true) long effectiveIntervalSeconds,

            @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
            Instant nextDueAt,

            @Schema(required = true, nullable = true, implementation = String.class, format = "date-time")
            Instant lastSuccessAt) {}

    /** A new interval in seconds, 60 to 604800 (a week), or null to go back to the default. */
    public record ScheduleRequest(
            @Schema(
                    nullable = true,
                    minimum = "60",
                    maximum = "604800",
                    description = "Seconds between scheduled syncs; null for the default")
            Integer intervalSeconds) {}

    /**
     * One change-log entry. {@code type} is {@code user}, {@code group} or {@code role}; {@code change} is {@code created},
     * {@code updated}, {@code deleted} or {@code reappeared}; {@code fields} names what changed on an update.
     */
    public record ChangeView(
            @Schema(required = true, description = "Increases by one per entry of the account's log")
            long sequence,

            @Schema(
                    required = true,
                    enumeration = {"user", "group", "role"})
            String type,

            @Schema(
                    required = true,
                    enumeration = {"created", "updated", "deleted", "reappeared"})
            String change,

            @Schema(required = true) String id,
            @Schema(required = true) String remoteId,
            @Schema(required = true) List<String> fields,

            @Schema(required = true, implementation = String.class, format = "date-time")
            Instant at,

            @Schema(required = true) String runId) {}

    /**
     * {@code next} is the {@code cursor} of the following page, null when this page reached the end of the log: to
     * resume later, keep the last entry's {@code sequence} and ask again with {@code since}.
     */
    public record ChangePage(
            @Schema(required = true) List<ChangeView> data,
            @Schema(required = true, nullable = true) String next) {}

    /**
     * The JSON snapshot's shape, for the OpenAPI document only: {@link Snapshot} streams it field by field so memory
     * does not grow with the directory, and the contract test checks the two agree.
     */
    public record SnapshotView(
            @Schema(required = true) String accountId,

            @Schema(required = true, implementation = String.class, format = "date-time")
            Instant syncedAt,

            @Schema(required = true, implementation = String.class, format = "date-time")
            Instant generatedAt,

            @Schema(required = true) boolean includeDeleted,
            @Schema(required = true) List<UserDto> users,
            @Schema(required = true) List<GroupDto> groups,
            @Schema(required = true) List<RoleDto> roles) {}
}
