package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.ne;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import dev.keyline.platform.base.FailureCode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * After a run's complete listing: the records it did not see are marked deleted, in batches, unless that would
 * delete more of the account than one sync may (the deletion guard).
 */
final class DeletionSweep {
    private final MongoStore store;
    private final String tenantId;
    private final String accountId;
    private final String runId;
    private final SyncChangeLog changeLog;
    private final Supplier<Date> clock;

    DeletionSweep(
            MongoStore store,
            String tenantId,
            String accountId,
            String runId,
            SyncChangeLog changeLog,
            Supplier<Date> clock) {
        this.store = store;
        this.tenantId = tenantId;
        this.accountId = accountId;
        this.runId = runId;
        this.changeLog = changeLog;
        this.clock = clock;
    }

    /**
     * Refuses to go on when more than {@code maxShare} of the account's users (or groups, or roles) would be marked
     * deleted, else marks every record not seen in this run deleted. {@code fresh} holds, per record type, the
     * records this run added or brought back, which were not active before it; {@code deleted} hears of each batch
     * marked.
     */
    void sweep(double maxShare, int batchSize, Map<String, Integer> fresh, IntConsumer deleted, Set<String> types) {
        Map<String, MongoCollection<Document>> swept = new LinkedHashMap<>();
        if (types.contains(SyncPass.USER)) {
            swept.put(SyncPass.USER, store.users());
        }
        if (types.contains(SyncPass.GROUP)) {
            swept.put(SyncPass.GROUP, store.groups());
        }
        if (types.contains(SyncPass.ROLE)) {
            swept.put(SyncPass.ROLE, store.roles());
        }
        swept.forEach((type, records) -> guard(type + "s", records, fresh.getOrDefault(type, 0), maxShare));
        swept.forEach((type, records) -> markDeleted(type, records, batchSize, deleted));
    }

    /**
     * Marks deleted the records the provider said were deleted (an incremental run's removals): no guard, as nothing
     * is inferred from absence.
     */
    void markRemoved(
            String type,
            MongoCollection<Document> records,
            Collection<String> remoteIds,
            int batchSize,
            IntConsumer deleted) {
        List<String> ids = List.copyOf(new java.util.LinkedHashSet<>(remoteIds));
        for (int from = 0; from < ids.size(); from += batchSize) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + batchSize));
            List<String> batch = new ArrayList<>(chunk.size());
            List<String> docIds = new ArrayList<>(chunk.size());
            records.find(and(account(), eq("remote_was_deleted", false), in("remote_id", chunk)))
                    .projection(Projections.include("_id", "remote_id"))
                    .forEach(d -> {
                        batch.add(d.getString("remote_id"));
                        docIds.add(d.getString("_id"));
                    });
            mark(type, records, batch, docIds, deleted);
        }
    }

    private void guard(String what, MongoCollection<Document> records, int fresh, double maxShare) {
        long stale = records.countDocuments(stale());
        long activeBefore = records.countDocuments(and(account(), eq("remote_was_deleted", false))) - fresh;
        guard(what, stale, activeBefore, maxShare);
    }

    private static void guard(String what, long stale, long activeBefore, double maxShare) {
        if (stale > 0 && stale > maxShare * activeBefore) {
            long percent = Math.round(100.0 * stale / activeBefore);
            throw new SyncFailure(
                    FailureCode.DELETION_GUARD,
                    String.format(
                            Locale.ROOT,
                            "This sync would mark %d of %d %s deleted (%d%%), more than the %d%% one sync may delete;"
                                    + " nothing was marked deleted. If the provider's directory really shrank this"
                                    + " much, confirm with POST /accounts/{id}/syncs {\"confirm_deletions\": true};"
                                    + " otherwise the provider's listing was incomplete.",
                            stale,
                            activeBefore,
                            what,
                            percent,
                            Math.round(100 * maxShare)));
        }
    }

    private void markDeleted(String type, MongoCollection<Document> records, int batchSize, IntConsumer deleted) {
        while (true) {
            List<String> batch = new ArrayList<>(batchSize);
            List<String> docIds = new ArrayList<>(batchSize);
            // Re-queried each round: marked records leave the filter, so this ends and a crash can resume it.
            records.find(stale())
                    .projection(Projections.include("_id", "remote_id"))
                    .sort(new Document("remote_id", 1))
                    .limit(batchSize)
                    .forEach(d -> {
                        batch.add(d.getString("remote_id"));
                        docIds.add(d.getString("_id"));
                    });
            if (batch.isEmpty()) {
                return;
            }
            mark(type, records, batch, docIds, deleted);
        }
    }

    private void mark(
            String type,
            MongoCollection<Document> records,
            List<String> batch,
            List<String> docIds,
            IntConsumer deleted) {
        if (batch.isEmpty()) {
            return;
        }
        Date now = clock.get();
        changeLog.append(
                batch.stream()
                        .map(id -> new SyncChangeLog.Entry(type, "deleted", id, List.of()))
                        .toList(),
                now);
        List<WriteModel<Document>> writes = List.of(new UpdateManyModel<>(
                in("_id", docIds),
                Updates.combine(
                        Updates.set("remote_was_deleted", true),
                        Updates.set("deleted_at", now),
                        Updates.set("changed_at", now))));
        records.bulkWrite(writes);
        deleted.accept(batch.size());
    }

    private Bson account() {
        return and(eq("tenant_id", tenantId), eq("account_id", accountId));
    }

    private Bson stale() {
        return and(account(), eq("remote_was_deleted", false), ne("seen_in_run", runId));
    }
}
