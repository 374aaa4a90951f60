package dev.keyline.platform.webhook;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.observe.KeylineMetrics;
import dev.keyline.platform.observe.OperatorLog;
import dev.keyline.platform.webhook.WebhookSender.Outcome;
import dev.keyline.platform.webhook.WebhookStore.Claimed;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.jboss.logging.Logger;

/**
 * The delivery worker. It claims due deliveries in PostgreSQL (several replicas may run one: claims use
 * {@code FOR UPDATE SKIP LOCKED} and a lease), sends each on the framework's worker pool, and records the outcome.
 * Claims take turns across tenants and endpoints and keep each endpoint within {@code per-endpoint} sends in
 * flight (see {@link WebhookStore#claim}), so a large backlog to a slow endpoint neither holds every slot nor delays
 * another tenant's deliveries. A finished send wakes the worker to claim again at once: the poll only finds
 * deliveries that became due by the clock (retries), or that another replica queued.
 *
 * <p>Delivery is at least once: a replica that dies mid-send leaves its claim to expire and the delivery is sent
 * again. Failures (no answer, a time-out, a non-2xx answer, a redirect) are retried on the configured schedule with
 * jitter; after the last retry the delivery is {@code failed}. A 410 Gone fails it at once and disables the
 * subscription.
 */
@ApplicationScoped
public class WebhookDispatcher {
    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final String USER_AGENT = "Keyline-Webhooks/1";
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final WebhookStore store;
    private final WebhookSecrets secrets;
    private final WebhookSender sender;
    private final WebhookOutbox outbox;
    private final WebhookConfig config;
    private final Executor sends;
    private final Semaphore slots;
    /** A tick is queued on the worker pool and has not started yet: further wake-ups until it starts add nothing. */
    private final AtomicBoolean tickQueued = new AtomicBoolean();

    /** Set by CDI; null in a dispatcher a test makes by hand, which then counts nothing. */
    @Inject
    KeylineMetrics metrics;

    private volatile boolean running;
    private volatile long lastPurgeNanos = System.nanoTime();

    public WebhookDispatcher(
            WebhookStore store,
            WebhookSecrets secrets,
            WebhookSender sender,
            WebhookOutbox outbox,
            WebhookConfig config,
            ManagedExecutor sends) {
        this.store = requireNonNull(store, "store is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.sender = requireNonNull(sender, "sender is null");
        this.outbox = requireNonNull(outbox, "outbox is null");
        this.config = requireNonNull(config, "config is null");
        this.sends = requireNonNull(sends, "sends is null");
        this.slots = new Semaphore(Math.max(1, config.threads()));
    }

    void start(@Observes StartupEvent event) {
        if (!config.workerEnabled()) {
            return;
        }
        running = true;
        outbox.onFlushed(this::wake);
    }

    /** Stops claiming, and gives sends in flight a few seconds to finish and record their outcome. */
    void stop(@Observes ShutdownEvent event) {
        if (!running) {
            return;
        }
        running = false;
        int all = Math.max(1, config.threads());
        try {
            // Every slot free means no send in flight; one still running after this is sent again after its lease.
            if (slots.tryAcquire(all, 5, TimeUnit.SECONDS)) {
                slots.release(all);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The poll: finds deliveries that became due by the clock (retries) or that another replica queued. */
    @Scheduled(
            identity = "keyline-webhook-poll",
            every = "${keyline.webhooks.poll-interval}",
            delayed = "${keyline.webhooks.poll-interval}",
            concurrentExecution = ConcurrentExecution.SKIP)
    void poll() {
        if (running) {
            tick();
        }
    }

    /**
     * After a send, on its own thread: claims again unless a tick is already queued or running here. Inline rather
     * than handed to the pool as {@link #wake} does: one hand-off less per delivery (figures on
     * {@code NativeSql#claiming}).
     */
    private void claimAgain() {
        if (running && tickQueued.compareAndSet(false, true)) {
            tick();
        }
    }

    /** Looks for due deliveries now rather than at the next poll. */
    void wake() {
        if (!running || !tickQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            sends.execute(() -> {
                if (running) {
                    tick();
                } else {
                    tickQueued.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            // Shutting down.
            tickQueued.set(false);
        }
    }

    /**
     * Fills the free slots with claimed deliveries, in turns (see {@link WebhookStore#claim}). One tick at a time, so
     * claims of this replica never race each other; sends run on the worker pool.
     */
    synchronized void tick() {
        // Cleared before claiming: a send that ends while this tick claims queues another tick, so no wake is lost.
        tickQueued.set(false);
        try {
            while (true) {
                int free = slots.availablePermits();
                if (free == 0) {
                    return;
                }
                String claim = UUID.randomUUID().toString();
                List<Claimed> claimed = store.claim(claim, lease(), free, Math.max(1, config.perEndpoint()));
                for (Claimed delivery : claimed) {
                    slots.acquireUninterruptibly();
                    submit(delivery, claim);
                }
                if (claimed.size() < free) {
                    break;
                }
            }
            purgeNowAndThen();
        } catch (RuntimeException e) {
            LOG.warnf("The webhook worker's tick failed (%s); it tries again at the next one", e.toString());
        }
    }

    private void submit(Claimed delivery, String claim) {
        try {
            sends.execute(() -> {
                try {
                    attempt(delivery, claim);
                } finally {
                    slots.release();
                    claimAgain();
                }
            });
        } catch (RejectedExecutionException e) {
            // The claim expires and the delivery is attempted again, here or on another replica.
            slots.release();
            LOG.warnf("Webhook delivery %s could not be started: the worker pool refused it", delivery.id());
        }
    }

    private void attempt(Claimed delivery, String claim) {
        long started = System.nanoTime();
        String counted = "error";
        try {
            Outcome outcome = send(delivery);
            counted = outcome.succeeded() ? "succeeded" : outcome.gone() ? "gone" : "failed";
            int attempt = delivery.attempts() + 1;
            if (outcome.succeeded()) {
                store.recordAttempt(delivery.id(), claim, true, outcome.status(), null, null);
                return;
            }
            if (outcome.gone() && config.disableOnGone()) {
                store.recordAttempt(delivery.id(), claim, false, outcome.status(), outcome.error(), null);
                store.disable(delivery.tenantId(), delivery.subscriptionId(), "endpoint_gone");
                outbox.invalidate(delivery.tenantId());
                OperatorLog.webhookSubscriptionBroken(
                        delivery.tenantId(),
                        delivery.subscriptionId(),
                        "endpoint_gone",
                        "its endpoint answered 410 Gone; it is disabled");
                return;
            }
            List<Duration> schedule = config.retrySchedule();
            Duration retryIn = attempt <= schedule.size() ? jittered(schedule.get(attempt - 1)) : null;
            store.recordAttempt(delivery.id(), claim, false, outcome.status(), outcome.error(), retryIn);
            LOG.debugf("Webhook delivery %s attempt %d failed: %s", delivery.id(), attempt, outcome.error());
        } catch (RuntimeException e) {
            // The claim expires and the delivery is attempted again.
            LOG.warnf(
                    "Webhook delivery %s could not be attempted (%s)",
                    delivery.id(), e.getClass().getSimpleName());
        } finally {
            KeylineMetrics meters = metrics;
            if (meters != null) {
                meters.webhookDelivery(counted, System.nanoTime() - started);
            }
        }
    }

    private Outcome send(Claimed delivery) {
        Optional<byte[]> key = secrets.key(delivery.tenantId(), delivery.subscriptionId(), delivery.secretVersion());
        if (key.isEmpty()) {
            secrets.secretMissing(delivery.tenantId(), delivery.subscriptionId());
            return new Outcome(false, null, "the subscription's signing secret is not available");
        }
        byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
        long timestamp = Instant.now().getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("content-type", "application/json");
        headers.put("user-agent", USER_AGENT);
        // The event id: the same for every attempt and redelivery, so receivers can drop duplicates.
        headers.put("webhook-id", delivery.eventId());
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", WebhookSignature.sign(key.get(), delivery.eventId(), timestamp, body));
        return sender.post(delivery.url(), headers, body);
    }

    private Duration jittered(Duration wait) {
        double jitter = Math.max(0, Math.min(1, config.jitter()));
        double factor = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(wait.toMillis() * factor)));
    }

    /** Long enough that a send in flight finishes before another replica may claim the delivery again. */
    private Duration lease() {
        return config.timeout().multipliedBy(2).plusSeconds(30);
    }

    private void purgeNowAndThen() {
        if (System.nanoTime() - lastPurgeNanos < PURGE_EVERY.toNanos()) {
            return;
        }
        lastPurgeNanos = System.nanoTime();
        int purged = store.purgeFinished(config.retention());
        if (purged > 0) {
            LOG.infof("%d finished webhook deliveries older than %s removed", purged, config.retention());
        }
    }
}
