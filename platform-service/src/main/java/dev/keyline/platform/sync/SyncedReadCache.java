package dev.keyline.platform.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.account.AccountUnlinked;
import dev.keyline.platform.directory.IamDtos.PageDto;
import dev.keyline.platform.sync.SyncEvents.SyncFinished;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Pages of synced reads, kept per replica while the account's records cannot change. A page is cached under the
 * version of {@link SyncReadState}, which changes whenever a run that may have written records ends, and is not
 * used at all while a run may be writing: a cached page is therefore exactly what the store would answer, on
 * every replica, with no time-based staleness. Keys hold the tenant, the account and the whole query (filters,
 * cursor, page size, raw), so one tenant's page can never answer another's request.
 *
 * <p>A cached page also keeps its JSON, encoded once by the application's mapper, which the page writer sends
 * as is: serialising 100 records was most of a cached read's cost.
 *
 * <p>Bounded by records (LRU) and by idle time ({@link ReadCacheConfig}). An account's pages go as a whole when a
 * newer version of it is seen, when a sync of it ends on this replica, and when it is unlinked; every way out of
 * the cache goes through {@link #remove}, so a page's JSON and its account's index never outlive the page.
 */
@ApplicationScoped
public class SyncedReadCache {
    private static final int RAW_WEIGHT = 4;

    private record Key(String tenantId, String accountId, String version, String query) {
        AccountKey account() {
            return new AccountKey(tenantId, accountId);
        }
    }

    private record AccountKey(String tenantId, String accountId) {}

    private static final class Entry {
        final PageDto<?> page;
        final byte[] json;
        final long weight;
        /** When the page was last handed out (nanoTime); the access order of {@link #pages} keeps it ascending. */
        long usedAt;

        Entry(PageDto<?> page, byte[] json, long weight, long usedAt) {
            this.page = page;
            this.json = json;
            this.weight = weight;
            this.usedAt = usedAt;
        }
    }

    /** The version an account's cached pages are of, and their keys, so dropping an account does not scan. */
    private record AccountPages(String version, Set<Key> keys) {}

    private final long maxWeight;
    private final long maxIdleNanos;
    private final ObjectMapper mapper;
    private final LongSupplier nanoTime;
    private final LinkedHashMap<Key, Entry> pages = new LinkedHashMap<>(64, 0.75f, true);
    /** The JSON of each cached page object, found by identity (a page's equals would compare every record). */
    private final IdentityHashMap<PageDto<?>, byte[]> encoded = new IdentityHashMap<>();

    private final Map<AccountKey, AccountPages> accounts = new HashMap<>();

    private long weight;
    private long hits;
    private long misses;

    @Inject
    public SyncedReadCache(ReadCacheConfig config, ObjectMapper mapper) {
        this(config, mapper, System::nanoTime);
    }

    SyncedReadCache(ReadCacheConfig config, ObjectMapper mapper, LongSupplier nanoTime) {
        this.maxWeight = config.maxRecords();
        this.maxIdleNanos = config.maxIdle().toNanos();
        this.mapper = mapper;
        this.nanoTime = nanoTime;
    }

    /**
     * The cached page for this query of the account's content in this state, or null (a miss is not counted: the
     * caller goes on to {@link #page}, which counts it). Never blocks beyond this cache's own lock.
     */
    public <T> PageDto<T> cached(String tenantId, String accountId, SyncReadState.State state, String query) {
        return cacheable(state) ? hit(new Key(tenantId, accountId, state.version(), query)) : null;
    }

    /**
     * The cached page for this query of the account's current content, or {@code load}'s page, cached when the
     * state allows it.
     */
    public <T> PageDto<T> page(
            String tenantId,
            String accountId,
            SyncReadState.State state,
            String query,
            boolean raw,
            Supplier<PageDto<T>> load) {
        if (!cacheable(state)) {
            return load.get();
        }
        Key key = new Key(tenantId, accountId, state.version(), query);
        PageDto<T> hit = hit(key);
        if (hit != null) {
            return hit;
        }
        synchronized (this) {
            misses++;
        }
        PageDto<T> loaded = load.get();
        PageDto<T> frozen = new PageDto<>(List.copyOf(loaded.data()), loaded.next(), loaded.meta());
        long entryWeight = Math.max(1, (long) frozen.data().size() * (raw ? RAW_WEIGHT : 1));
        if (entryWeight <= maxWeight) {
            put(key, frozen, encode(frozen), entryWeight);
        }
        return frozen;
    }

    /** Whether pages of this state may be kept: the cache is on, no run is writing, and the store has a version. */
    private boolean cacheable(SyncReadState.State state) {
        return maxWeight > 0 && !state.busy() && state.version() != null;
    }

    @SuppressWarnings("unchecked")
    private synchronized <T> PageDto<T> hit(Key key) {
        Entry cached = pages.get(key);
        if (cached == null) {
            return null;
        }
        long now = nanoTime.getAsLong();
        if (now - cached.usedAt > maxIdleNanos) {
            remove(key, cached);
            return null;
        }
        cached.usedAt = now;
        hits++;
        return (PageDto<T>) cached.page;
    }

    /** The JSON of a page this cache handed out and still holds, or null: the writer then encodes it itself. */
    public synchronized byte[] json(PageDto<?> page) {
        return encoded.get(page);
    }

    private byte[] encode(PageDto<?> page) {
        try {
            return mapper.writeValueAsBytes(page);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("could not encode a synced page", e);
        }
    }

    private synchronized void put(Key key, PageDto<?> page, byte[] json, long entryWeight) {
        long now = nanoTime.getAsLong();
        Entry previous = pages.remove(key);
        if (previous != null) {
            unindex(key, previous);
        }
        AccountKey account = key.account();
        AccountPages held = accounts.get(account);
        if (held != null && !held.version().equals(key.version())) {
            dropAccount(account);
            held = null;
        }
        if (held == null) {
            held = new AccountPages(key.version(), new HashSet<>());
            accounts.put(account, held);
        }
        pages.put(key, new Entry(page, json, entryWeight, now));
        held.keys().add(key);
        encoded.put(page, json);
        weight += entryWeight;
        evictEldest(now);
    }

    /** Drops least recently used pages while over the bound, and pages unread for longer than the idle limit. */
    private void evictEldest(long now) {
        Iterator<Map.Entry<Key, Entry>> eldest = pages.entrySet().iterator();
        while (eldest.hasNext()) {
            Map.Entry<Key, Entry> e = eldest.next();
            if (weight <= maxWeight && now - e.getValue().usedAt <= maxIdleNanos) {
                return;
            }
            eldest.remove();
            unindex(e.getKey(), e.getValue());
        }
    }

    private void remove(Key key, Entry entry) {
        pages.remove(key);
        unindex(key, entry);
    }

    /** Everything but the page map itself: the weight, the page's JSON and its account's index. */
    private void unindex(Key key, Entry entry) {
        weight -= entry.weight;
        encoded.remove(entry.page);
        AccountKey account = key.account();
        AccountPages held = accounts.get(account);
        if (held != null && held.keys().remove(key) && held.keys().isEmpty()) {
            accounts.remove(account);
        }
    }

    private void dropAccount(AccountKey account) {
        AccountPages held = accounts.remove(account);
        if (held == null) {
            return;
        }
        for (Key key : held.keys()) {
            Entry entry = pages.remove(key);
            if (entry != null) {
                weight -= entry.weight;
                encoded.remove(entry.page);
            }
        }
    }

    /** Drops everything cached for an account (its records were purged, or replaced by a sync). */
    public synchronized void forget(String tenantId, String accountId) {
        dropAccount(new AccountKey(tenantId, accountId));
    }

    /** Drops the pages unread for longer than the idle limit. */
    synchronized void sweep() {
        evictEldest(nanoTime.getAsLong());
    }

    void onUnlinked(@Observes AccountUnlinked event) {
        forget(event.tenantId(), event.accountId());
    }

    /**
     * A run that ended may have replaced the account's records, and its end is the account's new version: no page
     * of the old one can be asked for again. Other replicas drop theirs when they next see the new version.
     */
    void onSyncFinished(@Observes SyncFinished event) {
        forget(event.run().tenantId(), event.run().accountId());
        sweep();
    }

    /** Hits, misses, pages, records, encoded pages and accounts held, for tests and operators. */
    public synchronized Map<String, Long> stats() {
        return Map.of(
                "hits",
                hits,
                "misses",
                misses,
                "pages",
                (long) pages.size(),
                "records",
                weight,
                "encoded",
                (long) encoded.size(),
                "accounts",
                (long) accounts.size());
    }
}
