package dev.keyline.platform.sync;

import dev.keyline.platform.directory.IamDtos.GroupDto;
import dev.keyline.platform.directory.IamDtos.UserDto;
import java.time.Instant;
import java.util.List;

/** What the sync endpoints return. */
public final class SyncDtos {
    private SyncDtos() {}

    public record ErrorDto(String code, String message) {}

    public record SyncRunView(
            String id,
            String accountId,
            String trigger,
            String state,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt,
            int pages,
            int usersSeen,
            int groupsSeen,
            int added,
            int updated,
            int deleted,
            int reappeared,
            boolean confirmDeletions,
            ErrorDto error) {

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
                    c.added(),
                    c.updated(),
                    c.deleted(),
                    c.reappeared(),
                    run.confirmDeletions(),
                    run.errorCode() == null ? null : new ErrorDto(run.errorCode(), run.errorMessage()));
        }
    }

    /**
     * An optional body of {@code POST /accounts/{id}/syncs}. {@code confirm_deletions: true} confirms the deletions
     * the guard refused: allowed only while the account is in {@code error} with {@code deletion_guard}, it runs one
     * sync that may mark more than the guard's share deleted.
     */
    public record StartSyncRequest(Boolean confirmDeletions) {}

    public record SyncRunPage(List<SyncRunView> data) {}

    /**
     * An account's sync schedule. {@code intervalSeconds} is the account's own interval, null for the default
     * ({@code keyline.sync.scheduler.interval}); {@code effectiveIntervalSeconds} is what applies.
     */
    public record ScheduleView(
            Integer intervalSeconds, long effectiveIntervalSeconds, Instant nextDueAt, Instant lastSuccessAt) {}

    /** A new interval in seconds, 60 to 604800 (a week), or null to go back to the default. */
    public record ScheduleRequest(Integer intervalSeconds) {}

    /**
     * One change-log entry. {@code type} is {@code user} or {@code group}; {@code change} is {@code created},
     * {@code updated}, {@code deleted} or {@code reappeared}; {@code fields} names what changed on an update.
     */
    public record ChangeView(
            long sequence,
            String type,
            String change,
            String id,
            String remoteId,
            List<String> fields,
            Instant at,
            String runId) {}

    /** {@code next} is the {@code since} of the following page, null when this page reached the end of the log. */
    public record ChangePage(List<ChangeView> data, String next) {}

    /**
     * The JSON snapshot's shape, for the OpenAPI document only: {@link Snapshot} streams it field by field so memory
     * does not grow with the directory, and the contract test checks the two agree.
     */
    public record SnapshotView(
            String accountId,
            Instant syncedAt,
            Instant generatedAt,
            boolean includeDeleted,
            List<UserDto> users,
            List<GroupDto> groups) {}
}
