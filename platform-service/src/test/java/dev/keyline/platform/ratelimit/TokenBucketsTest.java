package dev.keyline.platform.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketsTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aBurstThenOneRequestPerRefillAndTheWaitUntilTheNext() {
        TokenBuckets buckets = new TokenBuckets(true, 2, 3, 100, now::get);
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.take("t")).isEmpty();
        }
        assertThat(buckets.take("t")).contains(Duration.ofMillis(500));
        now.addAndGet(250_000_000L);
        assertThat(buckets.take("t")).contains(Duration.ofMillis(250));
        now.addAndGet(250_000_000L);
        assertThat(buckets.take("t")).isEmpty();
        assertThat(buckets.take("other")).isEmpty();
    }

    @Test
    void idleBucketsNeverHoldMoreThanTheBurst() {
        TokenBuckets buckets = new TokenBuckets(true, 1000, 2, 100, now::get);
        buckets.take("t");
        now.addAndGet(3_600_000_000_000L);
        assertThat(buckets.take("t")).isEmpty();
        assertThat(buckets.take("t")).isEmpty();
        assertThat(buckets.take("t")).isPresent();
    }

    @Test
    void forgetsFullBucketsWhenTooManyCallersAreTracked() {
        TokenBuckets buckets = new TokenBuckets(true, 1, 1, 2, now::get);
        buckets.take("a");
        buckets.take("b");
        now.addAndGet(5_000_000_000L);
        // a and b are full again: tracking c forgets them, so a starts over with a full bucket.
        assertThat(buckets.take("c")).isEmpty();
        assertThat(buckets.take("a")).isEmpty();
    }

    @Test
    void theBudgetSaysWhatIsLeftAndWhenTheBucketIsFullAgain() {
        TokenBuckets buckets = new TokenBuckets(true, 2, 3, 100, now::get);
        TokenBuckets.Budget first = buckets.spend("t");
        assertThat(first.limit()).isEqualTo(3);
        assertThat(first.remaining()).isEqualTo(2);
        assertThat(first.untilFull()).isEqualTo(Duration.ofMillis(500));
        assertThat(first.retryAfter()).isEmpty();
        buckets.spend("t");
        TokenBuckets.Budget last = buckets.spend("t");
        assertThat(last.remaining()).isZero();
        assertThat(last.untilFull()).isEqualTo(Duration.ofMillis(1500));
        TokenBuckets.Budget refused = buckets.spend("t");
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfter()).contains(Duration.ofMillis(500));
        assertThat(refused.untilFull()).isEqualTo(Duration.ofMillis(1500));
        now.addAndGet(750_000_000L);
        // 1.5 tokens back: this request takes one, half a token is left, a whole one is not.
        TokenBuckets.Budget partly = buckets.spend("t");
        assertThat(partly.remaining()).isZero();
        assertThat(partly.untilFull()).isEqualTo(Duration.ofMillis(1250));
    }

    @Test
    void headerSecondsAreRoundedUp() {
        assertThat(RateLimitFilter.seconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(RateLimitFilter.seconds(Duration.ofMillis(1000))).isEqualTo(1);
        assertThat(RateLimitFilter.seconds(Duration.ofMillis(1001))).isEqualTo(2);
        assertThat(RateLimitFilter.seconds(Duration.ZERO)).isZero();
    }
}
