package dev.keyline.platform.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The sync's page retry policy: how many attempts, after which failures, and how long between them. Waits are
 * checked from below only (a busy machine may wait longer, never shorter). A Quarkus test because the guard is
 * SmallRye Fault Tolerance's, which runs inside the application.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class PageRetryTest {
    private static final Duration SHORT = Duration.ofMillis(1);

    @Test
    void aRetryableFailureIsTriedAgainAsManyTimesAsConfiguredThenThrown() {
        Attempts attempts = Attempts.always(new ConnectorException(ErrorCode.UPSTREAM_UNAVAILABLE, "down"));

        assertThatThrownBy(() -> new PageRetry(2, SHORT, () -> false).fetch(attempts))
                .isInstanceOf(ConnectorException.class)
                .hasMessage("down");
        assertThat(attempts.count()).isEqualTo(3);
    }

    @Test
    void aPageThatSucceedsOnALaterAttemptIsReturned() {
        ConnectorException down = new ConnectorException(ErrorCode.TIMEOUT, "slow");
        Attempts attempts = Attempts.failing(down, down);

        assertThat(new PageRetry(2, SHORT, () -> false).fetch(attempts)).isEqualTo("page");
        assertThat(attempts.count()).isEqualTo(3);
    }

    @Test
    void failuresThatARetryCannotFixAreThrownAtOnce() {
        Attempts credentials = Attempts.always(new ConnectorException(ErrorCode.INVALID_CREDENTIALS, "bad token"));
        assertThatThrownBy(() -> new PageRetry(2, SHORT, () -> false).fetch(credentials))
                .hasMessage("bad token");
        assertThat(credentials.count()).isEqualTo(1);

        Attempts other = Attempts.always(new IllegalStateException("bug"));
        assertThatThrownBy(() -> new PageRetry(2, SHORT, () -> false).fetch(other))
                .hasMessage("bug");
        assertThat(other.count()).isEqualTo(1);
    }

    @Test
    void aStoppingEngineRetriesNothing() {
        Attempts attempts = Attempts.always(new ConnectorException(ErrorCode.UPSTREAM_UNAVAILABLE, "down"));

        assertThatThrownBy(() -> new PageRetry(2, SHORT, () -> true).fetch(attempts))
                .hasMessage("down");
        assertThat(attempts.count()).isEqualTo(1);
    }

    @Test
    void theProvidersRetryAfterIsWaitedOut() {
        Attempts attempts = Attempts.failing(ConnectorException.rateLimited(Duration.ofMillis(300), "slow down"));

        assertThat(new PageRetry(2, SHORT, () -> false).fetch(attempts)).isEqualTo("page");
        assertThat(attempts.gapsMillis().get(0)).isGreaterThanOrEqualTo(300);
    }

    @Test
    void withoutRetryAfterTheDelayDoublesFromTheConfiguredOne() {
        ConnectorException down = new ConnectorException(ErrorCode.CONNECTION_FAILED, "refused");
        Attempts attempts = Attempts.failing(down, down);

        assertThat(new PageRetry(2, Duration.ofMillis(100), () -> false).fetch(attempts))
                .isEqualTo("page");
        assertThat(attempts.gapsMillis().get(0)).isGreaterThanOrEqualTo(100);
        assertThat(attempts.gapsMillis().get(1)).isGreaterThanOrEqualTo(200);
    }

    @Test
    void aWaitOverThirtySecondsFailsThePageAtOnce() {
        Attempts longRetryAfter = Attempts.always(ConnectorException.rateLimited(Duration.ofSeconds(31), "later"));
        assertThatThrownBy(() -> new PageRetry(2, SHORT, () -> false).fetch(longRetryAfter))
                .hasMessage("later");
        assertThat(longRetryAfter.count()).isEqualTo(1);

        Attempts longDelay = Attempts.always(new ConnectorException(ErrorCode.UPSTREAM_UNAVAILABLE, "down"));
        assertThatThrownBy(() -> new PageRetry(2, Duration.ofSeconds(31), () -> false).fetch(longDelay))
                .isInstanceOf(ConnectorException.class)
                .hasMessage("down");
        assertThat(longDelay.count()).isEqualTo(1);
    }

    @Test
    void anInterruptedWaitEndsTheRunAsInterrupted() throws Exception {
        Attempts attempts = Attempts.always(new ConnectorException(ErrorCode.UPSTREAM_UNAVAILABLE, "down"));
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread fetcher = new Thread(() -> {
            try {
                new PageRetry(2, Duration.ofSeconds(20), () -> false).fetch(attempts);
            } catch (RuntimeException e) {
                failure.set(e);
            }
        });
        fetcher.start();
        while (attempts.count() == 0) {
            Thread.sleep(10);
        }
        fetcher.interrupt();
        fetcher.join(10_000);

        assertThat(failure.get())
                .isInstanceOfSatisfying(
                        SyncFailure.class, e -> assertThat(e.code()).isEqualTo("interrupted"));
    }

    /** A page fetch that fails as told, then returns "page"; notes when each attempt came. */
    private static final class Attempts implements Supplier<String> {
        private final List<RuntimeException> failures;
        private final boolean forever;
        private final List<Long> at = new ArrayList<>();

        private Attempts(List<RuntimeException> failures, boolean forever) {
            this.failures = failures;
            this.forever = forever;
        }

        /** Every attempt fails with {@code failure}. */
        static Attempts always(RuntimeException failure) {
            return new Attempts(List.of(failure), true);
        }

        /** The first attempts fail with these, in turn; the next one succeeds. */
        static Attempts failing(RuntimeException... failures) {
            return new Attempts(List.of(failures), false);
        }

        @Override
        public synchronized String get() {
            at.add(System.nanoTime());
            if (forever) {
                throw failures.get(0);
            }
            if (at.size() <= failures.size()) {
                throw failures.get(at.size() - 1);
            }
            return "page";
        }

        synchronized int count() {
            return at.size();
        }

        synchronized List<Long> gapsMillis() {
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < at.size(); i++) {
                gaps.add(TimeUnit.NANOSECONDS.toMillis(at.get(i) - at.get(i - 1)));
            }
            return gaps;
        }
    }
}
