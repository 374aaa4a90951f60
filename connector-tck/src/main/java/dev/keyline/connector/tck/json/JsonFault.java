package dev.keyline.connector.tck.json;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * A scripted misbehaviour of a {@link JsonApiDouble}, mirroring scim-double's {@code Fault} catalogue and its
 * targeting. Immutable; inject it with {@link JsonApiDouble#inject(JsonFault)}.
 *
 * <p>When: every matching request by default ({@link #always()}); {@link #onRequest(int)} and
 * {@link #forNext(int)} count matching requests from the moment the fault is injected, from 1;
 * {@link #onPage(int)} and {@link #fromPage(int)} restrict it to listing requests for those pages, page
 * {@code p} being the one that starts at offset {@code (p - 1) * pageSize}. They combine:
 * {@code JsonFault.serverError().onPage(2).forNext(1)} fails the first request for page 2 and lets a retry
 * through.
 *
 * <p>Where: faults that reshape a listing ({@link #repeatPreviousPage()}, {@link #emptyPage()},
 * {@link #totalOffBy(int)}) apply to listings only; the others to every request. {@link #on(String, String...)}
 * narrows a fault to collections (a collection's path covers its listing and its items).
 *
 * <p>When several faults hit the same request, the one injected first wins (all of them count it).
 */
public final class JsonFault {

    enum Kind {
        STATUS,
        RATE_LIMITED,
        CONNECTION_RESET,
        STALL,
        TRUNCATED_JSON,
        HTML_LOGIN_PAGE,
        REPEAT_PREVIOUS_PAGE,
        TOTAL_OFF_BY,
        EMPTY_PAGE,
        HUGE_BODY
    }

    private final Kind kind;
    private final int status;
    private final Duration duration;
    private final long amount;
    private final RateLimitHeaders rateLimitHeaders;
    private final Set<String> paths;
    private final boolean listingsOnly;
    private final int firstHit;
    private final int lastHit;
    private final int minPage;
    private final int maxPage;

    private JsonFault(
            Kind kind,
            int status,
            Duration duration,
            long amount,
            RateLimitHeaders rateLimitHeaders,
            Set<String> paths,
            boolean listingsOnly,
            int firstHit,
            int lastHit,
            int minPage,
            int maxPage) {
        this.kind = kind;
        this.status = status;
        this.duration = duration;
        this.amount = amount;
        this.rateLimitHeaders = rateLimitHeaders;
        this.paths = Set.copyOf(paths);
        this.listingsOnly = listingsOnly;
        this.firstHit = firstHit;
        this.lastHit = lastHit;
        this.minPage = minPage;
        this.maxPage = maxPage;
    }

    private static JsonFault of(Kind kind, int status, Duration duration, long amount, RateLimitHeaders headers) {
        boolean listings = kind == Kind.REPEAT_PREVIOUS_PAGE || kind == Kind.EMPTY_PAGE || kind == Kind.TOTAL_OFF_BY;
        return new JsonFault(kind, status, duration, amount, headers, Set.of(), listings, 1, Integer.MAX_VALUE, 0, 0);
    }

    private JsonFault with(
            Set<String> paths, boolean listingsOnly, int firstHit, int lastHit, int minPage, int maxPage) {
        return new JsonFault(
                kind,
                status,
                duration,
                amount,
                rateLimitHeaders,
                paths,
                listingsOnly,
                firstHit,
                lastHit,
                minPage,
                maxPage);
    }

    /** 429 with {@code Retry-After} in whole seconds. */
    public static JsonFault rateLimited(Duration retryAfter) {
        return rateLimited(retryAfter, RateLimitHeaders.RETRY_AFTER_SECONDS);
    }

    /** 429 saying "come back in {@code wait}" the way {@code headers} describes. */
    public static JsonFault rateLimited(Duration wait, RateLimitHeaders headers) {
        requireNonNull(wait, "wait is null");
        requireNonNull(headers, "headers is null");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("wait is negative: " + wait);
        }
        return of(Kind.RATE_LIMITED, 429, wait, 0, headers);
    }

    /** A JSON error with this status, for example 401, 403, 404, 500 or 503. */
    public static JsonFault status(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        return of(Kind.STATUS, status, null, 0, null);
    }

    public static JsonFault serverError() {
        return status(500);
    }

    public static JsonFault unavailable() {
        return status(503);
    }

    public static JsonFault unauthorized() {
        return status(401);
    }

    public static JsonFault forbidden() {
        return status(403);
    }

    /**
     * The connection is closed without any response. The JDK's HTTP client retries a GET once, silently, when
     * its connection drops, so a client on it only sees the failure when two requests in a row are hit.
     */
    public static JsonFault connectionReset() {
        return of(Kind.CONNECTION_RESET, 0, null, 0, null);
    }

    /** The answer is held back this long, then sent as usual (unless the client has given up). */
    public static JsonFault stall(Duration duration) {
        requireNonNull(duration, "duration is null");
        return of(Kind.STALL, 0, duration, 0, null);
    }

    /** The usual status and headers, but only the first half of the JSON body (with a matching length). */
    public static JsonFault truncatedJson() {
        return of(Kind.TRUNCATED_JSON, 0, null, 0, null);
    }

    /** 200 with {@code text/html}: a sign-in page, as a proxy or SSO wall would answer. */
    public static JsonFault htmlLoginPage() {
        return of(Kind.HTML_LOGIN_PAGE, 200, null, 0, null);
    }

    /** The page holds the records of the previous page again; its links and tokens are unchanged. */
    public static JsonFault repeatPreviousPage() {
        return of(Kind.REPEAT_PREVIOUS_PAGE, 0, null, 0, null);
    }

    /** The page has no records although more follow; its links and tokens are unchanged. */
    public static JsonFault emptyPage() {
        return of(Kind.EMPTY_PAGE, 0, null, 0, null);
    }

    /** {@link Paging#OFFSET}'s {@code total} is off by {@code delta} (positive: more than there are). */
    public static JsonFault totalOffBy(int delta) {
        return of(Kind.TOTAL_OFF_BY, 0, null, delta, null);
    }

    /** 200 with a syntactically valid JSON listing of about {@code bytes} bytes, streamed. */
    public static JsonFault hugeBody(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes must be positive: " + bytes);
        }
        return of(Kind.HUGE_BODY, 200, null, bytes, null);
    }

    /** Only on these collections (as registered, for example {@code /users}) and their items. */
    public JsonFault on(String path, String... more) {
        requireNonNull(path, "path is null");
        Set<String> narrowed = new HashSet<>(Set.of(more));
        narrowed.add(path);
        return with(narrowed, listingsOnly, firstHit, lastHit, minPage, maxPage);
    }

    /** Every matching request (the default). */
    public JsonFault always() {
        return with(paths, listingsOnly, 1, Integer.MAX_VALUE, minPage, maxPage);
    }

    /** Only the {@code n}-th matching request, counting from 1. */
    public JsonFault onRequest(int n) {
        positive(n, "n");
        return with(paths, listingsOnly, n, n, minPage, maxPage);
    }

    /** The next {@code k} matching requests. */
    public JsonFault forNext(int k) {
        positive(k, "k");
        return with(paths, listingsOnly, 1, k, minPage, maxPage);
    }

    /** Only listing requests for page {@code p}. */
    public JsonFault onPage(int p) {
        positive(p, "p");
        return with(paths, true, firstHit, lastHit, p, p);
    }

    /** Listing requests for page {@code p} and every later page. */
    public JsonFault fromPage(int p) {
        positive(p, "p");
        return with(paths, true, firstHit, lastHit, p, Integer.MAX_VALUE);
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + value);
        }
    }

    Kind kind() {
        return kind;
    }

    int status() {
        return status;
    }

    Duration duration() {
        return duration;
    }

    long amount() {
        return amount;
    }

    RateLimitHeaders rateLimitHeaders() {
        return rateLimitHeaders;
    }

    /** Whether a request for this collection, listing or not, on this page (0 when no listing) is watched. */
    boolean watches(String collection, boolean listing, int page) {
        if (!paths.isEmpty() && !paths.contains(collection)) {
            return false;
        }
        if (listingsOnly && !listing) {
            return false;
        }
        return minPage == 0 || (page >= minPage && page <= maxPage);
    }

    /** Whether the {@code hit}-th watched request (from 1) is hit. */
    boolean hits(int hit) {
        return hit >= firstHit && hit <= lastHit;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("JsonFault[").append(kind);
        if (kind == Kind.STATUS || kind == Kind.RATE_LIMITED) {
            text.append(' ').append(status);
        }
        if (rateLimitHeaders != null) {
            text.append(' ').append(rateLimitHeaders);
        }
        if (duration != null) {
            text.append(' ').append(duration);
        }
        if (kind == Kind.TOTAL_OFF_BY || kind == Kind.HUGE_BODY) {
            text.append(' ').append(amount);
        }
        text.append(" on ").append(paths.isEmpty() ? "every collection" : paths);
        if (minPage > 0) {
            text.append(" pages ").append(minPage).append("..");
            text.append(maxPage == Integer.MAX_VALUE ? "" : String.valueOf(maxPage));
        }
        if (firstHit != 1 || lastHit != Integer.MAX_VALUE) {
            text.append(" requests ").append(firstHit).append("..");
            text.append(lastHit == Integer.MAX_VALUE ? "" : String.valueOf(lastHit));
        }
        return text.append(']').toString();
    }
}
