package dev.keyline.connector.tck.json;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Every request a {@link JsonApiDouble} received, in arrival order. A request is logged before any byte of its
 * answer is sent, so once a client has an answer its request is in the log. Keeps the latest {@code limit}
 * entries; sequence numbers keep counting. Thread-safe.
 */
public final class ApiRequestLog {
    private final int limit;
    private final Deque<ApiRequest> entries = new ArrayDeque<>();
    private long sequence;

    ApiRequestLog(int limit) {
        this.limit = limit;
    }

    synchronized ApiRequest record(LongFunction<ApiRequest> draft) {
        ApiRequest request = draft.apply(++sequence);
        entries.addLast(request);
        while (entries.size() > limit) {
            entries.removeFirst();
        }
        return request;
    }

    /** The retained requests, oldest first. */
    public synchronized List<ApiRequest> all() {
        return List.copyOf(entries);
    }

    /** The sequence number of the latest request, 0 before any; pass it to {@link #since(long)} later. */
    public synchronized long mark() {
        return sequence;
    }

    /** The requests received after {@code mark}. */
    public synchronized List<ApiRequest> since(long mark) {
        return entries.stream().filter(r -> r.sequence() > mark).toList();
    }

    /** The requests that could change state upstream; a read-only client never causes one. */
    public synchronized List<ApiRequest> writes() {
        return entries.stream().filter(ApiRequest::write).toList();
    }

    /** The requests for this collection (as registered, for example {@code /users}) and its items. */
    public synchronized List<ApiRequest> to(String collection) {
        return entries.stream().filter(r -> collection.equals(r.collection())).toList();
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized void clear() {
        entries.clear();
    }
}
