package dev.keyline.platform.connector;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.Redactor;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import io.opentelemetry.context.Context;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Runs calls into connector code so that no plugin can take the service down: each connector has threads of its own
 * (a bulkhead per connector id, so only that connector's calls can exhaust them), every call waits at most a deadline
 * and is then interrupted and abandoned, a full bulkhead answers {@code connector_busy} at once instead of queueing
 * behind stuck calls, and any {@link Throwable} that is not a {@link ConnectorException} (a bug, a
 * {@link LinkageError} from a plugin built for another SPI or missing a class) fails that one call as
 * {@code connector_error}. Every failure made here names the connector.
 *
 * <p>Plugin threads are daemon threads named {@code connector-<id>-N}, so a call that ignores interrupts never holds
 * up the shutdown.
 */
@ApplicationScoped
public class PluginCalls {
    private static final Logger LOG = Logger.getLogger(PluginCalls.class);
    private static final Duration BUSY_RETRY_AFTER = Duration.ofSeconds(1);

    private final Duration deadline;
    private final Duration readDeadline;
    private final int bulkhead;
    private final ConcurrentMap<String, Lane> lanes = new ConcurrentHashMap<>();

    @Inject
    public PluginCalls(ConnectorsConfig config) {
        this(
                config.calls().deadline(),
                config.calls().readDeadline(),
                config.calls().bulkhead());
    }

    public PluginCalls(Duration deadline, Duration readDeadline, int bulkhead) {
        this.deadline = positive(deadline, "deadline");
        this.readDeadline = positive(readDeadline, "readDeadline");
        if (bulkhead < 1) {
            throw new IllegalArgumentException("bulkhead must be at least 1");
        }
        this.bulkhead = bulkhead;
    }

    /** The deadline of validations, health probes and the factory's calls. */
    public Duration deadline() {
        return deadline;
    }

    /** The deadline of one read: a live read, a sync page. */
    public Duration readDeadline() {
        return readDeadline;
    }

    /**
     * Runs {@code call} on the connector's threads and waits at most {@code within}.
     *
     * @param redactor removes the secrets the connector was given from what is logged of a failure
     * @throws ConnectorException as the connector threw it
     * @throws KeylineException {@code timeout}, {@code connector_busy} or {@code connector_error}, naming the
     *     connector; or as platform code the connector called threw it
     */
    public <T> T call(String connectorId, Duration within, Redactor redactor, Callable<T> call) {
        FutureTask<T> task = start(connectorId, call, () -> {});
        try {
            return task.get(within.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw timedOut(connectorId, within);
        } catch (ExecutionException e) {
            throw failed(connectorId, e.getCause(), redactor);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            throw interrupted(connectorId);
        }
    }

    /**
     * Runs a connector's page-by-page listing ({@code listing} hands each page to the consumer it is given) on the
     * connector's threads, while the pages reach {@code sink} on the calling thread: the deadline {@code perPage}
     * bounds the wait for each page, not the whole listing, and a sink that throws stops the listing.
     *
     * @return what {@code listing} returned (the number of pages)
     */
    public <P> int stream(
            String connectorId,
            Duration perPage,
            Redactor redactor,
            Function<Consumer<P>, Integer> listing,
            Consumer<P> sink) {
        // One page waits here while the sink has the one before: the listing runs at most a page ahead.
        BlockingQueue<Object> handed = new ArrayBlockingQueue<>(1);
        Object end = new Object();
        FutureTask<Integer> task =
                start(connectorId, () -> listing.apply(page -> handOver(handed, page)), () -> handOver(handed, end));
        boolean finished = false;
        try {
            while (true) {
                Object next = handed.poll(perPage.toNanos(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw timedOut(connectorId, perPage);
                }
                if (next == end) {
                    finished = true;
                    return task.get();
                }
                @SuppressWarnings("unchecked")
                P page = (P) next;
                sink.accept(page);
            }
        } catch (ExecutionException e) {
            throw failed(connectorId, e.getCause(), redactor);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(connectorId);
        } finally {
            if (!finished) {
                task.cancel(true);
            }
        }
    }

    /**
     * Starts {@code work} on the connector's threads without waiting for it (closing a connector). Dropped, with a
     * debug line, when every thread of the connector is busy.
     */
    public void detach(String connectorId, Redactor redactor, Runnable work) {
        Callable<Void> close = () -> {
            try {
                work.run();
            } catch (Throwable t) { // NOPMD - whatever a plugin throws ends here, never on a thread's default handler
                logFailure(connectorId, t, redactor);
            }
            return null;
        };
        try {
            start(connectorId, close, () -> {});
        } catch (KeylineException e) {
            LOG.debugf("Connector '%s': no thread free to close a connector; it is left to the collector", connectorId);
        }
    }

    /** Calls of the connector running now, abandoned ones included. */
    public int running(String connectorId) {
        Lane lane = lanes.get(connectorId);
        return lane == null ? 0 : bulkhead - lane.permits.availablePermits();
    }

    @PreDestroy
    void stop() {
        // Daemon threads: a call stuck in a plugin does not hold up the shutdown, and is not waited for.
        lanes.values().forEach(lane -> lane.executor.shutdownNow());
    }

    /**
     * Starts {@code call} on the connector's threads, then {@code after} there once it ended (however it ended).
     *
     * @throws KeylineException {@code connector_busy} when every permit of the connector is taken
     */
    private <T> FutureTask<T> start(String connectorId, Callable<T> call, Runnable after) {
        Lane lane = lanes.computeIfAbsent(requireNonNull(connectorId, "connectorId is null"), Lane::new);
        if (!lane.permits.tryAcquire()) {
            throw busy(connectorId);
        }
        // The permit is held until the plugin's code really returns, so abandoned calls keep counting. It is given
        // back before the caller sees the result (a caller's next call must find it free), or, for a call cancelled
        // before it began, when its thread lets go of it.
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable release = () -> {
            if (held.compareAndSet(true, false)) {
                lane.permits.release();
            }
        };
        // The caller's trace and log fields follow the call onto the plugin's thread.
        Callable<T> traced = Context.current().wrap(call);
        Map<String, Object> fields = MDC.getMap();
        FutureTask<T> task = new FutureTask<>(() -> {
            fields.forEach(MDC::put);
            try {
                return traced.call();
            } finally {
                MDC.clear();
                release.run();
                after.run();
            }
        });
        try {
            lane.executor.execute(() -> {
                try {
                    task.run();
                } finally {
                    release.run();
                }
            });
        } catch (RejectedExecutionException e) {
            release.run();
            throw busy(connectorId);
        }
        return task;
    }

    private static void handOver(BlockingQueue<Object> handed, Object item) {
        try {
            handed.put(item);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // Abandoned by the caller: ends the plugin's listing at its next page.
            throw new IllegalStateException("listing abandoned");
        }
    }

    private static RuntimeException failed(String connectorId, Throwable failure, Redactor redactor) {
        if (failure instanceof ConnectorException e) {
            return e;
        }
        if (failure instanceof KeylineException e) {
            // Platform code the connector called (its transport, say) already said what went wrong.
            return e;
        }
        logFailure(connectorId, failure, redactor);
        return KeylineException.of(
                        Kind.UPSTREAM,
                        FailureCode.CONNECTOR_ERROR,
                        "Connector failed",
                        "The connector '" + connectorId + "' failed unexpectedly: its plugin may be broken or built"
                                + " for another version of Keyline. The service log says more.")
                .connector(connectorId);
    }

    private static void logFailure(String connectorId, Throwable failure, Redactor redactor) {
        String message = failure.getMessage() == null ? "" : ": " + redactor.redact(failure.getMessage());
        LOG.errorf(
                "Connector '%s' failed: %s%s", connectorId, failure.getClass().getName(), message);
        // The stack helps whoever fixes the plugin, not the operator: an expected plugin fault, not ours.
        LOG.debugf(failure, "Connector '%s' failure", connectorId);
    }

    private static KeylineException timedOut(String connectorId, Duration within) {
        return KeylineException.of(
                        Kind.TIMEOUT,
                        FailureCode.TIMEOUT,
                        "The connector did not answer in time",
                        "The connector '" + connectorId + "' did not answer within " + spoken(within)
                                + "; the call was abandoned.")
                .connector(connectorId);
    }

    private KeylineException busy(String connectorId) {
        return KeylineException.of(
                        Kind.UNAVAILABLE,
                        FailureCode.CONNECTOR_BUSY,
                        "Connector busy",
                        "All " + bulkhead + " calls the connector '" + connectorId
                                + "' may run at once are in progress. Retry shortly.")
                .retryAfter(BUSY_RETRY_AFTER)
                .connector(connectorId);
    }

    private static KeylineException interrupted(String connectorId) {
        return KeylineException.of(
                        Kind.UNAVAILABLE,
                        FailureCode.INTERRUPTED,
                        "Interrupted",
                        "The call to the connector '" + connectorId + "' was interrupted.")
                .connector(connectorId);
    }

    /** "30 seconds", or "250 ms" for a deadline that is not whole seconds. */
    static String spoken(Duration d) {
        long millis = d.toMillis();
        if (millis % 1000 != 0) {
            return millis + " ms";
        }
        long seconds = millis / 1000;
        return seconds + (seconds == 1 ? " second" : " seconds");
    }

    private static Duration positive(Duration d, String name) {
        requireNonNull(d, name + " is null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    /** One connector's threads and the permits that bound them. */
    private final class Lane {
        final Semaphore permits = new Semaphore(bulkhead);
        final ExecutorService executor;

        Lane(String connectorId) {
            AtomicInteger count = new AtomicInteger();
            // Unbounded, as the permits bound it; idle threads end after a minute.
            this.executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "connector-" + connectorId + "-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }
}
