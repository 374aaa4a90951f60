package dev.keyline.platform.webhook;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import dev.keyline.platform.account.AccountStatusChanged;
import dev.keyline.platform.credential.CredentialStore.Namespace;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.InMemoryCredentialStore;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.Sql;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.webhook.Receiver.Received;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.ScimUser;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Subscriptions, signed delivery with retries, the delivery log and the events, against a receiver on loopback. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class WebhookTest {

    @Inject
    DataSource dataSource;

    @Inject
    Event<AccountStatusChanged> statusChanged;

    @Inject
    InMemoryCredentialStore credentials;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void aReceiverThatFailsTwiceGetsExactlyThreeSignedAttemptsAndTheLogShowsThem() {
        Receiver receiver = receiver().thenAnswer(500, 500);
        CreatedTenant tenant = newTenant();
        JsonPath created = subscribe(tenant, receiver, List.of("*"));
        String id = created.getString("id");
        String secret = created.getString("secret");

        String deliveryId = as(tenant.apiKey())
                .post("/webhooks/" + id + "/test")
                .then()
                .statusCode(202)
                .body("event_type", equalTo("webhook.test"))
                .body("state", equalTo("pending"))
                .extract()
                .path("id");

        JsonPath delivery = awaitDelivery(tenant, id, deliveryId, "succeeded");
        List<Received> attempts = receiver.received();
        assertThat(attempts).hasSize(3);
        assertThat(delivery.getInt("attempts")).isEqualTo(3);
        assertThat(delivery.getInt("last_status")).isEqualTo(200);
        assertThat(delivery.getString("last_error")).isNull();
        assertThat(delivery.getString("next_attempt_at")).isNull();
        assertThat(delivery.getString("last_attempt_at")).isNotNull();
        for (Received attempt : attempts) {
            assertThat(StandardWebhooksVerifier.verify(secret, attempt.headers(), attempt.body()))
                    .as("signature of every attempt")
                    .isTrue();
            assertThat(attempt.path()).isEqualTo("/hooks/keyline?token=t0p");
            assertThat(attempt.header("content-type")).isEqualTo("application/json");
        }
        assertThat(attempts.stream().map(a -> a.header("webhook-id")).distinct())
                .as("one message id across retries")
                .singleElement()
                .satisfies(eventId -> assertThat(eventId).startsWith("evt_"));
        JsonPath body = JsonPath.from(attempts.get(0).bodyText());
        assertThat(body.getString("id")).isEqualTo(attempts.get(0).header("webhook-id"));
        assertThat(body.getString("type")).isEqualTo("webhook.test");
        assertThat(body.getString("tenant_id")).isEqualTo(tenant.id());
        assertThat(body.getString("data.subscription_id")).isEqualTo(id);
        assertThat(Instant.parse(body.getString("timestamp")))
                .isBefore(Instant.now().plusSeconds(1));

        // The log, newest first, shows the one delivery.
        as(tenant.apiKey())
                .get("/webhooks/" + id + "/deliveries")
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(1))
                .body("data[0].id", equalTo(deliveryId))
                .body("data[0].attempts", equalTo(3))
                .body("data[0].state", equalTo("succeeded"))
                .body("next", equalTo(null));

        // Manual redelivery: a new delivery of the same event (same webhook-id), sent and logged.
        String again = as(tenant.apiKey())
                .post("/webhooks/" + id + "/deliveries/" + deliveryId + "/redeliver")
                .then()
                .statusCode(202)
                .body("redelivery_of", equalTo(deliveryId))
                .body("event_id", equalTo(attempts.get(0).header("webhook-id")))
                .extract()
                .path("id");
        JsonPath redelivered = awaitDelivery(tenant, id, again, "succeeded");
        assertThat(redelivered.getInt("attempts")).isEqualTo(1);
        List<Received> all = receiver.received();
        assertThat(all).hasSize(4);
        assertThat(all.get(3).header("webhook-id")).isEqualTo(attempts.get(0).header("webhook-id"));
        assertThat(all.get(3).bodyText()).isEqualTo(attempts.get(0).bodyText());
        assertThat(StandardWebhooksVerifier.verify(
                        secret, all.get(3).headers(), all.get(3).body()))
                .isTrue();
        as(tenant.apiKey())
                .get("/webhooks/" + id + "/deliveries?page_size=1")
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(1))
                .body("data[0].id", equalTo(again))
                .body("next", not(equalTo(null)));
    }

    @Test
    void aDeliveryIsRetriedOnTheScheduleThenFailedAnd410DisablesTheSubscription() {
        Receiver failing = receiver().otherwise(503);
        CreatedTenant tenant = newTenant();
        String id = subscribe(tenant, failing, List.of("*")).getString("id");
        String deliveryId = test(tenant, id);

        JsonPath failed = awaitDelivery(tenant, id, deliveryId, "failed");
        // The test profile's schedule has four retries: five attempts in all.
        assertThat(failed.getInt("attempts")).isEqualTo(5);
        assertThat(failing.received()).hasSize(5);
        assertThat(failed.getInt("last_status")).isEqualTo(503);
        assertThat(failed.getString("last_error")).isEqualTo("HTTP 503").doesNotContain("t0p");
        assertThat(failed.getString("next_attempt_at")).isNull();

        Receiver redirecting = receiver().thenAnswer(302, 200);
        String second = subscribe(tenant, redirecting, List.of("*")).getString("id");
        JsonPath afterRedirect = awaitDelivery(tenant, second, test(tenant, second), "succeeded");
        assertThat(afterRedirect.getInt("attempts"))
                .as("a 3xx is a failed attempt")
                .isEqualTo(2);

        Receiver gone = receiver().otherwise(410);
        String third = subscribe(tenant, gone, List.of("*")).getString("id");
        JsonPath goneDelivery = awaitDelivery(tenant, third, test(tenant, third), "failed");
        assertThat(goneDelivery.getInt("attempts")).isEqualTo(1);
        as(tenant.apiKey())
                .get("/webhooks/" + third)
                .then()
                .statusCode(200)
                .body("enabled", equalTo(false))
                .body("disabled_reason", equalTo("endpoint_gone"));
        as(tenant.apiKey())
                .body(Map.of("enabled", true))
                .patch("/webhooks/" + third)
                .then()
                .statusCode(200)
                .body("enabled", equalTo(true))
                .body("disabled_reason", equalTo(null));
    }

    @Test
    void aSyncAnnouncesItsDirectoryChangesAndItsOutcomeWithExactCounts() {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(12)
                .groups(2)
                .membershipsPerUser(1)
                .seed(5)
                .urlForms(UrlForm.BRIDGE)
                .token("webhook-sync-token-0123456789")
                .start();
        closing.add(upstream::close);
        Receiver users = receiver();
        Receiver outcomes = receiver();
        Receiver groups = receiver();
        CreatedTenant tenant = newTenant();
        String usersSub = subscribe(tenant, users, List.of("iam.user.*")).getString("id");
        subscribe(tenant, groups, List.of("iam.group.*"));
        subscribe(tenant, outcomes, List.of("sync.completed", "sync.failed"));
        String accountId = linkOnePassword(tenant, "org-wh-" + upstream.port(), upstream);

        sync(tenant, accountId);
        List<Received> firstOutcome = outcomes.await(1, any());
        List<Received> created = users.await(12, any());
        assertThat(types(created)).containsOnly("iam.user.created");
        assertThat(created).hasSize(12);
        JsonPath completed = JsonPath.from(firstOutcome.get(0).bodyText());
        assertThat(completed.getString("type")).isEqualTo("sync.completed");
        assertThat(completed.getString("data.account_id")).isEqualTo(accountId);
        assertThat(completed.getInt("data.counts.added")).isEqualTo(14);
        assertThat(completed.getInt("data.counts.users_seen")).isEqualTo(12);
        assertThat(types(groups.await(2, any()))).containsExactly("iam.group.created", "iam.group.created");

        List<ScimUser> before = upstream.directory().users();
        ScimUser newcomer = upstream.directory().addUser("New", "Comer");
        ScimUser renamed = before.get(1);
        upstream.directory().updateUser(renamed.id(), u -> u.withNames("Renamed", u.familyName(), "Renamed X"));
        ScimUser removed = before.get(2);
        upstream.directory().removeUser(removed.id());

        sync(tenant, accountId);
        List<Received> secondOutcome = outcomes.await(2, any());
        List<Received> all = users.await(15, any());
        List<Received> second = all.subList(12, all.size());
        Map<String, JsonPath> byType = new HashMap<>();
        for (Received r : second) {
            JsonPath event = JsonPath.from(r.bodyText());
            assertThat(byType.put(event.getString("type"), event))
                    .as("one of each")
                    .isNull();
        }
        assertThat(byType.keySet())
                .containsExactlyInAnyOrder("iam.user.created", "iam.user.updated", "iam.user.deleted");
        assertThat(byType.get("iam.user.created").getString("data.remote_id")).isEqualTo(newcomer.id());
        assertThat(byType.get("iam.user.updated").getString("data.remote_id")).isEqualTo(renamed.id());
        assertThat(byType.get("iam.user.updated").getList("data.changed_fields", String.class))
                .containsExactlyInAnyOrder("name", "first_name");
        assertThat(byType.get("iam.user.deleted").getString("data.remote_id")).isEqualTo(removed.id());
        JsonPath secondCompleted = JsonPath.from(secondOutcome.get(1).bodyText());
        assertThat(secondCompleted.getInt("data.counts.added")).isEqualTo(1);
        assertThat(secondCompleted.getInt("data.counts.deleted")).isEqualTo(1);
        assertThat(secondCompleted.getInt("data.counts.users_seen")).isEqualTo(12);
        // The removed user's groups lost a member.
        int groupsOfRemoved = removed.groupIds().size();
        assertThat(groupsOfRemoved).isPositive();
        List<Received> groupEvents = groups.await(2 + groupsOfRemoved, any());
        for (Received r : groupEvents.subList(2, groupEvents.size())) {
            JsonPath event = JsonPath.from(r.bodyText());
            assertThat(event.getString("type")).isEqualTo("iam.group.updated");
            assertThat(removed.groupIds()).contains(event.getString("data.remote_id"));
            assertThat(event.getList("data.changed_fields", String.class))
                    .containsExactlyInAnyOrder("members", "member_count");
        }

        // A removed user coming back is announced as created, marked as a re-appearance.
        upstream.directory().addUser(removed);
        sync(tenant, accountId);
        outcomes.await(3, any());
        JsonPath back = JsonPath.from(users.await(16, any()).get(15).bodyText());
        assertThat(back.getString("type")).isEqualTo("iam.user.created");
        assertThat(back.getBoolean("data.reappeared")).isTrue();
        assertThat(back.getString("data.remote_id")).isEqualTo(removed.id());

        // Every event the users' subscription received is in its log as succeeded; none carries a credential.
        assertThat(users.received()).hasSize(16);
        assertThat(outcomes.received()).hasSize(3);
        for (Received r : users.received()) {
            assertThat(r.bodyText()).doesNotContain(upstream.token());
        }
        List<Map<String, Object>> log = as(tenant.apiKey())
                .get("/webhooks/" + usersSub + "/deliveries?page_size=200&state=succeeded")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("data");
        assertThat(log).hasSize(16);
    }

    @Test
    void linkingAnAccountIsAnnounced() {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(2)
                .groups(1)
                .urlForms(UrlForm.BRIDGE)
                .token("webhook-link-token-0123456789")
                .start();
        closing.add(upstream::close);
        Receiver receiver = receiver();
        CreatedTenant tenant = newTenant();
        String secret = subscribe(tenant, receiver, List.of("account.linked")).getString("secret");

        String accountId = linkOnePassword(tenant, "org-link-" + upstream.port(), upstream);

        Received linked = receiver.await(1, any()).get(0);
        assertThat(StandardWebhooksVerifier.verify(secret, linked.headers(), linked.body()))
                .isTrue();
        JsonPath event = JsonPath.from(linked.bodyText());
        assertThat(event.getString("type")).isEqualTo("account.linked");
        assertThat(event.getString("data.account_id")).isEqualTo(accountId);
        assertThat(event.getString("data.provider")).isEqualTo("onepassword");
        assertThat(event.getString("data.origin_owner_id")).isEqualTo("org-link-" + upstream.port());
        assertThat(event.getString("data.status")).isEqualTo("active");
        assertThat(event.getBoolean("data.relinked")).isFalse();
        assertThat(linked.bodyText()).doesNotContain(upstream.token());
    }

    @Test
    void accountStatusTransitionsAreAnnouncedAsErrorAndRecovered() {
        Receiver receiver = receiver();
        Receiver unrelated = receiver();
        CreatedTenant tenant = newTenant();
        subscribe(tenant, receiver, List.of("account.error", "account.recovered"));
        subscribe(tenant, unrelated, List.of("sync.completed"));
        CreatedTenant other = newTenant();
        Receiver othersReceiver = receiver();
        subscribe(other, othersReceiver, List.of("*"));

        Instant at = Instant.now();
        statusChanged.fire(new AccountStatusChanged(
                tenant.id(),
                "acct-1",
                "active",
                "error",
                "invalid_credentials",
                "The token was revoked.",
                "token",
                at));
        statusChanged.fire(new AccountStatusChanged(
                tenant.id(), "acct-1", "error", "active", null, null, null, at.plusSeconds(1)));

        List<Received> events = receiver.await(2, any());
        Map<String, JsonPath> byType = new HashMap<>();
        events.forEach(r -> byType.put(JsonPath.from(r.bodyText()).getString("type"), JsonPath.from(r.bodyText())));
        assertThat(byType.keySet()).containsExactlyInAnyOrder("account.error", "account.recovered");
        JsonPath error = byType.get("account.error");
        assertThat(error.getString("data.account_id")).isEqualTo("acct-1");
        assertThat(error.getString("data.reason.code")).isEqualTo("invalid_credentials");
        assertThat(error.getString("data.reason.field")).isEqualTo("token");
        assertThat(byType.get("account.recovered").getString("data.to")).isEqualTo("active");
        assertThat(byType.get("account.recovered").getMap("data")).doesNotContainKey("reason");

        // Another subscription of the tenant that did not ask, and another tenant, receive nothing.
        Receiver.sleep(300);
        assertThat(unrelated.received()).isEmpty();
        assertThat(othersReceiver.received()).isEmpty();
        assertThat(receiver.received()).hasSize(2);
    }

    @Test
    void urlsAreCheckedByTheEgressPolicyAndEventsByTheCatalogue() {
        CreatedTenant tenant = newTenant();
        as(tenant.apiKey())
                .body(Map.of("url", "http://169.254.169.254/latest/meta-data", "events", List.of("*")))
                .post("/webhooks")
                .then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("code", equalTo("egress_denied"))
                .body("field", equalTo("url"));
        as(tenant.apiKey())
                .body(Map.of("url", "ftp://hooks.example.com/", "events", List.of("*")))
                .post("/webhooks")
                .then()
                .statusCode(422)
                .body("code", equalTo("egress_denied"));
        as(tenant.apiKey())
                .body(Map.of("url", "http://127.0.0.1:9/x", "events", List.of("iam.users.created")))
                .post("/webhooks")
                .then()
                .statusCode(400)
                .body("code", equalTo("unknown_event_type"))
                .body("field", equalTo("events"));
        as(tenant.apiKey())
                .body(Map.of("url", "http://127.0.0.1:9/x", "events", List.of()))
                .post("/webhooks")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_request"));
        as(tenant.apiKey())
                .body(Map.of("url", "http://127.0.0.1:9/x", "events", List.of("*"), "secret", "mine"))
                .post("/webhooks")
                .then()
                .statusCode(400);
        assertThat(as(tenant.apiKey())
                        .get("/webhooks")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("data"))
                .as("nothing was created by refused requests")
                .isEmpty();

        String id = as(tenant.apiKey())
                .body(Map.of("url", "http://127.0.0.1:9/x", "events", List.of("*")))
                .post("/webhooks")
                .then()
                .statusCode(201)
                .extract()
                .path("id");
        as(tenant.apiKey())
                .body(Map.of("url", "http://[::ffff:169.254.169.254]/"))
                .patch("/webhooks/" + id)
                .then()
                .statusCode(422)
                .body("code", equalTo("egress_denied"));
        as(tenant.apiKey()).get("/webhooks/" + id).then().statusCode(200).body("url", equalTo("http://127.0.0.1:9/x"));
    }

    @Test
    void anotherTenantsSubscriptionsAndDeliveriesAreNotFound() {
        Receiver receiver = receiver();
        CreatedTenant owner = newTenant();
        CreatedTenant stranger = newTenant();
        String id = subscribe(owner, receiver, List.of("*")).getString("id");
        String deliveryId = test(owner, id);
        awaitDelivery(owner, id, deliveryId, "succeeded");

        as(stranger.apiKey()).get("/webhooks/" + id).then().statusCode(404).body("code", equalTo("not_found"));
        as(stranger.apiKey())
                .body(Map.of("enabled", false))
                .patch("/webhooks/" + id)
                .then()
                .statusCode(404);
        as(stranger.apiKey()).post("/webhooks/" + id + "/rotate-secret").then().statusCode(404);
        as(stranger.apiKey()).post("/webhooks/" + id + "/test").then().statusCode(404);
        as(stranger.apiKey()).get("/webhooks/" + id + "/deliveries").then().statusCode(404);
        as(stranger.apiKey())
                .post("/webhooks/" + id + "/deliveries/" + deliveryId + "/redeliver")
                .then()
                .statusCode(404);
        as(stranger.apiKey()).delete("/webhooks/" + id).then().statusCode(404);
        assertThat(as(stranger.apiKey())
                        .get("/webhooks")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("data"))
                .isEmpty();
        // A delivery id under another of the owner's own subscriptions is not found either.
        String otherSub = subscribe(owner, receiver, List.of("*")).getString("id");
        as(owner.apiKey())
                .post("/webhooks/" + otherSub + "/deliveries/" + deliveryId + "/redeliver")
                .then()
                .statusCode(404);
        as(owner.apiKey()).get("/webhooks/" + id).then().statusCode(200).body("enabled", equalTo(true));
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void theSecretIsShownOnceNeverStoredInClearRotatedAndDestroyed() {
        Receiver receiver = receiver();
        CreatedTenant tenant = newTenant();
        JsonPath created = subscribe(tenant, receiver, List.of("*"));
        String id = created.getString("id");
        String secret = created.getString("secret");
        assertThat(secret).startsWith("whsec_");

        assertThat(as(tenant.apiKey())
                        .get("/webhooks/" + id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getMap("$"))
                .containsEntry("id", id)
                .doesNotContainKey("secret");
        assertThat(as(tenant.apiKey())
                        .get("/webhooks")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getMap("data[0]"))
                .containsEntry("id", id)
                .doesNotContainKey("secret");
        String dump = Sql.dump(dataSource);
        assertThat(dump).doesNotContain(secret).doesNotContain(secret.substring("whsec_".length()));
        assertThat(credentials.get(Namespace.WEBHOOKS, tenant.id(), id))
                .as("kept by the credential store")
                .contains(Map.of("secret", secret));

        String rotated = as(tenant.apiKey())
                .post("/webhooks/" + id + "/rotate-secret")
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("secret", startsWith("whsec_"))
                .extract()
                .path("secret");
        assertThat(rotated).isNotEqualTo(secret);
        assertThat(credentials.get(Namespace.WEBHOOKS, tenant.id(), id)).contains(Map.of("secret", rotated));
        assertThat(Sql.dump(dataSource)).doesNotContain(rotated.substring("whsec_".length()));
        awaitDelivery(tenant, id, test(tenant, id), "succeeded");
        Received signed = receiver.received().get(0);
        assertThat(StandardWebhooksVerifier.verify(rotated, signed.headers(), signed.body()))
                .isTrue();
        assertThat(StandardWebhooksVerifier.verify(secret, signed.headers(), signed.body()))
                .as("the old secret no longer signs")
                .isFalse();

        as(tenant.apiKey()).delete("/webhooks/" + id).then().statusCode(204);
        as(tenant.apiKey()).get("/webhooks/" + id).then().statusCode(404);
        assertThat(credentials.get(Namespace.WEBHOOKS, tenant.id(), id))
                .as("destroyed with the subscription")
                .isEmpty();
        assertThat(Sql.rows(dataSource, "select 1 from webhook_deliveries where subscription_id = ?", id))
                .isEmpty();
    }

    @Test
    void aSubscriptionWhoseSecretIsGoneBecomesBrokenStopsAttemptingAndARotationRepairsIt() {
        Receiver receiver = receiver();
        Receiver watcher = receiver();
        CreatedTenant tenant = newTenant();
        String id = subscribe(tenant, receiver, List.of("*")).getString("id");
        subscribe(tenant, watcher, List.of("webhook.broken"));
        // As the orphan sweep of earlier versions did once the grace had passed.
        credentials.delete(tenant.id(), "whk_" + id);
        credentials.delete(Namespace.WEBHOOKS, tenant.id(), id);

        String deliveryId = test(tenant, id);

        JsonPath broken = awaitStatus(tenant, id, "broken");
        assertThat(broken.getBoolean("enabled")).isFalse();
        assertThat(broken.getString("disabled_reason")).isEqualTo("secret_missing");
        // The test profile retries after 20, 40, 60 and 80 ms: a subscription still attempted would be done by now.
        Receiver.sleep(600);
        JsonPath waiting = as(tenant.apiKey())
                .get("/webhooks/" + id + "/deliveries/" + deliveryId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(waiting.getString("state")).as("kept for after the repair").isEqualTo("pending");
        assertThat(waiting.getInt("attempts"))
                .as("no attempt after the first found the secret gone")
                .isEqualTo(1);
        assertThat(receiver.received()).isEmpty();
        List<Received> notices = watcher.await(1, any());
        JsonPath notice = JsonPath.from(notices.get(0).bodyText());
        assertThat(notice.getString("type")).isEqualTo("webhook.broken");
        assertThat(notice.getString("data.subscription_id")).isEqualTo(id);
        assertThat(notice.getString("data.reason")).isEqualTo("secret_missing");

        // Enabling it without a secret would only break it again: refused, saying how to repair it.
        as(tenant.apiKey())
                .body(Map.of("enabled", true))
                .patch("/webhooks/" + id)
                .then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("code", equalTo("webhook_secret_missing"));

        String secret = as(tenant.apiKey())
                .post("/webhooks/" + id + "/rotate-secret")
                .then()
                .statusCode(200)
                .body("status", equalTo("enabled"))
                .body("enabled", equalTo(true))
                .body("disabled_reason", equalTo(null))
                .extract()
                .path("secret");
        JsonPath delivered = awaitDelivery(tenant, id, deliveryId, "succeeded");
        assertThat(delivered.getInt("attempts")).isEqualTo(2);
        Received signed = receiver.received().get(0);
        assertThat(StandardWebhooksVerifier.verify(secret, signed.headers(), signed.body()))
                .isTrue();
    }

    @Test
    void aSecretSealedWithALostMasterKeyMakesTheSubscriptionBrokenLikeAMissingOne() {
        Receiver receiver = receiver();
        CreatedTenant tenant = newTenant();
        String id = subscribe(tenant, receiver, List.of("*")).getString("id");
        // What a start with --reset-credentials leaves for a secret it could not open, had it not destroyed it.
        credentials.makeUnreadable(Namespace.WEBHOOKS, tenant.id(), id);

        String deliveryId = test(tenant, id);

        JsonPath broken = awaitStatus(tenant, id, "broken");
        assertThat(broken.getString("disabled_reason")).isEqualTo("secret_missing");
        JsonPath waiting = as(tenant.apiKey())
                .get("/webhooks/" + id + "/deliveries/" + deliveryId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(waiting.getString("state")).isEqualTo("pending");
        assertThat(receiver.received()).isEmpty();
        as(tenant.apiKey())
                .body(Map.of("enabled", true))
                .patch("/webhooks/" + id)
                .then()
                .statusCode(409)
                .body("code", equalTo("webhook_secret_missing"));
    }

    @Test
    void aSecretKeptWhereEarlierVersionsKeptItStillSignsAndMovesToTheWebhooksNamespace() {
        Receiver receiver = receiver();
        CreatedTenant tenant = newTenant();
        JsonPath created = subscribe(tenant, receiver, List.of("*"));
        String id = created.getString("id");
        String secret = created.getString("secret");
        Map<String, String> values =
                credentials.get(Namespace.WEBHOOKS, tenant.id(), id).orElseThrow();
        credentials.put(tenant.id(), "whk_" + id, values);
        credentials.delete(Namespace.WEBHOOKS, tenant.id(), id);

        awaitDelivery(tenant, id, test(tenant, id), "succeeded");

        Received signed = receiver.received().get(0);
        assertThat(StandardWebhooksVerifier.verify(secret, signed.headers(), signed.body()))
                .isTrue();
        assertThat(credentials.get(Namespace.WEBHOOKS, tenant.id(), id)).contains(values);
        assertThat(credentials.get(tenant.id(), "whk_" + id)).isEmpty();
        as(tenant.apiKey()).get("/webhooks/" + id).then().statusCode(200).body("status", equalTo("enabled"));
    }

    @Test
    void subscriptionsArePagedAndPatched() {
        CreatedTenant tenant = newTenant();
        for (int i = 0; i < 3; i++) {
            as(tenant.apiKey())
                    .body(Map.of("url", "http://127.0.0.1:9/" + i, "events", List.of("sync.*"), "description", "n" + i))
                    .post("/webhooks")
                    .then()
                    .statusCode(201);
        }
        JsonPath first = as(tenant.apiKey())
                .get("/webhooks?page_size=2")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(first.getList("data")).hasSize(2);
        JsonPath second = as(tenant.apiKey())
                .queryParam("page_size", 2)
                .queryParam("cursor", first.getString("next"))
                .get("/webhooks")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertThat(second.getList("data")).hasSize(1);
        assertThat(second.getString("next")).isNull();
        assertThat(second.getString("data[0].description")).isEqualTo("n2");
        String id = second.getString("data[0].id");
        as(tenant.apiKey())
                .body(Map.of("events", List.of("account.linked", "iam.group.*"), "enabled", false))
                .patch("/webhooks/" + id)
                .then()
                .statusCode(200)
                .body("events", equalTo(List.of("account.linked", "iam.group.*")))
                .body("enabled", equalTo(false))
                .body("url", equalTo("http://127.0.0.1:9/2"));
        for (String bad : List.of("page_size=0", "page_size=201", "page_size=x")) {
            as(tenant.apiKey())
                    .get("/v1/webhooks?" + bad)
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("invalid_parameter"))
                    .body("field", equalTo("page_size"));
        }
        as(tenant.apiKey())
                .queryParam("cursor", "!!!")
                .get("/webhooks")
                .then()
                .statusCode(400)
                .body("code", equalTo("invalid_cursor"));
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private Receiver receiver() {
        try {
            Receiver receiver = new Receiver();
            closing.add(receiver);
            return receiver;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonPath subscribe(CreatedTenant tenant, Receiver receiver, List<String> events) {
        return as(tenant.apiKey())
                .body(Map.of("url", receiver.url(), "events", events, "description", "test receiver"))
                .post("/webhooks")
                .then()
                .statusCode(201)
                .body("secret", startsWith("whsec_"))
                .body("enabled", equalTo(true))
                .extract()
                .jsonPath();
    }

    private static String test(CreatedTenant tenant, String id) {
        return as(tenant.apiKey())
                .post("/webhooks/" + id + "/test")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    private static JsonPath awaitDelivery(CreatedTenant tenant, String id, String deliveryId, String state) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = null;
        while (System.nanoTime() < deadline) {
            JsonPath delivery = as(tenant.apiKey())
                    .get("/webhooks/" + id + "/deliveries/" + deliveryId)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            last = delivery.getString("state");
            if (state.equals(last)) {
                return delivery;
            }
            if (!"pending".equals(last)) {
                throw new AssertionError("delivery ended " + last + ", expected " + state);
            }
            Receiver.sleep(25);
        }
        throw new AssertionError("delivery still " + last + ", expected " + state);
    }

    private static JsonPath awaitStatus(CreatedTenant tenant, String id, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = as(tenant.apiKey())
                    .get("/webhooks/" + id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            if (status.equals(last.getString("status"))) {
                return last;
            }
            Receiver.sleep(25);
        }
        throw new AssertionError("subscription " + id + " is " + (last == null ? null : last.prettify())
                + ", expected status " + status);
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
            List<Map<String, Object>> runs = as(tenant.apiKey())
                    .get("/accounts/" + accountId + "/syncs")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath()
                    .getList("data");
            for (Map<String, Object> run : runs) {
                if (runId.equals(run.get("id")) && Set.of("succeeded", "failed").contains(run.get("state"))) {
                    assertThat(run.get("state")).isEqualTo("succeeded");
                    return;
                }
            }
            Receiver.sleep(50);
        }
        throw new AssertionError("sync " + runId + " did not finish");
    }

    private static Predicate<Received> any() {
        return r -> true;
    }

    private static List<String> types(List<Received> received) {
        return received.stream()
                .map(r -> JsonPath.from(r.bodyText()).getString("type"))
                .toList();
    }
}
