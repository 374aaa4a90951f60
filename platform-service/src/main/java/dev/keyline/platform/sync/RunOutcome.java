package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.account.AccountStatusTransitions;
import dev.keyline.platform.base.ConnectorFailures;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.observe.KeylineMetrics;
import dev.keyline.platform.observe.OperatorLog;
import dev.keyline.platform.sync.SyncRun.State;
import dev.keyline.platform.sync.SyncRun.SyncCounts;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Records how a run ended: on the run (its state, counts and error code), and on the account when the failure says
 * the account itself no longer works. Only the run is recorded when the account cannot be updated.
 */
final class RunOutcome {
    private static final Logger LOG = Logger.getLogger(SyncEngine.class);
    /** Connector failures that say the account itself no longer works, whatever the provider's health. */
    private static final Set<ErrorCode> ACCOUNT_ERRORS = Set.of(ErrorCode.INVALID_CREDENTIALS, ErrorCode.API_DISABLED);

    private final SyncRunStore runs;
    private final AccountStatusTransitions accountStatus;
    private final SyncPurger purger;

    private final Supplier<KeylineMetrics> metrics;

    RunOutcome(
            SyncRunStore runs,
            AccountStatusTransitions accountStatus,
            SyncPurger purger,
            Supplier<KeylineMetrics> metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.accountStatus = requireNonNull(accountStatus, "accountStatus is null");
        this.purger = requireNonNull(purger, "purger is null");
    }

    /** Runs the sync and records how it ended; returns whether it succeeded. */
    boolean record(SyncRun run, SyncPass pass, Runnable sync) {
        long started = System.nanoTime();
        String failure = FailureCode.INTERNAL_ERROR.wire();
        try {
            failure = attempt(run, pass, sync);
        } finally {
            // Also when recording the run itself threw: counted and logged as an internal error then.
            observe(run, pass, failure, System.nanoTime() - started);
        }
        return failure == null;
    }

    /** Counts the run and, unless it succeeded (logged with its counts), logs how it ended. */
    private void observe(SyncRun run, SyncPass pass, String failure, long nanos) {
        String provider = pass.provider();
        String mode = pass.isIncremental() ? SyncRun.Mode.INCREMENTAL.wire() : SyncRun.Mode.FULL.wire();
        boolean guard = FailureCode.DELETION_GUARD.wire().equals(failure);
        SyncCounts counts = pass.counts();
        if (failure == null) {
            OperatorLog.syncSucceeded(
                    run.tenantId(), run.accountId(), provider, run.id(), mode, nanos / 1_000_000, counts);
        } else if (guard) {
            OperatorLog.syncStoppedByGuard(run.tenantId(), run.accountId(), provider, run.id());
        } else {
            OperatorLog.syncFailed(run.tenantId(), run.accountId(), provider, run.id(), mode, failure);
        }
        KeylineMetrics meters = metrics.get();
        if (meters != null) {
            String outcome = failure == null ? "succeeded" : guard ? "guard_stopped" : "failed";
            meters.syncRun(
                    provider,
                    mode,
                    outcome,
                    nanos,
                    (long) counts.usersSeen() + counts.groupsSeen() + counts.rolesSeen());
        }
    }

    /** Runs the sync and records how it ended; returns the failure's code, or null when it succeeded. */
    private String attempt(SyncRun run, SyncPass pass, Runnable sync) {
        try {
            sync.run();
            runs.finish(run.id(), State.SUCCEEDED, pass.counts(), null, null);
            settleAccount(run, () -> accountStatus.markSyncSucceeded(run.tenantId(), run.accountId()));
            return null;
        } catch (SyncFailure e) {
            runs.finish(run.id(), State.FAILED, pass.counts(), e.code(), e.getMessage());
            if (FailureCode.DELETION_GUARD.wire().equals(e.code())) {
                settleAccount(
                        run,
                        () -> accountStatus.markSyncFailed(
                                run.tenantId(), run.accountId(), e.code(), e.getMessage(), null));
            }
            return e.code();
        } catch (ConnectorException e) {
            return connectorFailed(run, pass, e);
        } catch (RuntimeException e) {
            Optional<String> problem = problemCode(e);
            if (problem.isPresent()) {
                runs.finish(run.id(), State.FAILED, pass.counts(), problem.get(), e.getMessage());
                return problem.get();
            }
            failedUnexpectedly(run, pass, e);
            return FailureCode.INTERNAL_ERROR.wire();
        } catch (Error e) { // NOPMD - connector calls come back as problems; no other Error may leave a run unended
            failedUnexpectedly(run, pass, e);
            return FailureCode.INTERNAL_ERROR.wire();
        }
    }

    private void failedUnexpectedly(SyncRun run, SyncPass pass, Throwable e) {
        LOG.errorf("Account %s: sync %s failed unexpectedly (%s)", run.accountId(), run.id(), e.toString());
        runs.finish(
                run.id(),
                State.FAILED,
                pass.counts(),
                FailureCode.INTERNAL_ERROR.wire(),
                "The sync failed unexpectedly; see the service log.");
    }

    private String connectorFailed(SyncRun run, SyncPass pass, ConnectorException e) {
        // A connector's message is meant for end users and never holds a secret (the SPI's contract).
        String code = ConnectorFailures.code(e);
        runs.finish(run.id(), State.FAILED, pass.counts(), code, e.getMessage());
        if (ACCOUNT_ERRORS.contains(e.code())) {
            // The provider no longer accepts the account: it goes to `error` now, not at the next daily check.
            settleAccount(
                    run,
                    () -> accountStatus.markSyncFailed(
                            run.tenantId(),
                            run.accountId(),
                            code,
                            e.getMessage(),
                            e.field().orElse(null)));
        }
        return code;
    }

    /**
     * An unlink purges the account's data while a page may be in flight; the run's last write is behind it once
     * its writes have settled, so purging again then leaves nothing behind.
     */
    void purgeIfUnlinked(SyncRun run) {
        try {
            if (!runs.accountLinked(run.accountId())) {
                purger.purge(run.tenantId(), run.accountId());
            }
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Account %s: could not purge after an unlink (%s)",
                    run.accountId(), e.getClass().getSimpleName());
        }
    }

    /** Records the run's outcome on the account; the run is already recorded, so a failure here is only logged. */
    private void settleAccount(SyncRun run, Runnable update) {
        try {
            update.run();
        } catch (RuntimeException e) {
            Optional<String> problem = problemCode(e);
            if (problem.isPresent()) {
                // Unlinked meanwhile: nothing to record.
                LOG.debugf("Account %s: status not updated after sync (%s)", run.accountId(), problem.get());
            } else {
                LOG.warnf(
                        "Account %s: could not record the sync's outcome on the account (%s)",
                        run.accountId(), e.getClass().getSimpleName());
            }
        }
    }

    /**
     * The code of a failure the account services report as an HTTP problem (an account unlinked or gone, a
     * connector that cannot be made). The one place the sync knows that type: when those services throw domain
     * exceptions instead, only this method changes.
     */
    private static Optional<String> problemCode(RuntimeException e) {
        return e instanceof KeylineException problem ? Optional.of(problem.code()) : Optional.empty();
    }
}
