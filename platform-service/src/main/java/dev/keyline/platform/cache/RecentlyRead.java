package dev.keyline.platform.cache;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Values read from PostgreSQL a moment ago, kept for a short time-to-live so that hot requests skip the query. The
 * owner drops an entry as soon as it commits a change to what it caches (so this replica never serves a value
 * older than its own last write), and another replica's change is seen once the entry expires: the TTL is the
 * staleness bound, counted from when the query that read the value began.
 *
 * <p>A read that raced with an invalidation cannot put its older value back: every invalidation moves a generation
 * first, and a value is only kept if the generation did not move while it was read. Keys must hold everything
 * that scopes the value (a tenant id for tenant data), so one tenant's entry never answers another's request.
 * Bounded: past {@code maxEntries} expired entries are swept, then everything is dropped (rare and cheap).
 */
public final class RecentlyRead<K, V> {
    private record Entry<V>(V value, long readAt) {}

    private final ConcurrentMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier clock;

    public RecentlyRead(long ttlNanos, int maxEntries) {
        this(ttlNanos, maxEntries, System::nanoTime);
    }

    RecentlyRead(long ttlNanos, int maxEntries, LongSupplier clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
        this.ttlNanos = Math.max(0, ttlNanos);
        this.maxEntries = maxEntries;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The value read less than the TTL ago, if any. */
    public Optional<V> recent(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (clock.getAsLong() - entry.readAt() >= ttlNanos) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    /**
     * The recent value, or {@code read}'s, which is kept unless it is null (nothing is kept for a failed read: a
     * thrown problem, such as a 404, is asked again next time).
     */
    public V get(K key, Supplier<V> read) {
        Optional<V> recent = recent(key);
        if (recent.isPresent()) {
            return recent.get();
        }
        long seen = generation.get();
        long readAt = clock.getAsLong();
        V value = read.get();
        if (value != null) {
            keep(key, value, seen, readAt);
        }
        return value;
    }

    private void keep(K key, V value, long seen, long readAt) {
        if (ttlNanos == 0 || generation.get() != seen) {
            return;
        }
        if (entries.size() >= maxEntries) {
            long now = clock.getAsLong();
            entries.values().removeIf(e -> now - e.readAt() >= ttlNanos);
            if (entries.size() >= maxEntries) {
                entries.clear();
            }
        }
        entries.put(key, new Entry<>(value, readAt));
        if (generation.get() != seen) {
            // An invalidation ran meanwhile and may have missed this entry.
            entries.remove(key);
        }
    }

    /** Drops the key's entry; call once the change to its value is committed. */
    public void forget(K key) {
        generation.incrementAndGet();
        entries.remove(key);
    }

    /** Drops every entry that matches, by key and value (all of a tenant's, say). */
    public void forgetAll(BiPredicate<K, V> which) {
        generation.incrementAndGet();
        entries.entrySet().removeIf(e -> which.test(e.getKey(), e.getValue().value()));
    }

    public int size() {
        return entries.size();
    }
}
