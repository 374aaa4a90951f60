package dev.keyline.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.platform.standalone.BootstrapProgress.State;
import dev.keyline.platform.support.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The first-start work's states, as readiness and shutdown see them, with scripted steps. */
class BootstrapProgressTest {
    private static final String TENANT_KEY = "kl_live_tenantSecret";
    private static final String OPERATOR_KEY = "kl_op_operatorSecret";
    private static final Duration LONG = Duration.ofSeconds(30);

    private final AtomicBoolean shutdownRequested = new AtomicBoolean();
    private final BootstrapProgress progress = new BootstrapProgress(shutdownRequested::get);
    private final StandaloneBootstrapReadinessCheck readiness = new StandaloneBootstrapReadinessCheck(progress);
    private final LogCapture logs = LogCapture.install("dev.keyline.platform.standalone");

    @AfterEach
    void removeLogs() {
        logs.close();
    }

    @Test
    void readinessIsDownUntilTheWorkHasFinishedAndItsKeysWereShown() throws Exception {
        ScriptedSteps steps = new ScriptedSteps();
        steps.holdTenant = new CountDownLatch(1);
        assertDown("pending");

        CompletableFuture<State> run = CompletableFuture.supplyAsync(() -> progress.run(steps));
        assertThat(steps.tenantStarted.await(30, TimeUnit.SECONDS)).isTrue();
        assertDown("running");
        assertThat(steps.printed).isEmpty();

        steps.holdTenant.countDown();
        assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(State.DONE);
        HealthCheckResponse up = readiness.call();
        assertThat(up.getName()).isEqualTo("standalone-bootstrap");
        assertThat(up.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(steps.printed).containsExactly("banner " + TENANT_KEY + " " + OPERATOR_KEY);
    }

    @Test
    void theDemoIsPartOfTheWork() {
        ScriptedSteps steps = new ScriptedSteps();
        steps.demo = true;

        assertThat(progress.run(steps)).isEqualTo(State.DONE);

        assertThat(steps.printed).containsExactly("banner " + TENANT_KEY + " " + OPERATOR_KEY, "demo banner");
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    @Test
    void aFailureKeepsReadinessDownAndIsLoggedWithoutAnyKey() {
        ScriptedSteps steps = new ScriptedSteps();
        steps.demo = true;
        steps.demoFailure = new IllegalStateException("the demo upstream could not start");

        assertThat(progress.run(steps)).isEqualTo(State.FAILED);

        assertDown("failed");
        assertThat(logs.lines())
                .anySatisfy(line -> assertThat(line)
                        .contains("standalone bootstrap failed")
                        .contains("the demo upstream could not start"));
        assertThat(String.join("\n", logs.lines())).doesNotContain(TENANT_KEY, OPERATOR_KEY);
        // The keys created before the failure were shown all the same: this start is their only showing.
        assertThat(steps.printed).containsExactly("banner " + TENANT_KEY + " " + OPERATOR_KEY);
    }

    @Test
    void aTenantCreatedBeforeTheOperatorKeyFailedIsStillShown() {
        ScriptedSteps steps = new ScriptedSteps();
        steps.operatorKeyFailure = new IllegalStateException("operator-key.sha256 appeared while Keyline was starting");

        assertThat(progress.run(steps)).isEqualTo(State.FAILED);

        assertThat(steps.printed).containsExactly("banner " + TENANT_KEY + " -");
        assertDown("failed");
    }

    @Test
    void stoppingBeforeTheWorkBeganCancelsItSoNothingIsCreated() throws Exception {
        ScriptedSteps steps = new ScriptedSteps();

        assertThat(progress.stopAndAwait(LONG)).isEqualTo(State.PENDING);
        assertThat(progress.run(steps)).isEqualTo(State.CANCELLED);

        assertThat(steps.tenantCalls).isZero();
        assertThat(steps.operatorKeyCalls).isZero();
        assertThat(steps.printed).isEmpty();
        assertDown("cancelled");
    }

    @Test
    void aShutdownThatBeganWhileQuarkusWasStartingAlsoCancelsIt() {
        ScriptedSteps steps = new ScriptedSteps();
        shutdownRequested.set(true);

        assertThat(progress.run(steps)).isEqualTo(State.CANCELLED);

        assertThat(steps.tenantCalls).isZero();
        assertThat(steps.printed).isEmpty();
    }

    @Test
    void stoppingWaitsForTheWorkUnderWayWhichStillShowsItsKeysButSkipsTheDemo() throws Exception {
        ScriptedSteps steps = new ScriptedSteps();
        steps.demo = true;
        steps.holdTenant = new CountDownLatch(1);
        CompletableFuture<State> run = CompletableFuture.supplyAsync(() -> progress.run(steps));
        assertThat(steps.tenantStarted.await(30, TimeUnit.SECONDS)).isTrue();

        // A stop while the tenant's transaction is in flight waits for it (here for less than it takes)...
        assertThat(progress.stopAndAwait(Duration.ofMillis(50))).isEqualTo(State.RUNNING);
        CompletableFuture<State> stop = CompletableFuture.supplyAsync(() -> {
            try {
                return progress.stopAndAwait(LONG);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        steps.holdTenant.countDown();

        // ...and returns once the work has ended, with the tenant's key shown and no demo set up.
        assertThat(stop.get(30, TimeUnit.SECONDS)).isEqualTo(State.CANCELLED);
        assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(State.CANCELLED);
        assertThat(steps.printed).containsExactly("banner " + TENANT_KEY + " " + OPERATOR_KEY);
        assertThat(steps.demoCalls).isZero();
    }

    @Test
    void stoppingWaitsNoLongerThanItsBound() throws Exception {
        ScriptedSteps steps = new ScriptedSteps();
        steps.holdTenant = new CountDownLatch(1);
        CompletableFuture<State> run = CompletableFuture.supplyAsync(() -> progress.run(steps));
        assertThat(steps.tenantStarted.await(30, TimeUnit.SECONDS)).isTrue();
        try {
            Duration bound = Duration.ofMillis(300);
            long started = System.nanoTime();

            assertThat(progress.stopAndAwait(bound)).isEqualTo(State.RUNNING);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(bound);
            assertThat(run).isNotDone();
        } finally {
            steps.holdTenant.countDown();
        }
        assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(State.DONE);
    }

    @Test
    void aFailureCausedByTheShutdownIsACancellationNotAnError() throws Exception {
        ScriptedSteps steps = new ScriptedSteps();
        steps.holdTenant = new CountDownLatch(1);
        steps.tenantFailure = new NullPointerException("the transaction manager has stopped");
        CompletableFuture<State> run = CompletableFuture.supplyAsync(() -> progress.run(steps));
        assertThat(steps.tenantStarted.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(progress.stopAndAwait(Duration.ofMillis(50))).isEqualTo(State.RUNNING);

        steps.holdTenant.countDown();

        assertThat(run.get(30, TimeUnit.SECONDS)).isEqualTo(State.CANCELLED);
        assertThat(logs.lines()).noneSatisfy(line -> assertThat(line).contains("standalone bootstrap failed"));
        assertThat(logs.lines()).anySatisfy(line -> assertThat(line).contains("cut short by the shutdown"));
    }

    @Test
    void itRunsOnce() {
        progress.run(new ScriptedSteps());

        ScriptedSteps again = new ScriptedSteps();
        assertThatThrownBy(() -> progress.run(again)).isInstanceOf(IllegalStateException.class);
        assertThat(again.tenantCalls).isZero();
    }

    private void assertDown(String state) {
        HealthCheckResponse response = readiness.call();
        assertThat(response.getName()).isEqualTo("standalone-bootstrap");
        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData())
                .hasValueSatisfying(data -> assertThat(data).containsExactly(Map.entry("state", state)));
    }

    private static final class ScriptedSteps implements BootstrapProgress.Steps {
        final List<String> printed = new CopyOnWriteArrayList<>();
        final CountDownLatch tenantStarted = new CountDownLatch(1);
        CountDownLatch holdTenant;
        RuntimeException tenantFailure;
        RuntimeException operatorKeyFailure;
        RuntimeException demoFailure;
        boolean demo;
        volatile int tenantCalls;
        volatile int operatorKeyCalls;
        volatile int demoCalls;

        @Override
        public Optional<Banner.FirstTenant> createFirstTenantIfNone() {
            tenantCalls++;
            tenantStarted.countDown();
            if (holdTenant != null) {
                try {
                    if (!holdTenant.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("the test never released the tenant step");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            if (tenantFailure != null) {
                throw tenantFailure;
            }
            return Optional.of(new Banner.FirstTenant("t-1", "Standalone", TENANT_KEY));
        }

        @Override
        public Optional<String> takeNewOperatorKey() {
            operatorKeyCalls++;
            if (operatorKeyFailure != null) {
                throw operatorKeyFailure;
            }
            return Optional.of(OPERATOR_KEY);
        }

        @Override
        public String banner(Optional<Banner.FirstTenant> tenant, Optional<String> operatorKey) {
            return "banner " + tenant.map(Banner.FirstTenant::apiKey).orElse("-") + " " + operatorKey.orElse("-");
        }

        @Override
        public boolean demoEnabled() {
            return demo;
        }

        @Override
        public String setUpDemo() {
            demoCalls++;
            if (demoFailure != null) {
                throw demoFailure;
            }
            return "demo banner";
        }

        @Override
        public void print(String text) {
            printed.add(text);
        }
    }
}
