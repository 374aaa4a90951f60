package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One sync of one account, as recorded in PostgreSQL. {@code confirmDeletions} marks a run an operator started to
 * apply deletions the guard had refused.
 */
public record SyncRun(
        String id,
        String tenantId,
        String accountId,
        Trigger trigger,
        State state,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        SyncCounts counts,
        String errorCode,
        String errorMessage,
        boolean confirmDeletions,
        Mode mode) {

    /** A run that walked everything, or one that read the users changed since the last run (and all groups, roles). */
    public enum Mode {
        FULL,
        INCREMENTAL;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public SyncRun(
            String id,
            String tenantId,
            String accountId,
            Trigger trigger,
            State state,
            Instant createdAt,
            Instant startedAt,
            Instant finishedAt,
            SyncCounts counts,
            String errorCode,
            String errorMessage,
            boolean confirmDeletions) {
        this(
                id,
                tenantId,
                accountId,
                trigger,
                state,
                createdAt,
                startedAt,
                finishedAt,
                counts,
                errorCode,
                errorMessage,
                confirmDeletions,
                Mode.FULL);
    }

    public SyncRun {
        requireNonNull(mode, "mode is null");
        requireNonNull(id, "id is null");
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(accountId, "accountId is null");
        requireNonNull(trigger, "trigger is null");
        requireNonNull(state, "state is null");
        requireNonNull(counts, "counts is null");
    }

    public enum Trigger {
        INITIAL,
        MANUAL,
        SCHEDULED;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum State {
        QUEUED,
        RUNNING,
        SUCCEEDED,
        FAILED;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Progress and outcome counters; users, groups and roles together except where named. */
    public record SyncCounts(
            int pages,
            int usersSeen,
            int groupsSeen,
            int rolesSeen,
            int added,
            int updated,
            int deleted,
            int reappeared) {
        public static final SyncCounts ZERO = new SyncCounts(0, 0, 0, 0, 0, 0, 0, 0);
    }
}
