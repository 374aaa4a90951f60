package dev.keyline.platform.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.Redactor;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.support.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guard around calls into plugin code: deadlines, abandoned calls, the bulkhead, and what a Throwable becomes. */
class PluginCallsTest {
    private static final Redactor NO_SECRETS = Redactor.of(List.of());

    private final PluginCalls calls = new PluginCalls(Duration.ofMillis(300), Duration.ofMillis(200), 2);
    /** Opened after each test, so the calls stuck on purpose end and their threads with them. */
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseStuckCalls() {
        release.countDown();
        calls.stop();
    }

    @Test
    void aCallThatIgnoresInterruptsIsAbandonedAtItsDeadlineAsTimeoutNamingTheConnector() {
        long started = System.nanoTime();
        KeylineException timeout = catchThrowableOfType(
                () -> calls.call("stuck", Duration.ofMillis(300), NO_SECRETS, this::stuckIgnoringInterrupts),
                KeylineException.class);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(timeout.code()).isEqualTo(FailureCode.TIMEOUT.wire());
        assertThat(timeout.kind()).isEqualTo(KeylineException.Kind.TIMEOUT);
        assertThat(timeout.originOrNull().connector()).isEqualTo("stuck");
        assertThat(timeout.detail()).contains("'stuck'").contains("300 ms");
        // The call would have run forever; answered long before that.
        assertThat(tookMillis).isLessThan(20_000);
        // Abandoned, not ended: it still holds one of the connector's threads.
        assertThat(calls.running("stuck")).isEqualTo(1);
    }

    @Test
    void aFullBulkheadAnswersBusyAtOnceWhileOtherConnectorsAnswer() throws Exception {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() ->
                            calls.call("stuck", Duration.ofMillis(100), NO_SECRETS, this::stuckIgnoringInterrupts))
                    .isInstanceOf(KeylineException.class)
                    .matches(e -> ((KeylineException) e).is(FailureCode.TIMEOUT));
        }

        KeylineException busy = catchThrowableOfType(
                () -> calls.call("stuck", Duration.ofSeconds(60), NO_SECRETS, () -> "never run"),
                KeylineException.class);
        assertThat(busy.code()).isEqualTo(FailureCode.CONNECTOR_BUSY.wire());
        assertThat(busy.kind()).isEqualTo(KeylineException.Kind.UNAVAILABLE);
        assertThat(busy.retryAfterDuration()).isPositive();
        assertThat(busy.originOrNull().connector()).isEqualTo("stuck");

        assertThat(calls.call("healthy", Duration.ofSeconds(5), NO_SECRETS, () -> "answered"))
                .isEqualTo("answered");

        // Once the stuck calls really end, their threads serve the connector again.
        release.countDown();
        waitUntilIdle("stuck");
        assertThat(calls.call("stuck", Duration.ofSeconds(5), NO_SECRETS, () -> "answered"))
                .isEqualTo("answered");
    }

    @Test
    void aCallersNextCallFindsThePermitOfItsLastCallFree() {
        PluginCalls single = new PluginCalls(Duration.ofSeconds(5), Duration.ofSeconds(5), 1);
        try {
            for (int i = 0; i < 2_000; i++) {
                int n = i;
                assertThat(single.call("one", Duration.ofSeconds(5), NO_SECRETS, () -> n))
                        .isEqualTo(n);
            }
        } finally {
            single.stop();
        }
    }

    @Test
    void linkageErrorsAndBugsFailTheCallAsConnectorErrorAndTheThreadLivesOn() {
        List<Throwable> faults = List.of(
                new NoSuchMethodError("dev.keyline.connector.spi.Page.of(java.util.List)"),
                new AbstractMethodError("listUsers"),
                new NoClassDefFoundError("com/example/hr/HrClient"),
                new StackOverflowError(),
                new IllegalStateException("a plugin bug"));
        for (Throwable fault : faults) {
            KeylineException failure = catchThrowableOfType(
                    () -> calls.call("broken", Duration.ofSeconds(5), NO_SECRETS, () -> {
                        throw sneaky(fault);
                    }),
                    KeylineException.class);
            assertThat(failure.code()).as(fault.toString()).isEqualTo(FailureCode.CONNECTOR_ERROR.wire());
            assertThat(failure.kind()).isEqualTo(KeylineException.Kind.UPSTREAM);
            assertThat(failure.originOrNull().connector()).isEqualTo("broken");
            assertThat(failure.detail()).contains("'broken'");
        }
        assertThat(calls.call("broken", Duration.ofSeconds(5), NO_SECRETS, () -> "still answering"))
                .isEqualTo("still answering");
    }

    @Test
    void connectorFailuresAndThePlatformsOwnProblemsPassThroughUnchanged() {
        ConnectorException rejected = new ConnectorException(ErrorCode.INVALID_CREDENTIALS, "The token was rejected.");
        assertThatThrownBy(() -> calls.call("scim", Duration.ofSeconds(5), NO_SECRETS, () -> {
                    throw rejected;
                }))
                .isSameAs(rejected);
        KeylineException denied = KeylineException.invalid(FailureCode.INVALID_REQUEST, "refused by the platform");
        assertThatThrownBy(() -> calls.call("scim", Duration.ofSeconds(5), NO_SECRETS, () -> {
                    throw denied;
                }))
                .isSameAs(denied);
    }

    @Test
    void aFailureIsLoggedOnceWithoutTheSecretsTheConnectorWasGivenNorAStackTrace() {
        try (LogCapture log = LogCapture.install(PluginCalls.class.getName())) {
            assertThatThrownBy(() ->
                            calls.call("broken", Duration.ofSeconds(5), Redactor.of(List.of("s3cr3t-token")), () -> {
                                throw new IllegalArgumentException("bad header: Bearer s3cr3t-token");
                            }))
                    .isInstanceOf(KeylineException.class);

            List<LogCapture.Entry> errors = log.entries().stream()
                    .filter(e -> e.level().intValue() >= Level.SEVERE.intValue())
                    .toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).line())
                    .contains("broken")
                    .contains(IllegalArgumentException.class.getName())
                    .contains("bad header")
                    .doesNotContain("s3cr3t-token");
            assertThat(errors.get(0).withStackTrace()).isFalse();
        }
    }

    @Test
    void pluginCodeRunsOnDaemonThreadsNamedForTheConnector() {
        Thread thread = calls.call("hr-api", Duration.ofSeconds(5), NO_SECRETS, Thread::currentThread);
        assertThat(thread.getName()).startsWith("connector-hr-api-");
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread).isNotSameAs(Thread.currentThread());
    }

    @Test
    void aStreamHandsEachPageToTheCallersThreadAndBoundsTheWaitForEachPage() {
        List<String> seen = new ArrayList<>();
        List<Thread> sinkThreads = new ArrayList<>();
        int pages = calls.stream(
                "lister",
                Duration.ofMillis(500),
                NO_SECRETS,
                (Consumer<String> sink) -> {
                    for (int i = 1; i <= 3; i++) {
                        pause(200); // each page well within the deadline, all three together beyond it
                        sink.accept("page " + i);
                    }
                    return 3;
                },
                page -> {
                    seen.add(page);
                    sinkThreads.add(Thread.currentThread());
                });
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("page 1", "page 2", "page 3");
        assertThat(sinkThreads).containsOnly(Thread.currentThread());

        List<String> before = new ArrayList<>();
        KeylineException timeout = catchThrowableOfType(
                () -> calls.stream(
                        "lister",
                        Duration.ofMillis(300),
                        NO_SECRETS,
                        (Consumer<String> sink) -> {
                            sink.accept("page 1");
                            return stuckIgnoringInterrupts();
                        },
                        before::add),
                KeylineException.class);
        assertThat(before).containsExactly("page 1");
        assertThat(timeout.is(FailureCode.TIMEOUT)).isTrue();
        assertThat(timeout.originOrNull().connector()).isEqualTo("lister");
    }

    @Test
    void deadlinesAreSpokenAsTheyWereConfigured() {
        assertThat(PluginCalls.spoken(Duration.ofSeconds(30))).isEqualTo("30 seconds");
        assertThat(PluginCalls.spoken(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(PluginCalls.spoken(Duration.ofMillis(2500)).toLowerCase(Locale.ROOT))
                .isEqualTo("2500 ms");
    }

    /** Blocks until the test ends, swallowing interrupts as a badly written plugin does. */
    private Integer stuckIgnoringInterrupts() {
        while (release.getCount() > 0) {
            try {
                release.await();
            } catch (InterruptedException e) {
                // Ignored on purpose.
            }
        }
        return 0;
    }

    private void waitUntilIdle(String connectorId) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (calls.running(connectorId) > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(calls.running(connectorId)).isZero();
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }
}
