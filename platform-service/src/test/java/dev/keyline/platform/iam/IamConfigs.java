package dev.keyline.platform.iam;

import java.time.Duration;
import java.util.Optional;

/** An {@link IamConfig} with the defaults and a chosen cursor key, for tests that build the beans by hand. */
public final class IamConfigs {
    private IamConfigs() {}

    public static IamConfig config(Optional<String> cursorKey) {
        return new IamConfig() {
            @Override
            public int defaultPageSize() {
                return 25;
            }

            @Override
            public int maxPageSize() {
                return 1000;
            }

            @Override
            public Optional<String> cursorKey() {
                return cursorKey;
            }

            @Override
            public Duration lastSyncCacheTtl() {
                return Duration.ofSeconds(5);
            }

            @Override
            public Upstream upstream() {
                return new Upstream() {
                    @Override
                    public Duration timeout() {
                        return Duration.ofSeconds(5);
                    }

                    @Override
                    public int maxRetries() {
                        return 2;
                    }

                    @Override
                    public Duration retryDelay() {
                        return Duration.ofMillis(10);
                    }

                    @Override
                    public Duration maxRetryAfter() {
                        return Duration.ofSeconds(2);
                    }

                    @Override
                    public int bulkheadLimit() {
                        return 2;
                    }

                    @Override
                    public int circuitBreakerVolume() {
                        return 4;
                    }

                    @Override
                    public double circuitBreakerFailureRatio() {
                        return 0.5;
                    }

                    @Override
                    public Duration circuitBreakerDelay() {
                        return Duration.ofSeconds(30);
                    }
                };
            }
        };
    }
}
