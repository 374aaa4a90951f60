package dev.keyline.platform.reqlog;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.observe.RequestMdc;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Where requests are recorded. {@link #record} only offers the entry to a bounded queue, so the request being served
 * never waits for the database; a scheduled flush writes the queue in batches. When the queue is full the entry is
 * dropped and counted ({@code keyline_request_log_dropped_total}): losing a log line beats slowing a live read.
 */
@ApplicationScoped
public class RequestLog {
    private static final Logger LOG = Logger.getLogger(RequestLog.class);
    static final int BATCH = 500;

    /** The MDC key under which a failed link's or check's upstream entry id travels to the problem document. */
    public static final String MDC_KEY = RequestMdc.REQUEST_LOG_ID;

    private final boolean enabled;
    private final BlockingQueue<RequestLogEntry> queue;
    private final Counter dropped;
    private final Consumer<List<RequestLogEntry>> writer;
    private final Object flushing = new Object();

    @Inject
    RequestLog(RequestLogConfig config, MeterRegistry registry, RequestLogStore store) {
        this(config.enabled(), config.queueCapacity(), registry, store::insert);
    }

    RequestLog(boolean enabled, int capacity, MeterRegistry registry, Consumer<List<RequestLogEntry>> writer) {
        if (capacity < 1) {
            throw new IllegalArgumentException("keyline.request-log.queue-capacity must be positive: " + capacity);
        }
        this.enabled = enabled;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.dropped = Counter.builder("keyline.request.log.dropped")
                .description("Request log entries dropped because the write queue was full or a write failed")
                .register(requireNonNull(registry, "registry is null"));
        this.writer = requireNonNull(writer, "writer is null");
    }

    /** Queues the entry for writing, or drops it when the queue is full; never blocks. */
    public void record(RequestLogEntry entry) {
        if (enabled && !queue.offer(entry)) {
            dropped.increment();
        }
    }

    /** How many entries were dropped since start. */
    public double dropped() {
        return dropped.count();
    }

    @Scheduled(
            identity = "keyline-request-log-flush",
            every = "${keyline.request-log.flush-interval:1s}",
            concurrentExecution = ConcurrentExecution.SKIP)
    void tick() {
        flush();
    }

    void stop(@Observes ShutdownEvent event) {
        flush();
    }

    /** Writes everything queued now, in batches; returns how many entries were written. */
    public int flush() {
        synchronized (flushing) {
            int written = 0;
            List<RequestLogEntry> batch = new ArrayList<>(BATCH);
            while (queue.drainTo(batch, BATCH) > 0) {
                try {
                    writer.accept(batch);
                    written += batch.size();
                } catch (RuntimeException e) {
                    dropped.increment(batch.size());
                    LOG.warnf("Writing %d request log entries failed (%s); they are dropped", batch.size(), e);
                }
                batch.clear();
            }
            return written;
        }
    }
}
