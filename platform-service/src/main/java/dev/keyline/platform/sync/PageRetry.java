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

    /** Told of every retry before its wait: the provider, the failure retried and how long it waits. */
    interface Retried {
        Retried NOTHING = (provider, failure, wait) -> {};

        void retrying(String provider, ConnectorException failure, Duration wait);
    }

    private final Guard guard;
    private final Retried retried;
    /** The provider of the page being fetched on this thread, for {@link Retried}: the guard is shared by all runs. */
    private final ThreadLocal<String> provider = new ThreadLocal<>();

    PageRetry(int retries, Duration firstDelay, BooleanSupplier stopping) {
        this(retries, firstDelay, stopping, Retried.NOTHING);
    }

    PageRetry(int retries, Duration firstDelay, BooleanSupplier stopping, Retried retried) {
        this.retried = requireNonNull(retried, "retried is null");
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
        return fetch("none", page);
    }

    /** As {@link #fetch(Supplier)}, its retries counted for {@code provider}. */
    <T> T fetch(String provider, Supplier<T> page) {
        this.provider.set(provider);
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
        } finally {
            this.provider.remove();
        }
    }

    private static boolean worthRetrying(Throwable failure) {
        return failure instanceof ConnectorException e
                && e.code().retryable()
                && e.retryAfter().map(wait -> wait.compareTo(MAX_WAIT) <= 0).orElse(true);
    }

    /** The provider's delay when it gave one, else the exponential one; the exponential one doubles either way. */
    private final class Backoff implements CustomBackoffStrategy {
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
            String who = provider.get();
            retried.retrying(who == null ? "none" : who, (ConnectorException) failure, wait);
            delay = delay.multipliedBy(2);
            return wait.toMillis();
        }
    }
}
