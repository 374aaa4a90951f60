package dev.keyline.connector.tck;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A stand-in for the provider a connector talks to, as the conformance kit drives it: it serves the directory
 * the test expects, answers the kit's {@link Credentials} the way the real API does, records what it received
 * and can be told to misbehave once. A connector's conformance test starts one per test in
 * {@code ConnectorConformanceTest.startUpstream(ExpectedDirectory)}; the kit closes it.
 *
 * <p>Implementations must be thread-safe: a connector may send requests from several threads.
 */
public interface UpstreamDouble extends AutoCloseable {

    /** Every request received since the start or the last {@link #clearRequests()}, oldest first. */
    List<KitRequest> requests();

    /** Forgets the recorded requests. */
    void clearRequests();

    /**
     * Every secret a connector could leak: the tokens, keys and passwords of the {@link Credentials#VALID},
     * {@link Credentials#WRONG} and {@link Credentials#FORBIDDEN} credentials, and any credential the double
     * handed out or received (an exchanged access token, say). The kit asserts that none of them reaches a log
     * line or an error message.
     */
    Set<String> secrets();

    /**
     * Throttles the next request the way this API does it: 429 with {@code Retry-After}, or with the API's
     * reset header, so that a well-behaved connector reports {@code retryAfter} (whole seconds).
     */
    void rateLimitNext(Duration retryAfter);

    /** Answers the next request with a 500 and the API's usual error body. */
    void serverErrorNext();

    /** Stops serving; idempotent. */
    @Override
    void close();
}
