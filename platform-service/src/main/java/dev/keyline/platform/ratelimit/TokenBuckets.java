package dev.keyline.platform.ratelimit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * One token bucket per caller key, in memory: each replica limits on its own, so a caller spread over N replicas
 * gets up to N times the configured rate. That bounds abuse without a shared store on every request.
 */
@ApplicationScoped
public class TokenBuckets {
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final double ratePerNano;
    private final double capacity;
    private final int maxTracked;
    private final LongSupplier nanoClock;
    private final boolean enabled;

    @Inject
    public TokenBuckets(LimitsConfig config) {
        this(
                config.enabled(),
                config.requestsPerSecond(),
                config.burst(),
                config.maxTrackedCallers(),
                System::nanoTime);
    }

    TokenBuckets(boolean enabled, double requestsPerSecond, int burst, int maxTracked, LongSupplier nanoClock) {
        this.enabled = enabled;
        if (requestsPerSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("keyline.limits.requests-per-second and burst must be positive");
        }
        this.ratePerNano = requestsPerSecond / 1_000_000_000d;
        this.capacity = burst;
        this.maxTracked = Math.max(1, maxTracked);
        this.nanoClock = nanoClock;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Takes one token for the key. Empty when the request may go ahead, otherwise how long until a token is
     * back (the client's {@code Retry-After}).
     */
    public Optional<Duration> take(String key) {
        return spend(key).retryAfter();
    }

    /** Takes one token for the key and says what is left of the caller's budget, for the answer's headers. */
    public Budget spend(String key) {
        long now = nanoClock.getAsLong();
        if (buckets.size() >= maxTracked && !buckets.containsKey(key)) {
            forgetIdle(now);
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
        synchronized (bucket) {
            bucket.refill(now, ratePerNano, capacity);
            Optional<Duration> wait = Optional.empty();
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
            } else {
                wait = Optional.of(Duration.ofNanos((long) Math.ceil((1 - bucket.tokens) / ratePerNano)));
            }
            long untilFull = (long) Math.ceil((capacity - bucket.tokens) / ratePerNano);
            return new Budget((int) capacity, (int) Math.floor(bucket.tokens), Duration.ofNanos(untilFull), wait);
        }
    }

    /**
     * A caller's budget after a request: the bucket's size, whole requests left, how long until the bucket is full
     * again, and, when this request was refused, how long until the next token.
     */
    public record Budget(int limit, int remaining, Duration untilFull, Optional<Duration> retryAfter) {}

    private void forgetIdle(long now) {
        buckets.entrySet().removeIf(e -> {
            Bucket b = e.getValue();
            synchronized (b) {
                b.refill(now, ratePerNano, capacity);
                return b.tokens >= capacity;
            }
        });
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }

        void refill(long now, double ratePerNano, double capacity) {
            if (now > updated) {
                tokens = Math.min(capacity, tokens + (now - updated) * ratePerNano);
                updated = now;
            }
        }
    }
}
