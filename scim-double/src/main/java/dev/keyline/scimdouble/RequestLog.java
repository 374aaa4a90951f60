package dev.keyline.scimdouble;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Every request the upstream received, in arrival order. A request is logged before any byte of its answer
 * is sent, so once a client has an answer its request is in the log. Thread-safe.
 *
 * <p>The log keeps the latest {@code limit} entries so a long-running demo cannot exhaust memory; sequence
 * numbers keep counting.
 */
public final class RequestLog {
    private final int limit;
    private final Deque<RecordedRequest> entries = new ArrayDeque<>();
    private long sequence;

    RequestLog(int limit) {
        this.limit = limit;
    }

    synchronized RecordedRequest record(RecordedRequestDraft draft) {
        RecordedRequest request = draft.toRequest(++sequence);
        entries.addLast(request);
        while (entries.size() > limit) {
            entries.removeFirst();
        }
        return request;
    }

    /** The retained requests, oldest first. */
    public synchronized List<RecordedRequest> all() {
        return List.copyOf(entries);
    }

    /** The sequence number of the latest request, 0 before any; pass it to {@link #since(long)} later. */
    public synchronized long mark() {
        return sequence;
    }

    /** The requests received after {@code mark}. */
    public synchronized List<RecordedRequest> since(long mark) {
        return entries.stream().filter(r -> r.sequence() > mark).toList();
    }

    /** The requests that could change state upstream; a read-only client never causes one. */
    public synchronized List<RecordedRequest> writes() {
        return entries.stream().filter(RecordedRequest::write).toList();
    }

    public synchronized List<RecordedRequest> to(Endpoint endpoint) {
        return entries.stream().filter(r -> r.endpoint() == endpoint).toList();
    }

    /** How many requests the log holds now (at most the limit; none right after {@link #clear()}). */
    public synchronized int size() {
        return entries.size();
    }

    public synchronized void clear() {
        entries.clear();
    }

    /** A request before it has its sequence number. */
    record RecordedRequestDraft(
            Instant time,
            String method,
            String path,
            String query,
            Set<String> headerNames,
            Endpoint endpoint,
            boolean authorized) {
        RecordedRequest toRequest(long sequence) {
            return new RecordedRequest(sequence, time, method, path, query, headerNames, endpoint, authorized);
        }
    }
}
