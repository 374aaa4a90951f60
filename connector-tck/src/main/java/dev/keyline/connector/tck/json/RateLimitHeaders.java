package dev.keyline.connector.tck.json;

/** How a 429 from a {@link JsonApiDouble} says when to come back. */
public enum RateLimitHeaders {
    /** {@code Retry-After: <seconds>} (RFC 9110, section 10.2.3). */
    RETRY_AFTER_SECONDS,
    /** {@code Retry-After: <HTTP-date>} (RFC 9110), for example {@code Wed, 21 Oct 2026 07:28:00 GMT}. */
    RETRY_AFTER_HTTP_DATE,
    /**
     * No {@code Retry-After}; {@code X-RateLimit-Limit}, {@code X-RateLimit-Remaining: 0} and
     * {@code X-RateLimit-Reset} in UTC epoch seconds, as GitHub documents it
     * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api).
     */
    X_RATELIMIT_RESET,
    /**
     * No {@code Retry-After}; {@code RateLimit-Limit}, {@code RateLimit-Remaining: 0} and {@code RateLimit-Reset}
     * as seconds from now (the delta form of the IETF httpapi rate-limit header draft).
     */
    RATELIMIT_RESET
}
