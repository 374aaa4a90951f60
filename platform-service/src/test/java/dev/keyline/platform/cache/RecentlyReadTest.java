package dev.keyline.platform.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentlyReadTest {
    private static final long TTL = TimeUnit.SECONDS.toNanos(5);

    private record Key(String tenantId, String id) {}

    private final AtomicLong now = new AtomicLong(1_000);
    private final AtomicInteger reads = new AtomicInteger();
    private final RecentlyRead<Key, String> cache = new RecentlyRead<>(TTL, 100, now::get);

    private String read(Key key, String value) {
        return cache.get(key, () -> {
            reads.incrementAndGet();
            return value;
        });
    }

    @Test
    void aValueIsReadOnceThenServedUntilItsTimeToLiveCountedFromWhenItsReadBegan() {
        Key a = new Key("t1", "a");
        String first = cache.get(a, () -> {
            reads.incrementAndGet();
            now.addAndGet(TimeUnit.SECONDS.toNanos(1)); // a slow query
            return "v1";
        });
        assertThat(first).isEqualTo("v1");
        assertThat(read(a, "v2")).isEqualTo("v1");
        assertThat(reads).hasValue(1);

        now.addAndGet(TTL - TimeUnit.SECONDS.toNanos(1) - 1);
        assertThat(read(a, "v2")).isEqualTo("v1");
        now.addAndGet(1);
        // Another replica's change is seen from here on.
        assertThat(read(a, "v2")).isEqualTo("v2");
        assertThat(reads).hasValue(2);
    }

    @Test
    void keysScopeValuesSoAnotherTenantsEntryNeverAnswers() {
        assertThat(read(new Key("t1", "a"), "tenant one's")).isEqualTo("tenant one's");
        assertThat(read(new Key("t2", "a"), "tenant two's")).isEqualTo("tenant two's");
        assertThat(cache.recent(new Key("t1", "a"))).contains("tenant one's");
        assertThat(cache.recent(new Key("t3", "a"))).isEmpty();
    }

    @Test
    void forgettingDropsOnlyWhatMatches() {
        read(new Key("t1", "a"), "1a");
        read(new Key("t1", "b"), "1b");
        read(new Key("t2", "a"), "2a");

        cache.forget(new Key("t1", "a"));
        assertThat(cache.recent(new Key("t1", "a"))).isEmpty();
        assertThat(cache.recent(new Key("t1", "b"))).contains("1b");

        cache.forgetAll((key, value) -> key.tenantId().equals("t1"));
        assertThat(cache.recent(new Key("t1", "b"))).isEmpty();
        assertThat(cache.recent(new Key("t2", "a"))).contains("2a");
    }

    @Test
    void aReadThatRacedWithAnInvalidationIsNotKept() {
        Key a = new Key("t1", "a");
        // The query saw the row before the change committed; its answer must not outlive the request.
        String stale = cache.get(a, () -> {
            cache.forget(a);
            return "before the change";
        });
        assertThat(stale).isEqualTo("before the change");
        assertThat(cache.recent(a)).isEmpty();
        assertThat(read(a, "after the change")).isEqualTo("after the change");
        assertThat(cache.recent(a)).contains("after the change");
    }

    @Test
    void failedAndEmptyReadsAreNotKept() {
        Key a = new Key("t1", "a");
        assertThatThrownBy(() -> cache.get(a, () -> {
                    throw new IllegalStateException("404");
                }))
                .hasMessage("404");
        assertThat(read(a, null)).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aZeroTimeToLiveKeepsNothing() {
        RecentlyRead<Key, String> off = new RecentlyRead<>(0, 100, now::get);
        off.get(new Key("t1", "a"), () -> "v");
        assertThat(off.recent(new Key("t1", "a"))).isEmpty();
        assertThat(off.size()).isZero();
    }

    @Test
    void itStaysBounded() {
        for (int i = 0; i < 250; i++) {
            read(new Key("t" + (i % 7), "k" + i), "v" + i);
            assertThat(cache.size()).isLessThanOrEqualTo(100);
        }
        assertThat(cache.recent(new Key("t" + (249 % 7), "k249"))).contains("v249");
    }
}
