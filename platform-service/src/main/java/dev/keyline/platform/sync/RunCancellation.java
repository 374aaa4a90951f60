package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.base.FailureCode;
import java.util.function.BooleanSupplier;

/**
 * Stops a run between pages once it may no longer write: its account was unlinked, this replica lost the account's
 * lease, or the service is stopping. Each case fails the run before anything is marked deleted.
 */
final class RunCancellation {
    private final SyncRunStore runs;
    private final String replicaId;
    private final SyncRun run;
    private final LeaseHeartbeat.Held lease;
    private final BooleanSupplier stopping;

    RunCancellation(
            SyncRunStore runs, String replicaId, SyncRun run, LeaseHeartbeat.Held lease, BooleanSupplier stopping) {
        this.runs = requireNonNull(runs, "runs is null");
        this.replicaId = requireNonNull(replicaId, "replicaId is null");
        this.run = requireNonNull(run, "run is null");
        this.lease = requireNonNull(lease, "lease is null");
        this.stopping = requireNonNull(stopping, "stopping is null");
    }

    /** Throws the {@link SyncFailure} that ends the run, if one applies now. */
    void check() {
        if (!runs.stillHolds(run.accountId(), replicaId, run.id())) {
            lease.markLost();
            if (!runs.accountLinked(run.accountId())) {
                throw new SyncFailure(
                        FailureCode.ACCOUNT_UNLINKED,
                        "The account was unlinked during this sync; the sync stopped and its data was dropped.");
            }
        }
        if (lease.lost()) {
            throw new SyncFailure(
                    FailureCode.LEASE_LOST, "This replica lost the account's sync lease; nothing was marked deleted.");
        }
        if (stopping.getAsBoolean()) {
            throw new SyncFailure(
                    FailureCode.INTERRUPTED, "The service stopped during this sync; nothing was marked deleted.");
        }
    }
}
