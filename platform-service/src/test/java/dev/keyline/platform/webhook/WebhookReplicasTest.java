package dev.keyline.platform.webhook;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.webhook.Receiver.Received;
import dev.keyline.platform.webhook.WebhookStore.NewDelivery;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.junit.jupiter.api.Test;

/** Several delivery workers (as on several replicas) share one outbox without sending an attempt twice. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class WebhookReplicasTest {

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

    @Test
    void threeWorkersRacingForTheSameOutboxSendEachDeliveryOnce() throws Exception {
        int count = 100;
        try (Receiver receiver = new Receiver()) {
            CreatedTenant tenant = newTenant();
            String id = subscribeToAll(tenant, receiver);
            // Queued while the subscription is disabled, so every worker starts on the whole backlog at once.
            as(tenant.apiKey())
                    .body(Map.of("enabled", false))
                    .patch("/webhooks/" + id)
                    .then()
                    .statusCode(200);
            List<NewDelivery> backlog = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String eventId = WebhookOutbox.newEventId();
                backlog.add(new NewDelivery(
                        WebhookOutbox.newId(),
                        tenant.id(),
                        id,
                        eventId,
                        EventTypes.TEST,
                        outbox.payload(eventId, tenant.id(), EventTypes.TEST, Map.of("n", i), Instant.now()),
                        null));
            }
            store.insertDeliveries(backlog);

            List<WebhookDispatcher> replicas = List.of(
                    new WebhookDispatcher(store, secrets, sender, outbox, config, executor),
                    new WebhookDispatcher(store, secrets, sender, outbox, config, executor));
            replicas.forEach(r -> r.start(null));
            try {
                as(tenant.apiKey())
                        .body(Map.of("enabled", true))
                        .patch("/webhooks/" + id)
                        .then()
                        .statusCode(200);
                List<Received> received = receiver.await(count, r -> true);
                awaitAllSucceeded(id, count);
                Receiver.sleep(200);

                assertThat(receiver.received()).hasSize(count);
                Set<String> ids =
                        received.stream().map(r -> r.header("webhook-id")).collect(Collectors.toSet());
                assertThat(ids).hasSize(count);
                assertThat(Sql.rows(
                                dataSource,
                                "select attempts from webhook_deliveries where subscription_id = ? and attempts <> 1",
                                id))
                        .isEmpty();
            } finally {
                replicas.forEach(r -> r.stop(null));
                outbox.onFlushed(appWorker::wake);
            }
        }
    }

    @Test
    void aDeliveryForASubscriptionDeletedMeanwhileIsSkippedWithoutLosingTheRestOfItsBatch() throws Exception {
        try (Receiver receiver = new Receiver()) {
            CreatedTenant tenant = newTenant();
            String id = subscribeToAll(tenant, receiver);
            String live = WebhookOutbox.newEventId();
            String stale = WebhookOutbox.newEventId();
            store.insertDeliveries(List.of(
                    new NewDelivery(
                            WebhookOutbox.newId(), tenant.id(), "deleted-" + id, stale, EventTypes.TEST, "{}", null),
                    new NewDelivery(WebhookOutbox.newId(), tenant.id(), id, live, EventTypes.TEST, "{}", null)));

            assertThat(receiver.await(1, r -> true).get(0).header("webhook-id")).isEqualTo(live);
            assertThat(Sql.rows(dataSource, "select 1 from webhook_deliveries where event_id = ?", stale))
                    .isEmpty();
        }
    }

    private void awaitAllSucceeded(String subscriptionId, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String done = Sql.rows(
                            dataSource,
                            "select count(*) as n from webhook_deliveries where subscription_id = ? and state = 'succeeded'",
                            subscriptionId)
                    .get(0)
                    .get("n");
            if (Integer.parseInt(done) == count) {
                return;
            }
            Receiver.sleep(50);
        }
        throw new AssertionError("not every delivery succeeded");
    }

    /** A subscription of the receiver to every event; its id. */
    private static String subscribeToAll(CreatedTenant tenant, Receiver receiver) {
        return as(tenant.apiKey())
                .body(Map.of("url", receiver.url(), "events", List.of("*")))
                .post("/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
    }
}
