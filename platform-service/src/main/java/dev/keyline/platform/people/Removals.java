package dev.keyline.platform.people;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gt;
import static com.mongodb.client.model.Filters.in;
import static java.util.Objects.requireNonNull;

import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Projections;
import dev.keyline.platform.people.PeopleDtos.RemovedDto;
import dev.keyline.platform.sync.MongoStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * Who lost access since an instant, from the accounts' change logs: users whose deletion at the provider, or whose
 * status change, the log recorded after it, judged by their record now. A user deleted and back since, or disabled
 * and enabled again, is not listed; the time given is the log's latest such entry.
 */
@ApplicationScoped
class Removals {
    private final MongoStore store;

    Removals(MongoStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /**
     * @param users the account's users as read now, by remote id
     * @param personOf the person id of each user, by user
     */
    List<RemovedDto> since(
            String tenantId,
            OwnerAccount account,
            Instant since,
            Map<String, AccountUser> users,
            Map<AccountUser, String> personOf) {
        // One entry per user, the latest: memory stays bounded by the account's users, however long the log.
        Map<String, Instant> deletedAt = new HashMap<>();
        Map<String, Instant> statusChangedAt = new HashMap<>();
        try (MongoCursor<Document> cursor = store.changes()
                .find(and(
                        eq("tenant_id", tenantId),
                        eq("account_id", account.id()),
                        eq("type", "user"),
                        in("change", "deleted", "updated"),
                        gt("at", Date.from(since))))
                .projection(Projections.include("change", "remote_id", "fields", "at"))
                .sort(new Document("sequence", 1))
                .batchSize(OwnerUsers.BATCH)
                .iterator()) {
            while (cursor.hasNext()) {
                Document entry = cursor.next();
                String remoteId = entry.getString("remote_id");
                Instant at = entry.getDate("at").toInstant();
                if ("deleted".equals(entry.getString("change"))) {
                    deletedAt.put(remoteId, at);
                } else if (entry.getList("fields", String.class, List.of()).contains("status")) {
                    statusChangedAt.put(remoteId, at);
                }
            }
        }
        List<RemovedDto> removed = new ArrayList<>();
        deletedAt.forEach((remoteId, at) -> {
            AccountUser user = users.get(remoteId);
            if (user != null && user.remoteWasDeleted()) {
                removed.add(removed(account, user, personOf.get(user), "deleted", at));
            }
        });
        statusChangedAt.forEach((remoteId, at) -> {
            AccountUser user = users.get(remoteId);
            if (user != null && !user.remoteWasDeleted() && "disabled".equals(user.status())) {
                removed.add(removed(account, user, personOf.get(user), "disabled", at));
            }
        });
        return removed;
    }

    private static RemovedDto removed(
            OwnerAccount account, AccountUser user, String personId, String change, Instant at) {
        return new RemovedDto(
                personId,
                account.id(),
                account.provider(),
                user.userId(),
                user.remoteId(),
                user.username(),
                user.primaryEmailAddress(),
                change,
                at);
    }
}
