package dev.keyline.platform.cache;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Reads of a key that callers arriving together share, where every caller gets a read that <em>began after it
 * arrived</em>: never an older one. Like a group commit: while a read of the key is in flight, newcomers wait for
 * the next one, which begins as soon as the current one ends, and which all of them share (callers join a
 * read until it begins, not just until it is submitted). So a value is exactly
 * as fresh as if each caller had read on its own, while a hot key costs about one read per read's duration
 * instead of one per caller.
 *
 * <p>Reads run on {@code executor}, one at a time per key; a failed read fails the callers that shared it (and
 * only them). Idle keys hold no memory.
 */
public final class SharedFreshReads<K, V> {

    private static final class Slot<V> {
        /** A read of the key is submitted or in flight. */
        boolean running;
        /** The callers waiting for a read that has not begun yet; null when there are none. */
        CompletableFuture<V> next;
        /** Removed from the map: a caller that still found it must look again. */
        boolean retired;
    }

    private final ConcurrentMap<K, Slot<V>> slots = new ConcurrentHashMap<>();
    private final Function<K, V> read;
    private final Executor executor;

    /** {@code read} is called on {@code executor}, never on the caller's thread, and may block. */
    public SharedFreshReads(Function<K, V> read, Executor executor) {
        this.read = requireNonNull(read, "read is null");
        this.executor = requireNonNull(executor, "executor is null");
    }

    /**
     * The value of a read of {@code key} that begins after this call. Each caller gets a future of its own:
     * cancelling it leaves the others' alone.
     */
    public CompletableFuture<V> get(K key) {
        requireNonNull(key, "key is null");
        while (true) {
            Slot<V> slot = slots.computeIfAbsent(key, k -> new Slot<>());
            synchronized (slot) {
                if (slot.retired) {
                    continue;
                }
                if (slot.next == null) {
                    slot.next = new CompletableFuture<>();
                }
                CompletableFuture<V> mine = slot.next;
                if (!slot.running) {
                    slot.running = true;
                    start(key, slot);
                }
                return mine.copy();
            }
        }
    }

    /** Submits a read for the waiting callers; called holding the slot's lock. */
    private void start(K key, Slot<V> slot) {
        try {
            executor.execute(() -> run(key, slot));
        } catch (RuntimeException e) {
            // Rejected: the waiting callers fail, as if their read had.
            CompletableFuture<V> round = slot.next;
            slot.next = null;
            retire(key, slot);
            round.completeExceptionally(e);
        }
    }

    private void run(K key, Slot<V> slot) {
        CompletableFuture<V> round;
        synchronized (slot) {
            // The read begins only after this: whoever arrives from now on waits for a later one.
            round = slot.next;
            slot.next = null;
        }
        V value;
        try {
            value = read.apply(key);
        } catch (Throwable e) {
            finish(key, slot);
            round.completeExceptionally(e);
            return;
        }
        // The next read is submitted before this one's value is handed out, so the newcomers' wait is not
        // lengthened by whatever the callers do with it on this thread.
        finish(key, slot);
        round.complete(value);
    }

    private void finish(K key, Slot<V> slot) {
        synchronized (slot) {
            if (slot.next != null) {
                start(key, slot);
            } else {
                retire(key, slot);
            }
        }
    }

    private void retire(K key, Slot<V> slot) {
        slot.running = false;
        slot.retired = true;
        slots.remove(key, slot);
    }

    /** Keys with a read in flight or callers waiting, for tests. */
    int activeKeys() {
        return slots.size();
    }
}
