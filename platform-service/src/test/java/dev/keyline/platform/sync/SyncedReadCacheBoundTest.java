package dev.keyline.platform.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.directory.IamDtos.PageDto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The page cache's memory stays within its bound however many accounts, versions and unlinks pass through it. */
class SyncedReadCacheBoundTest {
    private static final int MAX_RECORDS = 50;

    @Test
    void pagesDroppedForANewVersionOrAForgottenAccountLeaveNothingBehind() {
        SyncedReadCache cache = new SyncedReadCache(config(MAX_RECORDS, Duration.ofMinutes(10)), new ObjectMapper());
        List<PageDto<String>> handedOut = new ArrayList<>();
        for (int round = 0; round < 6; round++) {
            SyncReadState.State state = quiet("run-" + round);
            for (int account = 0; account < 40; account++) {
                for (int query = 0; query < 3; query++) {
                    String record = "r" + round + "-" + account + "-" + query;
                    handedOut.add(
                            cache.page("tenant", "acc-" + account, state, "q" + query, false, () -> page(record)));
                    assertWithinBound(cache, handedOut);
                }
            }
            for (int account = 0; account < 40; account += 2) {
                cache.forget("tenant", "acc-" + account);
                assertWithinBound(cache, handedOut);
            }
        }
        for (int account = 0; account < 40; account++) {
            cache.forget("tenant", "acc-" + account);
        }
        assertThat(handedOut).allSatisfy(p -> assertThat(cache.json(p)).isNull());
        assertThat(cache.stats().get("pages")).isZero();
        assertThat(cache.stats().get("records")).isZero();
        assertThat(cache.stats().get("encoded")).isZero();
        assertThat(cache.stats().get("accounts")).isZero();
    }

    @Test
    void pagesUnreadForLongerThanTheIdleLimitAreDropped() {
        AtomicLong now = new AtomicLong();
        SyncedReadCache cache =
                new SyncedReadCache(config(MAX_RECORDS, Duration.ofMinutes(10)), new ObjectMapper(), now::get);
        SyncReadState.State state = quiet("run-1");
        PageDto<String> read = cache.page("tenant", "read", state, "q", false, () -> page("kept"));
        PageDto<String> unread = cache.page("tenant", "unread", state, "q", false, () -> page("idle"));

        now.addAndGet(Duration.ofMinutes(6).toNanos());
        assertThat(cache.page("tenant", "read", state, "q", false, () -> page("reloaded")))
                .isSameAs(read);
        now.addAndGet(Duration.ofMinutes(6).toNanos());
        cache.sweep();

        assertThat(cache.json(unread)).isNull();
        assertThat(cache.<String>cached("tenant", "unread", state, "q")).isNull();
        assertThat(cache.json(read)).isNotNull();
        assertThat(cache.stats().get("accounts")).isEqualTo(1);

        // A page past the limit is not handed out even before a sweep.
        now.addAndGet(Duration.ofMinutes(11).toNanos());
        assertThat(cache.<String>cached("tenant", "read", state, "q")).isNull();
        assertThat(cache.json(read)).isNull();
        assertThat(cache.stats().get("pages")).isZero();
    }

    static ReadCacheConfig config(long maxRecords, Duration maxIdle) {
        return new ReadCacheConfig() {
            @Override
            public long maxRecords() {
                return maxRecords;
            }

            @Override
            public Duration maxIdle() {
                return maxIdle;
            }
        };
    }

    /** Only pages the cache still holds keep their JSON, and those stay within the bound. */
    private static void assertWithinBound(SyncedReadCache cache, List<PageDto<String>> handedOut) {
        long pages = cache.stats().get("pages");
        long withJson = handedOut.stream().filter(p -> cache.json(p) != null).count();
        assertThat(withJson).isLessThanOrEqualTo(pages);
        assertThat(cache.stats().get("records")).isLessThanOrEqualTo(MAX_RECORDS);
        assertThat(pages * 2).isLessThanOrEqualTo(MAX_RECORDS);
    }

    private static SyncReadState.State quiet(String version) {
        return new SyncReadState.State(Optional.empty(), false, version);
    }

    private static PageDto<String> page(String record) {
        return new PageDto<>(List.of(record, record + "'"), null);
    }
}
