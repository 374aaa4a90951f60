package dev.keyline.platform.faults;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Time-outs short enough that a stalled provider costs seconds, not minutes, and sync pages small enough that a
 * directory of {@link #SYNC_USERS} spans three. The circuit breaker is set out of reach: every case links its own
 * account, and the bulkhead figure must measure the bulkhead, not a breaker that fails the hanging neighbour fast.
 */
public class FaultsProfile implements QuarkusTestProfile {
    static final int SYNC_USERS = 120;
    static final int SYNC_PAGE = 50;
    static final int BULKHEAD_LIMIT = 8;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "keyline.egress.request-timeout", "2s",
                "keyline.iam.upstream.timeout", "5s",
                "keyline.iam.upstream.retry-delay", "20ms",
                "keyline.iam.upstream.bulkhead-limit", String.valueOf(BULKHEAD_LIMIT),
                "keyline.iam.upstream.circuit-breaker-volume", "100000",
                "keyline.sync.page-size", String.valueOf(SYNC_PAGE),
                "keyline.sync.page-retry-delay", "20ms");
    }
}
