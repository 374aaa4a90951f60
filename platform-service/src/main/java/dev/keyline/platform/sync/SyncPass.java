package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Projections;
import dev.keyline.connector.model.User;
import dev.keyline.platform.sync.SyncEvents.DirectoryChange;
import dev.keyline.platform.sync.SyncRun.SyncCounts;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
    static final String ROLE = "role";

    private final MongoStore store;
    private final String tenantId;
    private final String accountId;
    private final Clock clock;
    private final ExecutorService writer;
    private final RecordWrites recordWrites;
    private final SyncChangeLog changeLog;
    private final DeletionSweep deletionSweep;
    private final MembershipIndex membership = new MembershipIndex();
    private final Map<String, Boolean> emptyAtStart = new HashMap<>();
    /**
     * Per type, the records of the page applied last, by remote id. A provider paging by offset lists a record a
     * second time when one is added ahead of the cursor during the listing, and the copy lands on the next page; the
     * store cannot tell (the first copy may still be on its way to it, or its look-up was skipped), so this does.
     */
    private final Map<String, Map<String, Incoming>> lastPage = new HashMap<>();

    private volatile boolean rolesNotReadable;
    /** The previous page's record writes, still running: one page at most. */
    private Future<?> pending;

    private int pages;
    private int usersSeen;
    private int groupsSeen;
    private int rolesSeen;
    private int added;
    private int updated;
    private int deleted;
    private int reappeared;
    /** Per type, the records this run added or brought back: they were not active before it. */
    private final Map<String, Integer> newByType = new HashMap<>();

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
        this.clock = clock;
        this.recordWrites = new RecordWrites(tenantId, accountId, runId);
        this.changeLog = new SyncChangeLog(store, tenantId, accountId, runId, onChange);
        this.deletionSweep = new DeletionSweep(store, tenantId, accountId, runId, changeLog, this::now);
    }

    /** The connector the run reads with, once it is known: a label of the run's metrics and log lines. */
    private volatile String provider = "unknown";

    void provider(String connectorId) {
        this.provider = connectorId;
    }

    String provider() {
        return provider;
    }

    /** Set when the run turned out incremental (it is queued as full), for its metrics and log lines. */
    private volatile boolean incremental;

    void incremental() {
        this.incremental = true;
    }

    boolean isIncremental() {
        return incremental;
    }

    synchronized SyncCounts counts() {
        return new SyncCounts(pages, usersSeen, groupsSeen, rolesSeen, added, updated, deleted, reappeared);
    }

    /** Users the provider did not list in this run, written again for what changed around them: not counted as seen. */
    private void usersRejoined(List<Incoming> users) {
        apply(USER, store.users(), users, false);
    }

    void usersApply(List<Incoming> users) {
        apply(USER, store.users(), users);
    }

    void groupsApply(List<Incoming> groups) {
        apply(GROUP, store.groups(), groups);
    }

    void rolesApply(List<Incoming> roles) {
        apply(ROLE, store.roles(), roles);
    }

    /**
     * The index of this run's group and role listings, complete once both are walked; read-only from the first
     * user on.
     */
    MembershipIndex membership() {
        return membership;
    }

    /**
     * In an incremental run, after the changed users: joins every other active user again with the groups and roles
     * this run walked, and writes those whose memberships changed on the group or role side (an `updated` with
     * `groups` or `roles` among its fields). Users in {@code skip} were listed by the change feed already.
     */
    void rejoinUnlisted(java.util.Set<String> skip, int batchSize) {
        settle();
        List<Incoming> changed = new ArrayList<>();
        store.users()
                .find(and(account(), eq("remote_was_deleted", false)))
                .projection(Projections.include("remote_id", "record", "hash", "raw_json", "own_refs"))
                .forEach(d -> {
                    String remoteId = d.getString("remote_id");
                    if (skip.contains(remoteId)) {
                        return;
                    }
                    User stored = RecordCodec.user(remoteId, d.get("record", Document.class), null);
                    Incoming in = IncomingRecords.user(
                            RecordCodec.withOwnRefs(stored, d.get("own_refs", Document.class)),
                            membership,
                            d.getString("raw_json"));
                    if (!in.hash().equals(d.getString("hash"))) {
                        changed.add(in);
                    }
                });
        for (int from = 0; from < changed.size(); from += batchSize) {
            usersRejoined(changed.subList(from, Math.min(changed.size(), from + batchSize)));
        }
        settle();
    }

    /** In an incremental run: marks deleted the users the provider said were deleted. */
    void markRemoved(Collection<String> remoteIds, int batchSize) {
        settle();
        deletionSweep.markRemoved(SyncPass.USER, store.users(), remoteIds, batchSize, this::countDeleted);
    }

    /** After a successful run: records where the provider lists membership, for live reads to say. */
    void recordMembershipSource() {
        MembershipSource.record(
                store,
                tenantId,
                accountId,
                membership.membershipOnGroupsOnly() ? MembershipSource.ON_GROUPS_ONLY : MembershipSource.ON_USERS);
    }

    /**
     * One record as it will be stored, with the hash of its compared fields; a group or role carries what it adds to
     * the membership index ({@code links}), null for users.
     */
    record Incoming(
            String remoteId,
            Document record,
            String hash,
            String rawJson,
            Document extra,
            MembershipIndex.Links links) {
        Incoming(String remoteId, Document record, String hash, String rawJson, Document extra) {
            this(remoteId, record, hash, rawJson, extra, null);
        }
    }

    private void apply(String type, MongoCollection<Document> records, List<Incoming> listing) {
        apply(type, records, listing, true);
    }

    private void apply(String type, MongoCollection<Document> records, List<Incoming> listing, boolean seen) {
        Date now = now();
        // A record listed twice within the page counts once, with its last copy: two writes of one record in one
        // unordered bulk write could land in either order.
        Map<String, Incoming> listed = new LinkedHashMap<>(listing.size() * 2);
        listing.forEach(in -> listed.put(in.remoteId(), in));
        Collection<Incoming> page = listed.values();
        for (Incoming in : page) {
            if (in.links() != null) {
                membership.add(in.links());
            }
        }
        Map<String, Document> existing = new HashMap<>();
        if (!page.isEmpty() && !emptyAtStart(type, records)) {
            List<String> ids =
                    page.stream().map(in -> recordWrites.docId(in.remoteId())).toList();
            records.find(in("_id", ids))
                    .projection(Projections.include("remote_id", "record", "hash", "remote_was_deleted"))
                    .forEach(d -> existing.put(d.getString("remote_id"), d));
        }
        PagePlan plan = PagePlan.of(type, page, existing, lastPage.getOrDefault(type, Map.of()), recordWrites, now);
        lastPage.put(type, listed);
        // The page's change-log entries go before its records (see the class comment); the page before's records may
        // still be on their way meanwhile.
        changeLog.append(plan.changes(), now);
        int distinct = seen ? page.size() - plan.repeats() : 0;
        Runnable write = () -> {
            plan.write(records);
            counted(type, distinct, plan.added(), plan.updated(), plan.reappeared());
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
            switch (type) {
                case USER -> usersSeen += seen;
                case GROUP -> groupsSeen += seen;
                default -> rolesSeen += seen;
            }
            newByType.merge(type, pageAdded + pageReappeared, Integer::sum);
            added += pageAdded;
            updated += pageUpdated;
            reappeared += pageReappeared;
        }
    }

    /**
     * After a complete listing: refuses to go on when more than {@code maxShare} of the account's users (or
     * groups, or roles) would be marked deleted, else marks every record not seen in this run deleted.
     */
    void sweepDeleted(double maxShare, int batchSize) {
        sweepDeleted(maxShare, batchSize, java.util.Set.of(USER, GROUP, ROLE));
    }

    /** The account's grant may not read roles: this run leaves the stored roles as they are. */
    void rolesNotReadable() {
        rolesNotReadable = true;
    }

    /** As above, for the record types this run listed completely (never roles it could not read). */
    void sweepDeleted(double maxShare, int batchSize, java.util.Set<String> types) {
        if (rolesNotReadable && types.contains(ROLE)) {
            types = java.util.Set.copyOf(
                    types.stream().filter(t -> !ROLE.equals(t)).toList());
        }
        settle();
        Map<String, Integer> fresh;
        synchronized (this) {
            fresh = Map.copyOf(newByType);
        }
        deletionSweep.sweep(maxShare, batchSize, fresh, this::countDeleted, types);
    }

    private synchronized void countDeleted(int batch) {
        deleted += batch;
    }

    private Bson account() {
        return and(eq("tenant_id", tenantId), eq("account_id", accountId));
    }

    /** Now, at the precision MongoDB keeps. */
    private Date now() {
        return Date.from(clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }
}
