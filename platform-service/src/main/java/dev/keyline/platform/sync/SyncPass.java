package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Filters.ne;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.UpdateManyModel;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import com.mongodb.client.model.WriteModel;
import dev.keyline.connector.model.Group;
import dev.keyline.connector.model.User;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.directory.IamIds;
import dev.keyline.platform.sync.SyncEvents.DirectoryChange;
import dev.keyline.platform.sync.SyncRun.SyncCounts;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * One run's writes to the store. Pages are applied as they arrive; deletions are only judged by {@link #sweepDeleted}
 * after the whole listing succeeded. With a writer, a page's records are written while the next page is looked up and
 * its changes logged (memory holds those two pages); without one, in line.
 *
 * <p>Without transactions, each page writes its change-log entries before its records, so a crash between the two
 * repeats the entries on the next sync rather than losing them: the change feed is at-least-once.
 */
final class SyncPass {
    static final String USER = "user";
    static final String GROUP = "group";
    private static final int DUPLICATE_KEY = 11000;

    private final MongoStore store;
    private final String tenantId;
    private final String accountId;
    private final String runId;
    private final Clock clock;
    private final Consumer<DirectoryChange> onChange;
    private final ExecutorService writer;
    private final Map<String, Boolean> emptyAtStart = new HashMap<>();
    /**
     * Per type, the records of the page applied last, by remote id. A provider paging by offset lists a record a
     * second time when one is added ahead of the cursor during the listing, and the copy lands on the next page; the
     * store cannot tell (the first copy may still be on its way to it, or its look-up was skipped), so this does.
     */
    private final Map<String, Map<String, Incoming>> lastPage = new HashMap<>();
    /** The previous page's record writes, still running: one page at most. */
    private Future<?> pending;

    private int pages;
    private int usersSeen;
    private int groupsSeen;
    private int added;
    private int updated;
    private int deleted;
    private int reappeared;
    private int usersAdded;
    private int usersReappeared;

    SyncPass(
            MongoStore store,
            String tenantId,
            String accountId,
            String runId,
            Clock clock,
            Consumer<DirectoryChange> onChange) {
        this(store, tenantId, accountId, runId, clock, onChange, null);
    }

    /**
     * @param writer writes each page's records while the next page is looked up and logged, or null to write them in
     *     line
     */
    SyncPass(
            MongoStore store,
            String tenantId,
            String accountId,
            String runId,
            Clock clock,
            Consumer<DirectoryChange> onChange,
            ExecutorService writer) {
        this.writer = writer;
        this.store = store;
        this.tenantId = tenantId;
        this.accountId = accountId;
        this.runId = runId;
        this.clock = clock;
        this.onChange = onChange;
    }

    synchronized SyncCounts counts() {
        return new SyncCounts(pages, usersSeen, groupsSeen, added, updated, deleted, reappeared);
    }

    /** Builds the records of a page of users; needs no store, so it runs on the thread that fetched the page. */
    static List<Incoming> users(List<User> users) {
        List<Incoming> incoming = new ArrayList<>(users.size());
        for (User user : users) {
            Document record = RecordCodec.user(user.withoutRaw());
            Document extra = new Document("username_lc", RecordCodec.lower(user.username()))
                    .append("emails_lc", RecordCodec.emailKeys(user))
                    .append("status", user.status().value().wireName());
            incoming.add(new Incoming(
                    user.remoteId(), record, RecordCodec.hash(record), RecordCodec.rawJson(user.raw()), extra));
        }
        return incoming;
    }

    /** As {@link #users}, for groups. */
    static List<Incoming> groups(List<Group> groups) {
        List<Incoming> incoming = new ArrayList<>(groups.size());
        for (Group group : groups) {
            Document record = RecordCodec.group(group.withoutRaw());
            Document extra = new Document("name_lc", RecordCodec.lower(group.name()));
            incoming.add(new Incoming(
                    group.remoteId(), record, RecordCodec.hash(record), RecordCodec.rawJson(group.raw()), extra));
        }
        return incoming;
    }

    void usersApply(List<Incoming> users) {
        apply(USER, store.users(), users);
    }

    void groupsApply(List<Incoming> groups) {
        apply(GROUP, store.groups(), groups);
    }

    /** One record as it will be stored, with the hash of its compared fields. */
    record Incoming(String remoteId, Document record, String hash, String rawJson, Document extra) {}

    private record Pending(String type, String change, String remoteId, List<String> fields) {}

    private void apply(String type, MongoCollection<Document> records, List<Incoming> listing) {
        Date now = Date.from(now());
        // A record listed twice within the page counts once, with its last copy: two writes of one record in one
        // unordered bulk write could land in either order.
        Map<String, Incoming> listed = new LinkedHashMap<>(listing.size() * 2);
        listing.forEach(in -> listed.put(in.remoteId(), in));
        Collection<Incoming> page = listed.values();
        Map<String, Document> existing = new HashMap<>();
        if (!page.isEmpty() && !emptyAtStart(type, records)) {
            List<String> ids = page.stream().map(in -> docId(in.remoteId())).toList();
            records.find(in("_id", ids))
                    .projection(Projections.include("remote_id", "record", "hash", "remote_was_deleted"))
                    .forEach(d -> existing.put(d.getString("remote_id"), d));
        }
        List<WriteModel<Document>> writes = new ArrayList<>(page.size());
        List<Document> inserts = new ArrayList<>();
        List<Document> insertSets = new ArrayList<>();
        List<Pending> changes = new ArrayList<>();
        int pageAdded = 0;
        int pageUpdated = 0;
        int pageReappeared = 0;
        Map<String, Incoming> previous = lastPage.getOrDefault(type, Map.of());
        int repeats = 0;
        for (Incoming in : page) {
            String hash = in.hash();
            Incoming earlier = previous.get(in.remoteId());
            if (earlier != null) {
                repeats++;
                // Listed again in this run: what was written for the first copy stands unless the record changed
                // in between, and it is not new a second time. Its first copy's write has settled by the time this
                // page's is made.
                if (hash.equals(earlier.hash())) {
                    continue;
                }
                changes.add(new Pending(
                        type, "updated", in.remoteId(), RecordCodec.changedFields(earlier.record(), in.record())));
                pageUpdated++;
                writes.add(upsert(in.remoteId(), stored(in, now).append("changed_at", now), now));
                continue;
            }
            Document before = existing.get(in.remoteId());
            String change = null;
            List<String> fields = List.of();
            if (before == null) {
                change = "created";
                pageAdded++;
            } else if (Boolean.TRUE.equals(before.getBoolean("remote_was_deleted"))) {
                change = "reappeared";
                fields = RecordCodec.changedFields(before.get("record", Document.class), in.record());
                pageReappeared++;
            } else if (!hash.equals(before.getString("hash"))) {
                change = "updated";
                fields = RecordCodec.changedFields(before.get("record", Document.class), in.record());
                pageUpdated++;
            }
            Document set = stored(in, now);
            if (change != null) {
                set.append("changed_at", now);
                changes.add(new Pending(type, change, in.remoteId(), fields));
            }
            if (before == null) {
                // New to the store (the common case of a first sync): a plain insert costs the server far less than
                // an upsert, which must look the key up and apply operators. A record inserted meanwhile (another
                // writer's) fails as a duplicate and is upserted below.
                Document insert = new Document("_id", docId(in.remoteId()))
                        .append("tenant_id", tenantId)
                        .append("account_id", accountId)
                        .append("remote_id", in.remoteId())
                        .append("first_seen_at", now);
                insert.putAll(set);
                inserts.add(insert);
                insertSets.add(set);
                continue;
            }
            writes.add(upsert(in.remoteId(), set, now));
        }
        lastPage.put(type, listed);
        // The page's change-log entries go before its records (see the class comment); the page before's records may
        // still be on their way meanwhile.
        log(changes, now);
        int distinct = page.size() - repeats;
        int newOnes = pageAdded;
        int changedOnes = pageUpdated;
        int backAgain = pageReappeared;
        Runnable write = () -> {
            if (!inserts.isEmpty()) {
                insertOrUpsert(records, inserts, insertSets, now);
            }
            if (!writes.isEmpty()) {
                records.bulkWrite(writes, new BulkWriteOptions().ordered(false));
            }
            counted(type, distinct, newOnes, changedOnes, backAgain);
        };
        settle();
        if (writer == null) {
            write.run();
            return;
        }
        try {
            pending = writer.submit(write);
        } catch (RejectedExecutionException e) {
            // The service is stopping: written in line, where the run's next check ends it.
            write.run();
        }
    }

    /**
     * Whether the account had no records of this type when the run began: then every record is new and the lookup of
     * each page's records can be skipped (a first sync, the costly one). Only this run writes the account's records
     * (the lease), so nothing appears meanwhile; a record listed twice on neighbouring pages is caught by
     * {@link #lastPage}, and one listed again further on meets its first insert as a duplicate and is upserted (then
     * counted and logged as created twice: a listing that repeats records that far apart is broken anyway).
     */
    private boolean emptyAtStart(String type, MongoCollection<Document> records) {
        return emptyAtStart.computeIfAbsent(
                type,
                t -> records.find(account())
                                .projection(Projections.include("_id"))
                                .limit(1)
                                .first()
                        == null);
    }

    /**
     * Waits for the page whose records are still being written, and fails as it did. Counts include a page only
     * once its records are written.
     */
    void settle() {
        Future<?> writing = pending;
        pending = null;
        if (writing == null) {
            return;
        }
        PrefetchingPages.await(writing, "writing a page");
    }

    /** As {@link #settle}, when the run has already failed: a failed write then adds nothing to say. */
    void settleQuietly() {
        try {
            settle();
        } catch (RuntimeException e) {
            // The run's own failure is what gets recorded.
        }
    }

    private void counted(String type, int seen, int pageAdded, int pageUpdated, int pageReappeared) {
        synchronized (this) {
            pages++;
            if (USER.equals(type)) {
                usersSeen += seen;
                usersAdded += pageAdded;
                usersReappeared += pageReappeared;
            } else {
                groupsSeen += seen;
            }
            added += pageAdded;
            updated += pageUpdated;
            reappeared += pageReappeared;
        }
    }

    /** The fields a listing sets on a record it saw. */
    private Document stored(Incoming in, Date now) {
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

    private UpdateOneModel<Document> upsert(String remoteId, Document set, Date now) {
        return new UpdateOneModel<>(
                key(remoteId),
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
    private void insertOrUpsert(
            MongoCollection<Document> records, List<Document> inserts, List<Document> sets, Date now) {
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

    /**
     * After a complete listing: refuses to go on when more than {@code maxShare} of the account's users (or
     * groups) would be marked deleted, else marks every record not seen in this run deleted.
     */
    void sweepDeleted(double maxShare, int batchSize) {
        settle();
        long staleUsers = store.users().countDocuments(stale());
        long activeUsersBefore = store.users().countDocuments(and(account(), eq("remote_was_deleted", false)))
                - usersAdded
                - usersReappeared;
        guard("users", staleUsers, activeUsersBefore, maxShare);
        long staleGroups = store.groups().countDocuments(stale());
        long activeGroupsBefore = store.groups().countDocuments(and(account(), eq("remote_was_deleted", false)))
                - (added - usersAdded)
                - (reappeared - usersReappeared);
        guard("groups", staleGroups, activeGroupsBefore, maxShare);
        markDeleted(USER, store.users(), batchSize);
        markDeleted(GROUP, store.groups(), batchSize);
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

    private void markDeleted(String type, MongoCollection<Document> records, int batchSize) {
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
            Date now = Date.from(now());
            log(
                    batch.stream()
                            .map(id -> new Pending(type, "deleted", id, List.of()))
                            .toList(),
                    now);
            List<WriteModel<Document>> writes = List.of(new UpdateManyModel<>(
                    in("_id", docIds),
                    Updates.combine(
                            Updates.set("remote_was_deleted", true),
                            Updates.set("deleted_at", now),
                            Updates.set("changed_at", now))));
            records.bulkWrite(writes);
            synchronized (this) {
                deleted += batch.size();
            }
        }
    }

    /** Appends change-log entries under a block of this account's sequence numbers, reserved in one update. */
    private void log(List<Pending> changes, Date at) {
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
        for (Pending change : changes) {
            String id = USER.equals(change.type()) ? IamIds.user(change.remoteId()) : IamIds.group(change.remoteId());
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

    private Bson account() {
        return and(eq("tenant_id", tenantId), eq("account_id", accountId));
    }

    private Bson key(String remoteId) {
        return eq("_id", docId(remoteId));
    }

    private String docId(String remoteId) {
        return MongoStore.docId(tenantId, accountId, remoteId);
    }

    private Bson stale() {
        return and(account(), eq("remote_was_deleted", false), ne("seen_in_run", runId));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
