package dev.keyline.platform.webhook;

import dev.keyline.platform.webhook.WebhookStore.Delivery;
import dev.keyline.platform.webhook.WebhookSubscriptionStore.Subscription;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The webhook API's bodies. The signing secret appears only in {@link CreatedWebhook}, on create and rotate. */
public final class WebhookDtos {
    private WebhookDtos() {}

    public record CreateWebhookRequest(
            @NotBlank @Size(max = 2048) String url,

            @NotNull @Size(min = 1, max = EventTypes.MAX_PATTERNS)
            List<String> events,

            @Size(max = 500) String description) {}

    /** Changes to a subscription; fields left out stay as they are. */
    public record UpdateWebhookRequest(
            @Size(min = 1, max = 2048) String url,
            @Size(min = 1, max = EventTypes.MAX_PATTERNS) List<String> events,
            @Size(max = 500) String description,
            Boolean enabled) {}

    public record WebhookView(
            @Schema(required = true) String id,
            @Schema(required = true) String url,
            @Schema(required = true) List<String> events,
            @Schema(required = true, nullable = true) String description,

            @Schema(
                    required = true,
                    enumeration = {"enabled", "disabled", "broken"})
            String status,

            @Schema(required = true) boolean enabled,
            @Schema(required = true, nullable = true) String disabledReason,
            @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant updatedAt) {

        static WebhookView of(Subscription s) {
            return new WebhookView(
                    s.id(),
                    s.url(),
                    s.events(),
                    s.description(),
                    s.status(),
                    s.enabled(),
                    s.disabledReason(),
                    s.createdAt(),
                    s.updatedAt());
        }
    }

    /** A subscription with its signing secret: returned once, when created or when its secret is rotated. */
    public record CreatedWebhook(
            @Schema(required = true) String id,
            @Schema(required = true) String url,
            @Schema(required = true) List<String> events,
            @Schema(required = true, nullable = true) String description,

            @Schema(
                    required = true,
                    enumeration = {"enabled", "disabled", "broken"})
            String status,

            @Schema(required = true) boolean enabled,
            @Schema(required = true, nullable = true) String disabledReason,
            @Schema(required = true) String secret,
            @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant updatedAt) {

        static CreatedWebhook of(Subscription s, String secret) {
            return new CreatedWebhook(
                    s.id(),
                    s.url(),
                    s.events(),
                    s.description(),
                    s.status(),
                    s.enabled(),
                    s.disabledReason(),
                    secret,
                    s.createdAt(),
                    s.updatedAt());
        }

        @Override
        public String toString() {
            return "CreatedWebhook[id=" + id + "]";
        }
    }

    public record WebhookPage(
            @Schema(required = true) List<WebhookView> data,
            @Schema(required = true, nullable = true) String next) {
        public WebhookPage {
            data = List.copyOf(data);
        }
    }

    /** One row of the delivery log: one event for one subscription, and how its attempts went. */
    public record DeliveryView(
            @Schema(required = true) String id,
            @Schema(required = true) String eventId,

            @Schema(
                    required = true,
                    enumeration = {
                        EventTypes.ACCOUNT_LINKED,
                        EventTypes.ACCOUNT_ERROR,
                        EventTypes.ACCOUNT_RECOVERED,
                        EventTypes.SYNC_COMPLETED,
                        EventTypes.SYNC_FAILED,
                        EventTypes.WEBHOOK_BROKEN,
                        "iam.user.created",
                        "iam.user.updated",
                        "iam.user.deleted",
                        "iam.group.created",
                        "iam.group.updated",
                        "iam.group.deleted",
                        "iam.role.created",
                        "iam.role.updated",
                        "iam.role.deleted",
                        EventTypes.TEST
                    })
            String eventType,

            @Schema(
                    required = true,
                    enumeration = {"pending", "succeeded", "failed"})
            String state,

            @Schema(required = true) int attempts,
            @Schema(required = true, nullable = true) Integer lastStatus,
            @Schema(required = true, nullable = true) String lastError,
            @Schema(required = true, nullable = true) Instant nextAttemptAt,
            @Schema(required = true, nullable = true) Instant lastAttemptAt,
            @Schema(required = true, nullable = true) String redeliveryOf,
            @Schema(required = true) Instant createdAt,
            @Schema(required = true) Instant updatedAt) {

        static DeliveryView of(Delivery d) {
            return new DeliveryView(
                    d.id(),
                    d.eventId(),
                    d.eventType(),
                    d.state(),
                    d.attempts(),
                    d.lastStatus(),
                    d.lastError(),
                    // A pending delivery's next_attempt_at may be a claim's lease; it is still when it is next tried.
                    "pending".equals(d.state()) ? d.nextAttemptAt() : null,
                    d.lastAttemptAt(),
                    d.redeliveryOf(),
                    d.createdAt(),
                    d.updatedAt());
        }
    }

    public record DeliveryPage(
            @Schema(required = true) List<DeliveryView> data,
            @Schema(required = true, nullable = true) String next) {
        public DeliveryPage {
            data = List.copyOf(data);
        }
    }
}
