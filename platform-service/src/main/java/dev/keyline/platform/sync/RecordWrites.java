package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.WriteModel;
import dev.keyline.platform.sync.SyncPass.Incoming;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/** The documents one run writes for the records a listing saw: inserts for new ones, upserts for the rest. */
final class RecordWrites {
    private static final int DUPLICATE_KEY = 11000;

    private final String tenantId;
    private final String accountId;
    private final String runId;

    RecordWrites(String tenantId, String accountId, String runId) {
        this.tenantId = tenantId;
        this.accountId = accountId;
        this.runId = runId;
    }

    /** The fields a listing sets on a record it saw. */
    Document stored(Incoming in, Date now) {
        Document set = new Document("record", in.record())
                .append("raw_json", in.rawJson())
                .append("hash", in.hash())
                .append("last_seen_at", now)
                .append("seen_in_run", runId)
                .append("remote_was_deleted", false)
                .append("deleted_at", null);
        set.putAll(in.extra());
        return set;
    }

    /** A new record's whole document: what {@link #upsert} would set on insert, and {@code set}. */
    Document insert(String remoteId, Document set, Date now) {
        Document insert = new Document("_id", docId(remoteId))
                .append("tenant_id", tenantId)
                .append("account_id", accountId)
                .append("remote_id", remoteId)
                .append("first_seen_at", now);
        insert.putAll(set);
        return insert;
    }

    UpdateOneModel<Document> upsert(String remoteId, Document set, Date now) {
        return new UpdateOneModel<>(
                eq("_id", docId(remoteId)),
                new Document("$set", set)
                        .append(
                                "$setOnInsert",
                                new Document("tenant_id", tenantId)
                                        .append("account_id", accountId)
                                        .append("remote_id", remoteId)
                                        .append("first_seen_at", now)),
                new UpdateOptions().upsert(true));
    }

    /** Inserts new records; any that exist by now (a duplicate key) are upserted instead, as before. */
    void insertOrUpsert(MongoCollection<Document> records, List<Document> inserts, List<Document> sets, Date now) {
        try {
            records.insertMany(inserts, new InsertManyOptions().ordered(false));
        } catch (MongoBulkWriteException e) {
            List<WriteModel<Document>> again = new ArrayList<>();
            for (BulkWriteError error : e.getWriteErrors()) {
                if (error.getCode() != DUPLICATE_KEY) {
                    throw e;
                }
                Document insert = inserts.get(error.getIndex());
                again.add(upsert(insert.getString("remote_id"), sets.get(error.getIndex()), now));
            }
            if (!again.isEmpty()) {
                records.bulkWrite(again, new BulkWriteOptions().ordered(false));
            }
        }
    }

    String docId(String remoteId) {
        return MongoStore.docId(tenantId, accountId, remoteId);
    }
}
