package dev.keyline.platform.webhook;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.account.AccountLinked;
import dev.keyline.platform.account.AccountStatusChanged;
import dev.keyline.platform.sync.SyncEvents.DirectoryChange;
import dev.keyline.platform.sync.SyncEvents.SyncFinished;
import dev.keyline.platform.sync.SyncRun;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Observes the platform's events and queues webhook events for them. Payloads hold ids, states and counts,
 * never credentials nor a provider's raw data: a receiver that wants the record reads it through the API. An
 * observer never fails the work that fired the event; a failure is logged by kind only.
 */
@ApplicationScoped
public class WebhookEvents {
    private static final Logger LOG = Logger.getLogger(WebhookEvents.class);

    private final WebhookOutbox outbox;

    public WebhookEvents(WebhookOutbox outbox) {
        this.outbox = requireNonNull(outbox, "outbox is null");
    }

    void onLinked(@Observes AccountLinked event) {
        guard("account.linked", () -> {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("account_id", event.accountId());
            data.put("origin_owner_id", event.originOwnerId());
            data.put("provider", event.provider());
            data.put("status", event.status());
            data.put("relinked", !event.created());
            outbox.publish(event.tenantId(), EventTypes.ACCOUNT_LINKED, data, Instant.now(), true);
        });
    }

    void onStatusChanged(@Observes AccountStatusChanged event) {
        guard("account status", () -> {
            String type;
            if ("error".equals(event.to())) {
                type = EventTypes.ACCOUNT_ERROR;
            } else if ("active".equals(event.to()) && "error".equals(event.from())) {
                type = EventTypes.ACCOUNT_RECOVERED;
            } else {
                return;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("account_id", event.accountId());
            data.put("from", event.from());
            data.put("to", event.to());
            if (type.equals(EventTypes.ACCOUNT_ERROR)) {
                Map<String, Object> reason = new LinkedHashMap<>();
                reason.put("code", event.code());
                reason.put("message", event.message());
                reason.put("field", event.field());
                data.put("reason", reason);
            }
            data.put("changed_at", event.at().toString());
            outbox.publish(event.tenantId(), type, data, event.at(), true);
        });
    }

    void onSyncFinished(@Observes SyncFinished event) {
        guard("sync outcome", () -> {
            // The run's directory changes are queued first, so they are in the outbox before its outcome.
            outbox.flush();
            SyncRun run = event.run();
            boolean succeeded = run.state() == SyncRun.State.SUCCEEDED;
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("account_id", run.accountId());
            data.put("sync_id", run.id());
            data.put("trigger", run.trigger().name().toLowerCase(Locale.ROOT));
            data.put("state", run.state().name().toLowerCase(Locale.ROOT));
            data.put("started_at", text(run.startedAt()));
            data.put("finished_at", text(run.finishedAt()));
            SyncRun.SyncCounts c = run.counts();
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("pages", c.pages());
            counts.put("users_seen", c.usersSeen());
            counts.put("groups_seen", c.groupsSeen());
            counts.put("roles_seen", c.rolesSeen());
            counts.put("added", c.added());
            counts.put("updated", c.updated());
            counts.put("deleted", c.deleted());
            counts.put("reappeared", c.reappeared());
            data.put("counts", counts);
            if (!succeeded) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("code", run.errorCode());
                error.put("message", run.errorMessage());
                data.put("error", error);
            }
            Instant at = run.finishedAt() == null ? Instant.now() : run.finishedAt();
            outbox.publish(
                    run.tenantId(), succeeded ? EventTypes.SYNC_COMPLETED : EventTypes.SYNC_FAILED, data, at, true);
        });
    }

    void onDirectoryChange(@Observes DirectoryChange change) {
        guard("directory change", () -> {
            String type = EventTypes.directory(change.type(), change.change());
            if (type == null) {
                return;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("account_id", change.accountId());
            data.put("id", change.id());
            data.put("remote_id", change.remoteId());
            data.put("sequence", change.sequence());
            data.put("change", change.change());
            if ("reappeared".equals(change.change())) {
                data.put("reappeared", true);
            }
            if ("updated".equals(change.change())) {
                data.put("changed_fields", change.fields());
            }
            Instant at = change.at() == null ? Instant.now() : change.at();
            data.put("changed_at", at.toString());
            outbox.publish(change.tenantId(), type, data, at, false);
        });
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }

    private static void guard(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Queuing the webhook event for a %s failed (%s)",
                    what, e.getClass().getSimpleName());
        }
    }
}
