package dev.keyline.platform.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.platform.iam.IamDtos.PageDto;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Pages of synced reads, kept per replica while the account's records cannot change. A page is cached under the
 * version of {@link SyncReadState}, which changes whenever a run that may have written records ends, and is not
 * used at all while a run may be writing: a cached page is therefore exactly what the store would answer, on
 * every replica, with no time-based staleness. Keys hold the tenant, the account and the whole query (filters,
 * cursor, page size, raw), so one tenant's page can never answer another's request.
 *
 * <p>A cached page also keeps its JSON, encoded once by the application's mapper, which the page writer sends
 * as is: serialising 100 records was most of a cached read's cost. Bounded by records (LRU); pages of an
 * account's older versions are dropped as soon as a newer one is seen.
 */
@ApplicationScoped
public class SyncedReadCache {
    private static final int RAW_WEIGHT = 4;

    private record Key(String tenantId, String accountId, String version, String query) {}

    private record Entry(PageDto<?> page, byte[] json, long weight) {}

    private final long maxWeight;
    private final ObjectMapper mapper;
    private final LinkedHashMap<Key, Entry> pages = new LinkedHashMap<>(64, 0.75f, true);
    /** The JSON of each cached page object, found by identity (a page's equals would compare every record). */
    private final IdentityHashMap<PageDto<?>, byte[]> encoded = new IdentityHashMap<>();
    /** The newest version seen per tenant and account, to drop older pages early. */
    private final Map<String, String> versions = new HashMap<>();

    private long weight;
    private long hits;
    private long misses;

    public SyncedReadCache(ReadCacheConfig config, ObjectMapper mapper) {
        this.maxWeight = config.maxRecords();
        this.mapper = mapper;
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
            put(key, new Entry(frozen, encode(frozen), entryWeight));
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
        hits++;
        return (PageDto<T>) cached.page();
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

    private synchronized void put(Key key, Entry entry) {
        String account = key.tenantId() + '\n' + key.accountId();
        String newest = versions.get(account);
        if (newest != null && !newest.equals(key.version())) {
            dropAccount(key.tenantId(), key.accountId());
        }
        versions.put(account, key.version());
        Entry previous = pages.put(key, entry);
        if (previous != null) {
            weight -= previous.weight();
            encoded.remove(previous.page());
        }
        weight += entry.weight();
        encoded.put(entry.page(), entry.json());
        Iterator<Map.Entry<Key, Entry>> eldest = pages.entrySet().iterator();
        while (weight > maxWeight && eldest.hasNext()) {
            Map.Entry<Key, Entry> e = eldest.next();
            weight -= e.getValue().weight();
            encoded.remove(e.getValue().page());
            eldest.remove();
        }
    }

    private void dropAccount(String tenantId, String accountId) {
        Iterator<Map.Entry<Key, Entry>> it = pages.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Entry> e = it.next();
            if (e.getKey().accountId().equals(accountId)
                    && e.getKey().tenantId().equals(tenantId)) {
                weight -= e.getValue().weight();
                it.remove();
            }
        }
    }

    /** Drops everything cached for an account (its records were purged). */
    public synchronized void forget(String tenantId, String accountId) {
        dropAccount(tenantId, accountId);
        versions.remove(tenantId + '\n' + accountId);
    }

    /** Hits, misses, pages and records held, for tests and operators. */
    public synchronized Map<String, Long> stats() {
        return Map.of("hits", hits, "misses", misses, "pages", (long) pages.size(), "records", weight);
    }
}
