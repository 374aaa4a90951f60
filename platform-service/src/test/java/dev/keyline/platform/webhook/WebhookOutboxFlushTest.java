package dev.keyline.platform.webhook;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Events the sync queues reach the outbox by themselves, without waiting for the periodic flush: the scheduler
 * looks at its jobs only once a second, and the flush interval is shorter.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class WebhookOutboxFlushTest {

    @Inject
    WebhookStore store;

    @Inject
    WebhookSubscriptionStore subscriptions;

    @Inject
    WebhookConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    DataSource dataSource;

    @Test
    void aQueuedEventIsWrittenWithoutThePeriodicFlush() throws Exception {
        try (Receiver receiver = new Receiver()) {
            CreatedTenant tenant = newTenant();
            String subscription = as(tenant.apiKey())
                    .body(Map.of("url", receiver.url(), "events", List.of("*")))
                    .post("/webhooks")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");
            // Built by hand, so the scheduler never calls its periodic flush: only the armed one can write.
            WebhookOutbox outbox = new WebhookOutbox(store, subscriptions, config, mapper);

            int queued = outbox.publish(tenant.id(), "iam.user.created", Map.of("id", "u1"), Instant.now(), false);

            assertThat(queued).isEqualTo(1);
            assertThat(awaitRows(subscription, "iam.user.created")).isEqualTo(1);
        }
    }

    private int awaitRows(String subscription, String type) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int rows = 0;
        while (System.nanoTime() < deadline && rows == 0) {
            rows = Sql.rows(
                            dataSource,
                            "select id from webhook_deliveries where subscription_id = ? and event_type = ?",
                            subscription,
                            type)
                    .size();
            if (rows == 0) {
                Thread.sleep(50);
            }
        }
        return rows;
    }
}
