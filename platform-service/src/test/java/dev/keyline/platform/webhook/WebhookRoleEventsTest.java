package dev.keyline.platform.webhook;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.User;
import dev.keyline.platform.directory.IamIds;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.ReviewDirectoryConnectorFactory;
import dev.keyline.platform.support.ReviewDirectoryConnectorFactory.Directory;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.webhook.Receiver.Received;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Synced roles are announced like users and groups, to subscriptions that ask for {@code iam.role.*}. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class WebhookRoleEventsTest {

    @Test
    void aSyncedRoleIsDeliveredAsIamRoleCreatedAndNotToUserSubscriptions() throws Exception {
        String name = "webhook-roles-" + UUID.randomUUID();
        Directory directory = ReviewDirectoryConnectorFactory.create(name);
        directory.users.add(User.builder("u1").username("alice").build());
        directory.roles.add(Role.builder("r-admin")
                .name("Admin")
                .privileged(true)
                .members(List.of())
                .build());
        CreatedTenant tenant = newTenant();
        try (Receiver roles = new Receiver();
                Receiver users = new Receiver()) {
            subscribe(tenant, roles, "iam.role.*");
            subscribe(tenant, users, "iam.user.*");
            String accountId = as(tenant.apiKey())
                    .body(Map.of(
                            "origin_owner_id",
                            "org-" + name,
                            "origin_owner_name",
                            "Org",
                            "provider",
                            ReviewDirectoryConnectorFactory.ID,
                            "credentials",
                            ReviewDirectoryConnectorFactory.credentials(name)))
                    .post("/accounts")
                    .then()
                    .statusCode(201)
                    .extract()
                    .path("id");

            sync(tenant, accountId);

            List<Received> delivered = roles.await(1, r -> true);
            JsonPath event = JsonPath.from(delivered.get(0).bodyText());
            assertThat(event.getString("type")).isEqualTo("iam.role.created");
            assertThat(event.getString("data.account_id")).isEqualTo(accountId);
            assertThat(event.getString("data.id")).isEqualTo(IamIds.role("r-admin"));
            assertThat(event.getString("data.remote_id")).isEqualTo("r-admin");
            List<Received> toUsers = users.await(1, r -> true);
            assertThat(toUsers)
                    .extracting(r -> JsonPath.from(r.bodyText()).getString("type"))
                    .containsExactly("iam.user.created");
            Receiver.sleep(300);
            assertThat(roles.received()).hasSize(1);
        }
    }

    private static void subscribe(CreatedTenant tenant, Receiver receiver, String events) {
        as(tenant.apiKey())
                .body(Map.of("url", receiver.url(), "events", List.of(events)))
                .post("/webhooks")
                .then()
                .statusCode(201);
    }

    private static void sync(CreatedTenant tenant, String accountId) {
        String runId = as(tenant.apiKey())
                .post("/accounts/" + accountId + "/syncs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String state = as(tenant.apiKey())
                    .get("/accounts/" + accountId + "/syncs/" + runId)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("state");
            if (Set.of("succeeded", "failed").contains(state)) {
                assertThat(state).isEqualTo("succeeded");
                return;
            }
            Receiver.sleep(50);
        }
        throw new AssertionError("sync " + runId + " did not finish");
    }
}
