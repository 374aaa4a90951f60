package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Updates;
import dev.keyline.platform.directory.IamIds;
import dev.keyline.platform.sync.SyncEvents.DirectoryChange;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;
import org.bson.Document;

/**
 * One run's appends to an account's change log, numbered from the account's own sequence, and the
 * {@link DirectoryChange} announced for each entry once it is stored.
 */
final class SyncChangeLog {
    private final MongoStore store;
    private final String tenantId;
    private final String accountId;
    private final String runId;
    private final Consumer<DirectoryChange> onChange;

    /** One change to log: {@code type} is {@link SyncPass#USER}, {@link SyncPass#GROUP} or {@link SyncPass#ROLE}. */
    record Entry(String type, String change, String remoteId, List<String> fields) {}

    SyncChangeLog(
            MongoStore store, String tenantId, String accountId, String runId, Consumer<DirectoryChange> onChange) {
        this.store = store;
        this.tenantId = tenantId;
        this.accountId = accountId;
        this.runId = runId;
        this.onChange = onChange;
    }

    /** Appends change-log entries under a block of this account's sequence numbers, reserved in one update. */
    void append(List<Entry> changes, Date at) {
        if (changes.isEmpty()) {
            return;
        }
        Document counter = store.sequences()
                .findOneAndUpdate(
                        eq("_id", tenantId + "|" + accountId),
                        Updates.inc("value", (long) changes.size()),
                        new FindOneAndUpdateOptions().upsert(true).returnDocument(ReturnDocument.AFTER));
        long first = ((Number) counter.get("value")).longValue() - changes.size() + 1;
        List<Document> entries = new ArrayList<>(changes.size());
        List<DirectoryChange> events = new ArrayList<>(changes.size());
        long sequence = first;
        for (Entry change : changes) {
            String id = switch (change.type()) {
                case SyncPass.USER -> IamIds.user(change.remoteId());
                case SyncPass.GROUP -> IamIds.group(change.remoteId());
                default -> IamIds.role(change.remoteId());
            };
            entries.add(new Document("tenant_id", tenantId)
                    .append("account_id", accountId)
                    .append("sequence", sequence)
                    .append("type", change.type())
                    .append("change", change.change())
                    .append("id", id)
                    .append("remote_id", change.remoteId())
                    .append("fields", change.fields())
                    .append("run_id", runId)
                    .append("at", at));
            events.add(new DirectoryChange(
                    tenantId,
                    accountId,
                    sequence,
                    change.type(),
                    change.change(),
                    id,
                    change.remoteId(),
                    change.fields(),
                    at.toInstant()));
            sequence++;
        }
        store.changes().insertMany(entries);
        events.forEach(onChange);
    }
}
