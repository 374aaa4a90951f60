package dev.keyline.platform.webhook;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.platform.api.KeysetCursor;
import dev.keyline.platform.api.Params;
import dev.keyline.platform.base.ConnectorFailures;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import dev.keyline.platform.webhook.WebhookDtos.CreateWebhookRequest;
import dev.keyline.platform.webhook.WebhookDtos.CreatedWebhook;
import dev.keyline.platform.webhook.WebhookDtos.DeliveryPage;
import dev.keyline.platform.webhook.WebhookDtos.DeliveryView;
import dev.keyline.platform.webhook.WebhookDtos.UpdateWebhookRequest;
import dev.keyline.platform.webhook.WebhookDtos.WebhookPage;
import dev.keyline.platform.webhook.WebhookDtos.WebhookView;
import dev.keyline.platform.webhook.WebhookStore.Delivery;
import dev.keyline.platform.webhook.WebhookStore.NewDelivery;
import dev.keyline.platform.webhook.WebhookSubscriptionStore.Subscription;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/** Subscriptions of a tenant, their secrets and their delivery log. Another tenant's ids are not found (404). */
@ApplicationScoped
public class WebhookService {
    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    static final List<String> STATES = List.of("pending", "succeeded", "failed");

    private final WebhookStore store;
    private final WebhookSubscriptionStore subscriptions;
    private final WebhookSecrets secrets;
    private final WebhookSender sender;
    private final WebhookOutbox outbox;

    public WebhookService(
            WebhookStore store,
            WebhookSubscriptionStore subscriptions,
            WebhookSecrets secrets,
            WebhookSender sender,
            WebhookOutbox outbox) {
        this.store = requireNonNull(store, "store is null");
        this.subscriptions = requireNonNull(subscriptions, "subscriptions is null");
        this.secrets = requireNonNull(secrets, "secrets is null");
        this.sender = requireNonNull(sender, "sender is null");
        this.outbox = requireNonNull(outbox, "outbox is null");
    }

    /** Checks the URL and events, stores the secret, then the subscription; nothing is left half-made on failure. */
    public CreatedWebhook create(String tenantId, CreateWebhookRequest request) {
        String url = checkUrl(request.url());
        List<String> events = EventTypes.validate(request.events());
        String id = WebhookOutbox.newId();
        String secret = secrets.issue(tenantId, id);
        try {
            subscriptions.insertSubscription(id, tenantId, url, events, blankToNull(request.description()));
        } catch (RuntimeException e) {
            secrets.destroy(tenantId, id);
            throw e;
        }
        outbox.invalidate(tenantId);
        return CreatedWebhook.of(require(tenantId, id), secret);
    }

    public WebhookPage list(String tenantId, String pageSize, String cursor) {
        int size = Params.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        KeysetCursor after = KeysetCursor.decode(cursor);
        List<Subscription> rows =
                subscriptions.pageSubscriptions(tenantId, KeysetCursor.atOf(after), KeysetCursor.idOf(after), size + 1);
        var cut = KeysetCursor.slice(rows, size, Subscription::createdAt, Subscription::id);
        return new WebhookPage(cut.shown().stream().map(WebhookView::of).toList(), cut.next());
    }

    public WebhookView get(String tenantId, String id) {
        return WebhookView.of(require(tenantId, id));
    }

    public WebhookView update(String tenantId, String id, UpdateWebhookRequest request) {
        Subscription current = require(tenantId, id);
        if (Boolean.TRUE.equals(request.enabled())
                && "broken".equals(current.status())
                && !secrets.present(tenantId, id)) {
            throw KeylineException.conflict(
                            FailureCode.WEBHOOK_SECRET_MISSING,
                            "This subscription is broken: its signing secret is missing. Rotate its secret"
                                    + " (POST /webhooks/" + abbreviate(id) + "/rotate-secret) to repair and enable it.")
                    .field("enabled");
        }
        String url = request.url() == null ? null : checkUrl(request.url());
        List<String> events = request.events() == null ? null : EventTypes.validate(request.events());
        if (!subscriptions.updateSubscription(tenantId, id, url, events, request.description(), request.enabled())) {
            throw notFound(id);
        }
        outbox.invalidate(tenantId);
        return get(tenantId, id);
    }

    /** Destroys the secret first: a failure half-way leaves a subscription that a repeated DELETE removes. */
    public void delete(String tenantId, String id) {
        require(tenantId, id);
        secrets.destroy(tenantId, id);
        subscriptions.deleteSubscription(tenantId, id);
        outbox.invalidate(tenantId);
    }

    /**
     * A new secret, effective for every attempt from now on (retries of earlier events included). It also repairs
     * a subscription broken by a missing secret: enabled again, its waiting deliveries are sent.
     */
    public CreatedWebhook rotateSecret(String tenantId, String id) {
        require(tenantId, id);
        String secret = secrets.issue(tenantId, id);
        if (subscriptions.bumpSecretVersion(tenantId, id).isEmpty()) {
            // Deleted meanwhile: do not leave the fresh secret behind.
            secrets.destroy(tenantId, id);
            throw notFound(id);
        }
        LOG.infof("Webhook subscription %s: signing secret rotated", id);
        if (subscriptions.repair(tenantId, id, WebhookSubscriptionStore.SECRET_MISSING)) {
            outbox.invalidate(tenantId);
            LOG.infof("Webhook subscription %s repaired: enabled again with its new signing secret", id);
        }
        return CreatedWebhook.of(require(tenantId, id), secret);
    }

    public DeliveryPage deliveries(String tenantId, String id, String state, String pageSize, String cursor) {
        require(tenantId, id);
        int size = Params.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        String wanted = Params.oneOf("state", state, STATES);
        KeysetCursor before = KeysetCursor.decode(cursor);
        List<Delivery> rows = store.pageDeliveries(
                tenantId, id, wanted, KeysetCursor.atOf(before), KeysetCursor.idOf(before), size + 1);
        var cut = KeysetCursor.slice(rows, size, Delivery::createdAt, Delivery::id);
        return new DeliveryPage(cut.shown().stream().map(DeliveryView::of).toList(), cut.next());
    }

    public DeliveryView delivery(String tenantId, String id, String deliveryId) {
        require(tenantId, id);
        return DeliveryView.of(requireDelivery(tenantId, id, deliveryId));
    }

    /**
     * Sends the same event again as a new delivery (same event id, so the same {@code webhook-id}), with a fresh
     * retry schedule. The original row stays in the log as it ended.
     */
    public DeliveryView redeliver(String tenantId, String id, String deliveryId) {
        require(tenantId, id);
        Delivery original = requireDelivery(tenantId, id, deliveryId);
        String payload = store.payload(tenantId, original.id()).orElseThrow(() -> notFoundDelivery(deliveryId));
        String newId = WebhookOutbox.newId();
        outbox.insertNow(
                new NewDelivery(newId, tenantId, id, original.eventId(), original.eventType(), payload, original.id()));
        return DeliveryView.of(requireDelivery(tenantId, id, newId));
    }

    /** Queues a {@code webhook.test} event for this subscription only, whatever events it asked for. */
    public DeliveryView test(String tenantId, String id) {
        require(tenantId, id);
        String eventId = WebhookOutbox.newEventId();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscription_id", id);
        data.put("message", "This is a test event from Keyline.");
        String payload = outbox.payload(eventId, tenantId, EventTypes.TEST, data, Instant.now());
        String deliveryId = WebhookOutbox.newId();
        outbox.insertNow(new NewDelivery(deliveryId, tenantId, id, eventId, EventTypes.TEST, payload, null));
        return DeliveryView.of(requireDelivery(tenantId, id, deliveryId));
    }

    private String checkUrl(String url) {
        String trimmed = url == null ? "" : url.strip();
        try {
            sender.check(trimmed);
        } catch (ConnectorException e) {
            throw ConnectorFailures.of(Kind.UNPROCESSABLE, e.code(), "The webhook URL is not allowed", e.getMessage())
                    .field("url");
        }
        return trimmed;
    }

    private Subscription require(String tenantId, String id) {
        return subscriptions.findSubscription(tenantId, id == null ? "" : id).orElseThrow(() -> notFound(id));
    }

    private Delivery requireDelivery(String tenantId, String id, String deliveryId) {
        return store.findDelivery(tenantId, id, deliveryId == null ? "" : deliveryId)
                .orElseThrow(() -> notFoundDelivery(deliveryId));
    }

    private static KeylineException notFound(String id) {
        return KeylineException.notFound("Webhook subscription " + abbreviate(id));
    }

    private static KeylineException notFoundDelivery(String id) {
        return KeylineException.notFound("Delivery " + abbreviate(id));
    }

    private static String abbreviate(String id) {
        return id == null ? "" : id.length() <= 64 ? id : id.substring(0, 61) + "...";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
