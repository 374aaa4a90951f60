package dev.keyline.platform.reqlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestLogQueueTest {

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() {
        List<RequestLogEntry> written = new ArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RequestLog log = new RequestLog(true, 2, registry, written::addAll);

        // Nothing drains the queue meanwhile: a blocking offer would hang this test.
        for (int i = 0; i < 5; i++) {
            log.record(entry());
        }

        assertThat(log.dropped()).isEqualTo(3);
        assertThat(registry.get("keyline.request.log.dropped").counter().count())
                .isEqualTo(3);
        assertThat(log.flush()).isEqualTo(2);
        assertThat(written).hasSize(2);
        log.record(entry());
        assertThat(log.dropped()).as("room again after the flush").isEqualTo(3);
    }

    @Test
    void aFailedWriteDropsTheBatchAndCountsIt() {
        RequestLog log = new RequestLog(true, 10, new SimpleMeterRegistry(), batch -> {
            throw new IllegalStateException("database down");
        });
        log.record(entry());
        log.record(entry());

        assertThat(log.flush()).isZero();
        assertThat(log.dropped()).isEqualTo(2);
    }

    @Test
    void offRecordsNothing() {
        List<RequestLogEntry> written = new ArrayList<>();
        RequestLog log = new RequestLog(false, 2, new SimpleMeterRegistry(), written::addAll);
        log.record(entry());
        assertThat(log.flush()).isZero();
        assertThat(log.dropped()).isZero();
    }

    static RequestLogEntry entry() {
        return new RequestLogEntry(
                RequestLogEntry.newId(),
                "t1",
                "a1",
                RequestLogEntry.Kind.UPSTREAM,
                Instant.now(),
                "GET",
                "/",
                "/",
                200,
                1,
                0L,
                1,
                null,
                null,
                "p",
                "o");
    }
}
