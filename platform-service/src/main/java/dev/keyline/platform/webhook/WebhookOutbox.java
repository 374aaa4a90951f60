package dev.keyline.platform.webhook;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.webhook.WebhookStore.NewDelivery;
import dev.keyline.platform.webhook.WebhookSubscriptionStore.Route;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Turns events into outbox rows. The sync announces every directory change synchronously on its worker thread
 * (a first sync may announce 100 000), so routing must be cheap: a tenant's enabled subscriptions are cached
 * for a short time (dropped at once when changed on this replica), an event nobody subscribed to costs a map
 * lookup, and rows are written in batches, by the announcing thread when a batch is full and by a flusher for
 * the rest.
 */
@ApplicationScoped
public class WebhookOutbox {
    private static final Logger LOG = Logger.getLogger(WebhookOutbox.class);
    private static final int BATCH = 500;
    private static final int MAX_CACHED_TENANTS = 10_000;
    /** Rows kept for another try when the database refused a batch; beyond this they are dropped and counted. */
    private static final int MAX_BUFFERED = 50_000;

    private final WebhookStore store;
    private final WebhookSubscriptionStore subscriptions;
    private final WebhookConfig config;
    private final ObjectMapper mapper;
    private final Map<String, CachedRoutes> routes = new ConcurrentHashMap<>();
    private final Object bufferLock = new Object();
    private final Object flushLock = new Object();
    private List<NewDelivery> buffer = new ArrayList<>();
    private volatile Runnable onFlushed = () -> {};
    private volatile boolean stopped;
    private final AtomicBoolean flushArmed = new AtomicBoolean();

    private record CachedRoutes(long loadedAtNanos, List<Route> routes) {}

    public WebhookOutbox(
            WebhookStore store, WebhookSubscriptionStore subscriptions, WebhookConfig config, ObjectMapper mapper) {
        this.store = requireNonNull(store, "store is null");
        this.subscriptions = requireNonNull(subscriptions, "subscriptions is null");
        this.config = requireNonNull(config, "config is null");
        this.mapper = requireNonNull(mapper, "mapper is null");
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        flushQuietly();
    }

    /**
     * Writes what the announcing threads left in the buffer, and retries a batch the database refused. The
     * scheduler looks at its jobs once a second, so the first event after a quiet spell also arms a one-shot
     * flush after {@code keyline.webhooks.flush-interval} (200 ms by default): events still reach the outbox
     * that soon.
     */
    @Scheduled(
            identity = "keyline-webhook-outbox",
            // The scheduler's finest grain; the flush interval itself is kept by the armed flush below.
            every = "1s",
            delayed = "1s",
            concurrentExecution = ConcurrentExecution.SKIP)
    void scheduledFlush() {
        if (!stopped) {
            flushQuietly();
        }
    }

    /** Called after rows were written, so a worker can pick them up without waiting for its next poll. */
    void onFlushed(Runnable listener) {
        this.onFlushed = requireNonNull(listener, "listener is null");
    }

    /** Forgets the tenant's cached subscriptions; called after every change to them on this replica. */
    void invalidate(String tenantId) {
        routes.remove(tenantId);
    }

    /**
     * Queues the event for every enabled subscription of the tenant that asked for its type; returns how many.
     * {@code now} writes the rows before returning (for rare events, so they survive a crash right after).
     */
    int publish(String tenantId, String type, Map<String, Object> data, Instant at, boolean now) {
        List<Route> matching = new ArrayList<>();
        for (Route route : routes(tenantId)) {
            if (EventTypes.matches(route.events(), type)) {
                matching.add(route);
            }
        }
        if (matching.isEmpty()) {
            return 0;
        }
        String eventId = newEventId();
        String payload = payload(eventId, tenantId, type, data, at);
        List<NewDelivery> rows = new ArrayList<>(matching.size());
        for (Route route : matching) {
            rows.add(new NewDelivery(newId(), tenantId, route.subscriptionId(), eventId, type, payload, null));
        }
        boolean full;
        boolean wasEmpty;
        synchronized (bufferLock) {
            wasEmpty = buffer.isEmpty();
            buffer.addAll(rows);
            full = buffer.size() >= BATCH;
        }
        if (now || full) {
            flush();
        } else if (wasEmpty) {
            armFlush();
        }
        return rows.size();
    }

    private void armFlush() {
        if (stopped || !flushArmed.compareAndSet(false, true)) {
            return;
        }
        Uni.createFrom()
                .voidItem()
                .onItem()
                .delayIt()
                .by(config.flushInterval())
                .subscribe()
                .with(
                        ignored -> {
                            flushArmed.set(false);
                            if (!stopped) {
                                flushQuietly();
                            }
                        },
                        failure -> flushArmed.set(false));
    }

    /** Writes one delivery for one subscription at once, outside routing (test events, redeliveries). */
    void insertNow(NewDelivery delivery) {
        store.insertDeliveries(List.of(delivery));
        onFlushed.run();
    }

    String payload(String eventId, String tenantId, String type, Map<String, Object> data, Instant at) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", eventId);
        event.put("type", type);
        event.put("timestamp", at.truncatedTo(ChronoUnit.MILLIS).toString());
        event.put("tenant_id", tenantId);
        event.put("data", data);
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("webhook payload could not be written", e);
        }
    }

    /** Writes what is buffered, in batches; on failure keeps the rows for the next flush (up to a bound). */
    void flush() {
        synchronized (flushLock) {
            List<NewDelivery> taken;
            synchronized (bufferLock) {
                if (buffer.isEmpty()) {
                    return;
                }
                taken = buffer;
                buffer = new ArrayList<>();
            }
            int written = 0;
            try {
                for (int i = 0; i < taken.size(); i += BATCH) {
                    store.insertDeliveries(taken.subList(i, Math.min(taken.size(), i + BATCH)));
                    written = Math.min(taken.size(), i + BATCH);
                }
            } catch (RuntimeException e) {
                List<NewDelivery> rest = taken.subList(written, taken.size());
                synchronized (bufferLock) {
                    int room = Math.max(0, MAX_BUFFERED - buffer.size());
                    List<NewDelivery> kept = new ArrayList<>(rest.subList(0, Math.min(room, rest.size())));
                    kept.addAll(buffer);
                    buffer = kept;
                    if (room < rest.size()) {
                        LOG.errorf(
                                "%d webhook deliveries were dropped: the outbox could not be written (%s)",
                                rest.size() - room, e.getClass().getSimpleName());
                    }
                }
                throw e;
            } finally {
                if (written > 0) {
                    onFlushed.run();
                }
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Writing webhook deliveries failed (%s); trying again shortly",
                    e.getClass().getSimpleName());
        }
    }

    private List<Route> routes(String tenantId) {
        long now = System.nanoTime();
        CachedRoutes cached = routes.get(tenantId);
        if (cached != null
                && now - cached.loadedAtNanos() < config.subscriptionCacheTtl().toNanos()) {
            return cached.routes();
        }
        List<Route> loaded = subscriptions.enabledRoutes(tenantId);
        if (routes.size() >= MAX_CACHED_TENANTS) {
            routes.clear();
        }
        routes.put(tenantId, new CachedRoutes(now, List.copyOf(loaded)));
        return loaded;
    }

    static String newEventId() {
        return "evt_" + UUID.randomUUID().toString().replace("-", "");
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }
}
