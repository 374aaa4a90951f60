package dev.keyline.platform.sync;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.WriteModel;
import dev.keyline.platform.sync.SyncPass.Incoming;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * What one page of a listing changes, judged against the stored records and the run's previous page before anything
 * is written: its change-log entries, its record writes and its counts.
 */
final class PagePlan {
    private final RecordWrites recordWrites;
    private final Date now;
    private final List<WriteModel<Document>> writes;
    private final List<Document> inserts = new ArrayList<>();
    private final List<Document> insertSets = new ArrayList<>();
    private final List<SyncChangeLog.Entry> changes = new ArrayList<>();
    private int added;
    private int updated;
    private int reappeared;
    private int repeats;

    private PagePlan(RecordWrites recordWrites, Date now, int size) {
        this.recordWrites = recordWrites;
        this.now = now;
        this.writes = new ArrayList<>(size);
    }

    /**
     * @param existing the page's records as stored, by remote id (none when the account had none of this type)
     * @param previous the run's previous page of this type, by remote id
     */
    static PagePlan of(
            String type,
            Collection<Incoming> page,
            Map<String, Document> existing,
            Map<String, Incoming> previous,
            RecordWrites recordWrites,
            Date now) {
        PagePlan plan = new PagePlan(recordWrites, now, page.size());
        for (Incoming in : page) {
            Incoming earlier = previous.get(in.remoteId());
            if (earlier != null) {
                plan.listedAgain(type, in, earlier);
            } else {
                plan.listed(type, in, existing.get(in.remoteId()));
            }
        }
        return plan;
    }

    /**
     * Listed again in this run: what was written for the first copy stands unless the record changed in between, and
     * it is not new a second time. Its first copy's write has settled by the time this page's is made.
     */
    private void listedAgain(String type, Incoming in, Incoming earlier) {
        repeats++;
        if (in.hash().equals(earlier.hash())) {
            return;
        }
        changes.add(new SyncChangeLog.Entry(
                type, "updated", in.remoteId(), RecordCodec.changedFields(earlier.record(), in.record())));
        updated++;
        writes.add(
                recordWrites.upsert(in.remoteId(), recordWrites.stored(in, now).append("changed_at", now), now));
    }

    private void listed(String type, Incoming in, Document before) {
        String change = null;
        List<String> fields = List.of();
        if (before == null) {
            change = "created";
            added++;
        } else if (Boolean.TRUE.equals(before.getBoolean("remote_was_deleted"))) {
            change = "reappeared";
            fields = RecordCodec.changedFields(before.get("record", Document.class), in.record());
            reappeared++;
        } else if (!in.hash().equals(before.getString("hash"))) {
            change = "updated";
            fields = RecordCodec.changedFields(before.get("record", Document.class), in.record());
            updated++;
        }
        Document set = recordWrites.stored(in, now);
        if (change != null) {
            set.append("changed_at", now);
            changes.add(new SyncChangeLog.Entry(type, change, in.remoteId(), fields));
        }
        if (before == null) {
            // New to the store (the common case of a first sync): a plain insert costs the server far less than an
            // upsert, which must look the key up and apply operators. A record inserted meanwhile (another writer's)
            // fails as a duplicate and is upserted (RecordWrites#insertOrUpsert).
            inserts.add(recordWrites.insert(in.remoteId(), set, now));
            insertSets.add(set);
            return;
        }
        writes.add(recordWrites.upsert(in.remoteId(), set, now));
    }

    List<SyncChangeLog.Entry> changes() {
        return changes;
    }

    /** Writes the page's records; safe on another thread once the plan is made. */
    void write(MongoCollection<Document> records) {
        if (!inserts.isEmpty()) {
            recordWrites.insertOrUpsert(records, inserts, insertSets, now);
        }
        if (!writes.isEmpty()) {
            records.bulkWrite(writes, new BulkWriteOptions().ordered(false));
        }
    }

    int added() {
        return added;
    }

    int updated() {
        return updated;
    }

    int reappeared() {
        return reappeared;
    }

    int repeats() {
        return repeats;
    }
}
