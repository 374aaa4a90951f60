package dev.keyline.platform.webhook;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.webhook.WebhookStore.NewDelivery;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scheduling of deliveries: fair across tenants, bounded per endpoint, and not waiting for a poll to refill free
 * slots. Every dispatcher here is driven by wake-ups alone (the poll interval is an hour), so what is sent when is
 * decided by the dispatcher's own logic, and slow endpoints are gates that hold requests until the test opens them.
 */
@QuarkusTest
@TestProfile(WebhookFairnessTest.WakeDriven.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class WebhookFairnessTest {
    static final int PER_ENDPOINT = 3;
    static final int THREADS = 8;

    public static class WakeDriven implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "keyline.webhooks.poll-interval",
                    "1h",
                    // Held requests must not time out and be retried while a test looks at them.
                    "keyline.webhooks.timeout",
                    "60s",
                    "keyline.webhooks.threads",
                    Integer.toString(THREADS),
                    "keyline.webhooks.per-endpoint",
                    Integer.toString(PER_ENDPOINT));
        }
    }

    @Inject
    WebhookStore store;

    @Inject
    WebhookSecrets secrets;

    @Inject
    WebhookSender sender;

    @Inject
    WebhookOutbox outbox;

    @Inject
    WebhookConfig config;

    @Inject
    WebhookDispatcher appWorker;

    @Inject
    ManagedExecutor executor;

    @Inject
    DataSource dataSource;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        // Gates open first, so dispatchers that stop find no send held; then last in, first out.
        for (AutoCloseable c : closing) {
            if (c instanceof GatedReceiver gated) {
                gated.open();
            }
        }
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        outbox.onFlushed(appWorker::wake);
    }

    @Test
    void aSmallTenantsTestDeliveryIsSentWhileAnotherTenantsBacklogToASlowEndpointWaits() throws Exception {
        GatedReceiver slow = closing(new GatedReceiver());
        Receiver fast = closing(new Receiver());
        CreatedTenant large = newTenant();
        String backlogged = subscribe(large, slow.url());
        queue(large, backlogged, 1_200);
        CreatedTenant small = newTenant();
        String smallSubscription = subscribe(small, fast.url());

        WebhookDispatcher dispatcher = started();
        dispatcher.wake();
        slow.awaitArrivals(1);
        as(small.apiKey())
                .post("/webhooks/" + smallSubscription + "/test")
                .then()
                .statusCode(202);

        assertThat(fast.await(1, r -> true))
                .singleElement()
                .satisfies(r -> assertThat(r.bodyText()).contains("\"type\":\"webhook.test\""));
        // The gate is still shut: not one delivery of the large tenant's backlog has finished.
        assertThat(count(
                        "select count(*) as n from webhook_deliveries where subscription_id = ? and state = 'pending'",
                        backlogged))
                .isEqualTo(1_200);
        assertThat(slow.maxInFlight()).isLessThanOrEqualTo(PER_ENDPOINT);
    }

    @Test
    void twoDispatchersTogetherKeepOneEndpointWithinItsBoundAndSendEachDeliveryOnce() throws Exception {
        int total = 30;
        GatedReceiver slow = closing(new GatedReceiver());
        CreatedTenant tenant = newTenant();
        String subscription = subscribe(tenant, slow.url());
        queue(tenant, subscription, total);

        WebhookDispatcher first = started();
        WebhookDispatcher second = started();
        first.wake();
        slow.awaitArrivals(PER_ENDPOINT);
        // The other replica looks now, while the endpoint's quota is taken by sends that cannot finish.
        second.tick();
        assertThat(count(
                        "select count(*) as n from webhook_deliveries where subscription_id = ? and claim is not null",
                        subscription))
                .isEqualTo(PER_ENDPOINT);

        slow.open();
        awaitSucceeded(subscription, total);
        assertThat(slow.maxInFlight()).isEqualTo(PER_ENDPOINT);
        assertThat(slow.eventIds()).hasSize(total).doesNotHaveDuplicates();
        assertThat(count(
                        "select count(*) as n from webhook_deliveries where subscription_id = ? and attempts <> 1",
                        subscription))
                .isZero();
    }

    @Test
    void aBacklogLargerThanThePoolDrainsWithoutWaitingForAPoll() throws Exception {
        int total = 5 * THREADS;
        Receiver receiver = closing(new Receiver());
        CreatedTenant tenant = newTenant();
        // Several endpoints, so the per-endpoint bound is not what holds the backlog back.
        List<String> subscriptions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String subscription = subscribe(tenant, receiver.url());
            subscriptions.add(subscription);
            queue(tenant, subscription, total / 4);
        }

        started().wake();

        assertThat(receiver.await(total, r -> true)).hasSize(total);
        for (String subscription : subscriptions) {
            awaitSucceeded(subscription, total / 4);
        }
    }

    /** A dispatcher as on another replica, stopped after the test. */
    private WebhookDispatcher started() {
        WebhookDispatcher dispatcher = new WebhookDispatcher(store, secrets, sender, outbox, config, executor);
        dispatcher.start(null);
        closing(() -> dispatcher.stop(null));
        return dispatcher;
    }

    /** Inserts {@code count} due deliveries without waking anyone. */
    private void queue(CreatedTenant tenant, String subscription, int count) {
        List<NewDelivery> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String eventId = WebhookOutbox.newEventId();
            rows.add(new NewDelivery(
                    WebhookOutbox.newId(),
                    tenant.id(),
                    subscription,
                    eventId,
                    EventTypes.TEST,
                    outbox.payload(eventId, tenant.id(), EventTypes.TEST, Map.of("n", i), Instant.now()),
                    null));
        }
        for (int i = 0; i < rows.size(); i += 500) {
            store.insertDeliveries(rows.subList(i, Math.min(rows.size(), i + 500)));
        }
    }

    private void awaitSucceeded(String subscription, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (count(
                        "select count(*) as n from webhook_deliveries where subscription_id = ? and state = 'succeeded'",
                        subscription)
                < expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not every delivery of " + subscription + " succeeded");
            }
            Receiver.sleep(20);
        }
    }

    private int count(String sql, String subscription) {
        return Integer.parseInt(Sql.rows(dataSource, sql, subscription).get(0).get("n"));
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closing.add(closeable);
        return closeable;
    }

    /** A subscription to the URL, deleted with its deliveries after the test so none is left for the next one. */
    private String subscribe(CreatedTenant tenant, String url) {
        String id = as(tenant.apiKey())
                .body(Map.of("url", url, "events", List.of("sync.completed")))
                .post("/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        closing(() -> as(tenant.apiKey()).delete("/webhooks/" + id));
        return id;
    }
}
