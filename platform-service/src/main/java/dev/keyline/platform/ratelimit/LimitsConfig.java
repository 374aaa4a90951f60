package dev.keyline.platform.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How much of the API one caller may use. Each caller (a tenant, an operator, or an unauthenticated client by
 * address) has a token bucket: {@code burst} requests at once, refilled at {@code requests-per-second}. Request
 * body size is limited separately by {@code quarkus.http.limits.max-body-size}.
 */
@ConfigMapping(prefix = "keyline.limits")
public interface LimitsConfig {

    /** Turns rate limiting off altogether (for instance behind a gateway that already limits). */
    @WithDefault("true")
    boolean enabled();

    /** Sustained rate one caller may send. */
    @WithDefault("50")
    double requestsPerSecond();

    /** Requests one caller may send at once after being idle. */
    @WithDefault("200")
    int burst();

    /** Callers tracked at once; idle, full buckets are forgotten first once there are more. */
    @WithDefault("100000")
    int maxTrackedCallers();
}
