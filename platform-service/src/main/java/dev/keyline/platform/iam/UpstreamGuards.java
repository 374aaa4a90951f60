package dev.keyline.platform.iam;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.account.AccountUnlinked;
import dev.keyline.platform.base.ConnectorFailures;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import dev.keyline.platform.connector.ConnectorsConfig;
import dev.keyline.platform.observe.KeylineMetrics;
import io.smallrye.faulttolerance.api.CustomBackoffStrategy;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * One fault-tolerance guard per linked account: retries on retryable failures that honour the provider's
 * {@code Retry-After}, a circuit breaker and a bulkhead. Keyed by account so a hanging provider exhausts only its own
 * account's share of the service. The time-out of each attempt is the connector's read deadline
 * ({@code keyline.connectors.calls.read-deadline}), which the guarded connector applies itself (one mechanism, and
 * one that abandons a call ignoring interrupts); a time-out is never retried, as a provider that did not answer
 * within the deadline would make the client wait that long again.
 */
@ApplicationScoped
public class UpstreamGuards {
    private final IamConfig.Upstream config;
    private final Duration attemptDeadline;
    private final ConcurrentMap<String, Guard> guards = new ConcurrentHashMap<>();

    private final KeylineMetrics metrics;

    public UpstreamGuards(IamConfig config, ConnectorsConfig connectors, KeylineMetrics metrics) {
        this.config = config.upstream();
        this.attemptDeadline = connectors.calls().readDeadline();
        this.metrics = metrics;
    }

    /**
     * Runs a live call for the account of {@code provider} (which labels its retries); failures come out as problems
     * ready for the client.
     */
    public <T> T call(String accountId, String provider, Supplier<T> call, Class<T> type) {
        Guard guard = guards.computeIfAbsent(accountId, id -> newGuard(id, provider));
        try {
            return guard.get(call, type);
        } catch (ConnectorException e) {
            throw ConnectorFailures.upstreamFailed(e);
        } catch (BulkheadException e) {
            throw KeylineException.of(
                            Kind.UNAVAILABLE,
                            FailureCode.ACCOUNT_BUSY,
                            "Too many concurrent requests for this account",
                            "Too many requests to this account's provider are in progress. Retry shortly.")
                    .retryAfter(Duration.ofSeconds(1));
        } catch (CircuitBreakerOpenException e) {
            throw KeylineException.of(
                            Kind.UNAVAILABLE,
                            FailureCode.PROVIDER_UNAVAILABLE,
                            "The provider is unavailable",
                            "Recent requests to this account's provider failed, so calls are paused for a while.")
                    .retryAfter(config.circuitBreakerDelay());
        }
    }

    /** An unlinked account's guard (its breaker state and bulkhead) is dropped with it. */
    void onUnlinked(@Observes AccountUnlinked event) {
        guards.remove(event.accountId());
    }

    /** Whether a guard is held for the account (its breaker and bulkhead state); tests check an unlink drops it. */
    public boolean holds(String accountId) {
        return guards.containsKey(accountId);
    }

    private Guard newGuard(String accountId, String provider) {
        return Guard.create()
                // The description labels SmallRye's ft_* metrics: one for all accounts, never an account's id.
                .withDescription("upstream read")
                .withRetry()
                .maxRetries(config.maxRetries())
                .maxDuration(attemptDeadline.toMillis() * (config.maxRetries() + 1L) + 1, ChronoUnit.MILLIS)
                .whenException(this::worthRetrying)
                .withCustomBackoff()
                .strategy(() -> new RetryAfterBackoff(provider))
                .done()
                .done()
                .withCircuitBreaker()
                .name("upstream-" + accountId)
                .requestVolumeThreshold(config.circuitBreakerVolume())
                .failureRatio(config.circuitBreakerFailureRatio())
                .delay(config.circuitBreakerDelay().toMillis(), ChronoUnit.MILLIS)
                .when(UpstreamGuards::providerFault)
                .done()
                .withBulkhead()
                .limit(config.bulkheadLimit())
                .done()
                .build();
    }

    private boolean worthRetrying(Throwable t) {
        if (!(t instanceof ConnectorException e) || !e.code().retryable() || e.code() == ErrorCode.TIMEOUT) {
            return false;
        }
        // Waiting out a long Retry-After would hold the client's request; better to answer 503 at once.
        return e.retryAfter().map(d -> d.compareTo(config.maxRetryAfter()) <= 0).orElse(true);
    }

    /** Failures that say the provider is unhealthy; a 404 or a bad token does not. */
    static boolean providerFault(Throwable t) {
        if (t instanceof KeylineException e) {
            // The connector did not answer within its deadline, or broke: both say calls to it are not working.
            return e.is(FailureCode.TIMEOUT) || e.is(FailureCode.CONNECTOR_ERROR);
        }
        return t instanceof ConnectorException e
                && (e.code() == ErrorCode.UPSTREAM_UNAVAILABLE
                        || e.code() == ErrorCode.TIMEOUT
                        || e.code() == ErrorCode.CONNECTION_FAILED);
    }

    /** Exponential delay, unless the provider said how long to wait. */
    private final class RetryAfterBackoff implements CustomBackoffStrategy {
        private final String provider;
        private long next = config.retryDelay().toMillis();

        RetryAfterBackoff(String provider) {
            this.provider = provider;
        }

        @Override
        public long nextDelayInMillis(Throwable failure) {
            if (failure instanceof ConnectorException e) {
                metrics.upstreamRetry(provider, e.code().name().toLowerCase(java.util.Locale.ROOT));
            }
            if (failure instanceof ConnectorException e && e.retryAfter().isPresent()) {
                metrics.rateLimitWait(provider, e.retryAfter().get());
                return e.retryAfter().get().toMillis();
            }
            long delay = next;
            next = Math.min(next * 2, config.maxRetryAfter().toMillis());
            return delay;
        }
    }
}
