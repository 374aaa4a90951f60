package dev.keyline.platform.webhook;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorException;
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
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jboss.logging.Logger;

/** Subscriptions of a tenant, their secrets and their delivery log. Another tenant's ids are not found (404). */
@ApplicationScoped
public class WebhookService {
    private static final Logger LOG = Logger.getLogger(WebhookService.class);
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    private static final Set<String> STATES = Set.of("pending", "succeeded", "failed");

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
        int size = pageSize(pageSize);
        Position after = Position.decode(cursor);
        List<Subscription> rows = subscriptions.pageSubscriptions(
                tenantId, after == null ? null : after.at(), after == null ? null : after.id(), size + 1);
        Cut<Subscription> cut = Cut.of(rows, size, Subscription::createdAt, Subscription::id);
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
        int size = pageSize(pageSize);
        if (state != null && !STATES.contains(state)) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_REQUEST, "state must be one of pending, succeeded, failed.")
                    .field("state");
        }
        Position before = Position.decode(cursor);
        List<Delivery> rows = store.pageDeliveries(
                tenantId,
                id,
                state,
                before == null ? null : before.at(),
                before == null ? null : before.id(),
                size + 1);
        Cut<Delivery> cut = Cut.of(rows, size, Delivery::createdAt, Delivery::id);
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

    private static int pageSize(String text) {
        if (text == null || text.isBlank()) {
            return DEFAULT_PAGE_SIZE;
        }
        try {
            int size = Integer.parseInt(text.strip());
            if (size >= 1 && size <= MAX_PAGE_SIZE) {
                return size;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw KeylineException.invalid(
                        FailureCode.INVALID_REQUEST,
                        "page_size must be a whole number from 1 to " + MAX_PAGE_SIZE + ".")
                .field("page_size");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * One page of rows read with one extra row: the rows to show, and the cursor after the last of them when the
     * extra row proves there is more.
     */
    private record Cut<T>(List<T> shown, String next) {
        static <T> Cut<T> of(List<T> rows, int size, Function<T, Instant> at, Function<T, String> id) {
            if (rows.size() <= size) {
                return new Cut<>(rows, null);
            }
            T last = rows.get(size - 1);
            return new Cut<>(rows.subList(0, size), new Position(at.apply(last), id.apply(last)).encode());
        }
    }

    /** A keyset position, opaque to clients. */
    private record Position(Instant at, String id) {
        String encode() {
            String raw = ChronoUnit.MICROS.between(Instant.EPOCH, at) + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor) {
            if (cursor == null || cursor.isBlank()) {
                return null;
            }
            try {
                String raw = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
                int colon = raw.indexOf(':');
                long micros = Long.parseLong(raw.substring(0, colon));
                return new Position(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), raw.substring(colon + 1));
            } catch (RuntimeException e) {
                throw KeylineException.invalid(
                                FailureCode.INVALID_CURSOR, "The cursor is not valid; start from the first page.")
                        .field("cursor");
            }
        }
    }
}
