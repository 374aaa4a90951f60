package dev.keyline.platform.standalone;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Standalone mode's first-start work and where it stands: the bootstrap tenant, the operator key, the banner that
 * shows their keys, and the demo when it was asked for. Readiness reports it ({@link
 * StandaloneBootstrapReadinessCheck}), so a script that waits for ready finds the tenant; shutdown waits for it
 * ({@link #stopAndAwait}), so the transaction manager does not stop underneath a transaction in flight.
 *
 * <p>Stopping before the work began cancels it: nothing is written, and the next start does it (the work is keyed
 * on the database: no tenant, a new one). Stopping while it runs lets it finish what it began, so a tenant whose
 * key was just created is shown too; the demo, which every start sets up again anyway, is then skipped.
 */
final class BootstrapProgress {
    enum State {
        PENDING,
        RUNNING,
        DONE,
        FAILED,
        CANCELLED
    }

    /** The work, as {@link StandaloneStartup} wires it. */
    interface Steps {
        /** The bootstrap tenant and its API key, created in one transaction, when there is no tenant yet. */
        Optional<Banner.FirstTenant> createFirstTenantIfNone();

        /** The operator key created by this start; its hash is stored as it is taken. */
        Optional<String> takeNewOperatorKey();

        String banner(Optional<Banner.FirstTenant> tenant, Optional<String> operatorKey);

        boolean demoEnabled();

        /** Sets up the demo and returns its console text. */
        String setUpDemo();

        /** Writes to the operator's console: keys must reach the terminal but no log file or collector. */
        void print(String text);
    }

    private static final Logger LOG = Logger.getLogger(BootstrapProgress.class);

    private final BooleanSupplier shutdownRequested;
    private State state = State.PENDING;
    private boolean stopping;

    /**
     * @param shutdownRequested whether the process is already shutting down (a signal that arrived while Quarkus
     *     was starting does not stop the application, so no shutdown observer ever runs)
     */
    BootstrapProgress(BooleanSupplier shutdownRequested) {
        this.shutdownRequested = requireNonNull(shutdownRequested, "shutdownRequested is null");
    }

    synchronized State state() {
        return state;
    }

    /** Runs the work once, unless Keyline is already stopping; the state it ends in. */
    State run(Steps steps) {
        requireNonNull(steps, "steps is null");
        if (!begin()) {
            LOG.info("Keyline is stopping before the standalone bootstrap ran; the next start runs it.");
            return State.CANCELLED;
        }
        State end = State.FAILED;
        try {
            end = runSteps(steps);
        } catch (RuntimeException e) {
            if (stopping()) {
                // Shutdown outlasted its wait and stopped the transaction manager under the work (in practice a
                // transaction cut off before it committed, so the next start finds no tenant and creates one).
                LOG.warnf("The standalone bootstrap was cut short by the shutdown (%s); the next start runs it.", e);
                end = State.CANCELLED;
            } else {
                LOG.error(
                        "The standalone bootstrap failed, so Keyline stays not ready (/q/health/ready reports"
                                + " standalone-bootstrap DOWN). Fix the cause and restart Keyline: the next start runs it"
                                + " again.",
                        e);
            }
        } finally {
            finish(end);
        }
        return end;
    }

    private State runSteps(Steps steps) {
        Optional<Banner.FirstTenant> tenant = steps.createFirstTenantIfNone();
        Optional<String> operatorKey;
        try {
            operatorKey = steps.takeNewOperatorKey();
        } catch (RuntimeException e) {
            // The tenant's key exists now and this start is its only chance to be shown.
            if (tenant.isPresent()) {
                steps.print(steps.banner(tenant, Optional.empty()));
            }
            throw e;
        }
        steps.print(steps.banner(tenant, operatorKey));
        if (steps.demoEnabled()) {
            if (stopping()) {
                LOG.info("Keyline is stopping; the demo is not set up.");
                return State.CANCELLED;
            }
            steps.print(steps.setUpDemo());
        }
        return State.DONE;
    }

    /**
     * Marks Keyline as stopping, so work not yet begun is skipped, and waits at most {@code bound} for work under
     * way to end.
     *
     * @return the state after the wait: {@link State#RUNNING} when the bound ran out first
     */
    synchronized State stopAndAwait(Duration bound) throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + bound.toNanos();
        while (state == State.RUNNING) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return state;
    }

    private synchronized boolean begin() {
        if (state != State.PENDING) {
            throw new IllegalStateException("The standalone bootstrap runs once; it is " + state);
        }
        if (stopping()) {
            state = State.CANCELLED;
            notifyAll();
            return false;
        }
        state = State.RUNNING;
        return true;
    }

    private synchronized boolean stopping() {
        return stopping || shutdownRequested.getAsBoolean();
    }

    private synchronized void finish(State end) {
        state = end;
        notifyAll();
    }
}
