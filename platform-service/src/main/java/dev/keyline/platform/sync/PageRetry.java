package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.platform.base.FailureCode;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The sync's retry policy for one page, on the SmallRye Fault Tolerance guard live reads use too
 * ({@code iam.UpstreamGuards}): a retryable connector failure is tried again up to {@code keyline.sync.page-retries}
 * times, after the provider's {@code Retry-After} or else an exponential delay from {@code page-retry-delay}. A wait
 * over {@link #MAX_WAIT} fails the page at once rather than hold the run, and a stopping engine retries nothing.
 */
final class PageRetry {
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final Guard guard;

    PageRetry(int retries, Duration firstDelay, BooleanSupplier stopping) {
        requireNonNull(firstDelay, "firstDelay is null");
        requireNonNull(stopping, "stopping is null");
        this.guard = Guard.create()
                .withDescription("sync page")
                .withRetry()
                .maxRetries(retries)
                // The number of attempts and MAX_WAIT bound a page; no total on top, as before the guard.
                .maxDuration(1, ChronoUnit.DAYS)
                .whenException(failure -> worthRetrying(failure) && !stopping.getAsBoolean())
                .withCustomBackoff()
                .strategy(() -> new Backoff(firstDelay))
                .done()
                .done()
                .build();
    }

    /** The page, fetched and retried under the policy; an interrupted wait ends the run as {@code interrupted}. */
    <T> T fetch(Supplier<T> page) {
        try {
            @SuppressWarnings("unchecked")
            T result = (T) guard.call(page::get, Object.class);
            return result;
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailure(FailureCode.INTERRUPTED, "The sync was interrupted; nothing was marked deleted.");
        } catch (Exception e) {
            // A page fetch throws no checked exception; the guard adds none but InterruptedException.
            throw new IllegalStateException(e);
        }
    }

    private static boolean worthRetrying(Throwable failure) {
        return failure instanceof ConnectorException e
                && e.code().retryable()
                && e.retryAfter().map(wait -> wait.compareTo(MAX_WAIT) <= 0).orElse(true);
    }

    /** The provider's delay when it gave one, else the exponential one; the exponential one doubles either way. */
    private static final class Backoff implements CustomBackoffStrategy {
        private Duration delay;

        Backoff(Duration firstDelay) {
            this.delay = firstDelay;
        }

        @Override
        public long nextDelayInMillis(Throwable failure) {
            Duration wait = ((ConnectorException) failure).retryAfter().orElse(delay);
            if (wait.compareTo(MAX_WAIT) > 0) {
                // Only an exponential delay grown past the bound gets here (a long Retry-After is not retried);
                // the guard ends the retries with what a strategy throws.
                throw (ConnectorException) failure;
            }
            delay = delay.multipliedBy(2);
            return wait.toMillis();
        }
    }
}
