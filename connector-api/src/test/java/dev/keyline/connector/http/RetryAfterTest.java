package dev.keyline.connector.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);

    private static HttpResponse with(String retryAfter) {
        Map<String, List<String>> headers = retryAfter == null ? Map.of() : Map.of("retry-after", List.of(retryAfter));
        return new HttpResponse(429, URI.create("https://api.example.com/"), headers, new byte[0]);
    }

    @Test
    void secondsAndHttpDatesAreRead() {
        assertThat(with(" 7 ").retryAfter(NOW)).contains(Duration.ofSeconds(7));
        assertThat(with("Mon, 07 Dec 2026 10:00:30 GMT").retryAfter(NOW)).contains(Duration.ofSeconds(30));
    }

    @Test
    void aPastDateOrNegativeSecondsMeanNowAndNonsenseMeansNothing() {
        assertThat(with("Mon, 07 Dec 2026 09:59:00 GMT").retryAfter(NOW)).contains(Duration.ZERO);
        assertThat(with("-3").retryAfter(NOW)).contains(Duration.ZERO);
        assertThat(with("soon").retryAfter(NOW)).isEmpty();
        assertThat(with(null).retryAfter(NOW)).isEmpty();
    }
}
