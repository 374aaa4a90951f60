package dev.keyline.scimdouble;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * A scripted misbehaviour: what goes wrong, on which endpoints, and when. Immutable; inject it with
 * {@link ScimUpstream#inject(Fault)}.
 *
 * <p>When: by default a fault hits every matching request ({@link #always()}). {@link #onRequest(int)} and
 * {@link #forNext(int)} count the matching requests from the moment the fault is injected, starting at 1.
 * {@link #onPage(int)} and {@link #fromPage(int)} restrict a fault to listing requests for those pages,
 * where page {@code p} is the one starting at {@code startIndex = (p - 1) * count + 1}; they combine with
 * the counters ({@code Fault.serverError().onPage(2).forNext(1)}: the first request for page 2 fails, a
 * retry succeeds).
 *
 * <p>Where: faults that reshape a listing ({@link #repeatPreviousPage()}, {@link #totalResultsOffBy(int)},
 * {@link #emptyPage()}) apply to {@link Endpoint#LIST_USERS} and {@link Endpoint#LIST_GROUPS}; every other
 * fault applies to every endpoint but {@link Endpoint#PING}. {@link #on(Endpoint...)} narrows that.
 *
 * <p>When several injected faults hit the same request, the one injected first wins (all of them count
 * the request).
 */
public final class Fault {

    enum Kind {
        STATUS,
        RATE_LIMITED,
        CONNECTION_RESET,
        STALL,
        TRUNCATED_JSON,
        HTML_LOGIN_PAGE,
        REPEAT_PREVIOUS_PAGE,
        TOTAL_RESULTS_OFF_BY,
        EMPTY_PAGE,
        HUGE_BODY
    }

    private static final Set<Endpoint> LISTINGS = EnumSet.of(Endpoint.LIST_USERS, Endpoint.LIST_GROUPS);

    private final Kind kind;
    private final int status;
    private final Duration duration;
    private final long amount;
    private final Set<Endpoint> endpoints;
    private final int firstHit;
    private final int lastHit;
    private final int minPage;
    private final int maxPage;

    private Fault(
            Kind kind,
            int status,
            Duration duration,
            long amount,
            Set<Endpoint> endpoints,
            int firstHit,
            int lastHit,
            int minPage,
            int maxPage) {
        this.kind = kind;
        this.status = status;
        this.duration = duration;
        this.amount = amount;
        this.endpoints = Set.copyOf(endpoints);
        this.firstHit = firstHit;
        this.lastHit = lastHit;
        this.minPage = minPage;
        this.maxPage = maxPage;
    }

    private static Fault of(Kind kind, int status, Duration duration, long amount) {
        Set<Endpoint> endpoints;
        if (kind == Kind.REPEAT_PREVIOUS_PAGE || kind == Kind.TOTAL_RESULTS_OFF_BY || kind == Kind.EMPTY_PAGE) {
            endpoints = LISTINGS;
        } else {
            endpoints = EnumSet.complementOf(EnumSet.of(Endpoint.PING));
        }
        return new Fault(kind, status, duration, amount, endpoints, 1, Integer.MAX_VALUE, 0, 0);
    }

    /** 429 with {@code Retry-After} in whole seconds. */
    public static Fault rateLimited(Duration retryAfter) {
        requireNonNull(retryAfter, "retryAfter is null");
        return of(Kind.RATE_LIMITED, 429, retryAfter, 0);
    }

    /** A SCIM error with this status, for example 401, 403, 500 or 503. */
    public static Fault status(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        return of(Kind.STATUS, status, null, 0);
    }

    public static Fault serverError() {
        return status(500);
    }

    public static Fault unavailable() {
        return status(503);
    }

    public static Fault unauthorized() {
        return status(401);
    }

    public static Fault forbidden() {
        return status(403);
    }

    /**
     * The connection is closed without any response. The JDK's HTTP client retries a GET once, silently,
     * when its connection drops, so a client on it only sees the failure when two requests in a row are
     * hit ({@code forNext(2)} or more).
     */
    public static Fault connectionReset() {
        return of(Kind.CONNECTION_RESET, 0, null, 0);
    }

    /** The answer is held back this long, then sent as usual (unless the client has given up). */
    public static Fault stall(Duration duration) {
        requireNonNull(duration, "duration is null");
        return of(Kind.STALL, 0, duration, 0);
    }

    /** The usual status and headers, but only the first half of the JSON body (with a matching length). */
    public static Fault truncatedJson() {
        return of(Kind.TRUNCATED_JSON, 0, null, 0);
    }

    /** 200 with {@code text/html}: a sign-in page, as a proxy or SSO wall would answer. */
    public static Fault htmlLoginPage() {
        return of(Kind.HTML_LOGIN_PAGE, 200, null, 0);
    }

    /** The page holds the records of the previous page again; the envelope is unchanged. */
    public static Fault repeatPreviousPage() {
        return of(Kind.REPEAT_PREVIOUS_PAGE, 0, null, 0);
    }

    /** {@code totalResults} is off by {@code delta} (positive: more than there are). */
    public static Fault totalResultsOffBy(int delta) {
        return of(Kind.TOTAL_RESULTS_OFF_BY, 0, null, delta);
    }

    /** The page has no records although more follow; {@code totalResults} is unchanged. */
    public static Fault emptyPage() {
        return of(Kind.EMPTY_PAGE, 0, null, 0);
    }

    /** 200 with a syntactically valid ListResponse of about {@code bytes} bytes, streamed. */
    public static Fault hugeBody(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("bytes must be positive: " + bytes);
        }
        return of(Kind.HUGE_BODY, 200, null, bytes);
    }

    /** Only on these endpoints. */
    public Fault on(Endpoint first, Endpoint... more) {
        requireNonNull(first, "first is null");
        return new Fault(kind, status, duration, amount, EnumSet.of(first, more), firstHit, lastHit, minPage, maxPage);
    }

    /** Every matching request (the default). */
    public Fault always() {
        return new Fault(kind, status, duration, amount, endpoints, 1, Integer.MAX_VALUE, minPage, maxPage);
    }

    /** Only the {@code n}-th matching request, counting from 1. */
    public Fault onRequest(int n) {
        positive(n, "n");
        return new Fault(kind, status, duration, amount, endpoints, n, n, minPage, maxPage);
    }

    /** The next {@code k} matching requests. */
    public Fault forNext(int k) {
        positive(k, "k");
        return new Fault(kind, status, duration, amount, endpoints, 1, k, minPage, maxPage);
    }

    /** Only listing requests for page {@code p}. */
    public Fault onPage(int p) {
        positive(p, "p");
        return new Fault(kind, status, duration, amount, listingsOnly(), firstHit, lastHit, p, p);
    }

    /** Listing requests for page {@code p} and every later page. */
    public Fault fromPage(int p) {
        positive(p, "p");
        return new Fault(kind, status, duration, amount, listingsOnly(), firstHit, lastHit, p, Integer.MAX_VALUE);
    }

    private Set<Endpoint> listingsOnly() {
        Set<Endpoint> narrowed = EnumSet.noneOf(Endpoint.class);
        endpoints.stream().filter(Endpoint::listing).forEach(narrowed::add);
        return narrowed.isEmpty() ? LISTINGS : narrowed;
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

    /** Whether a request for this endpoint and page (0 when not a listing) is one this fault watches. */
    boolean watches(Endpoint endpoint, int page) {
        if (!endpoints.contains(endpoint)) {
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
        StringBuilder text = new StringBuilder("Fault[").append(kind);
        if (kind == Kind.STATUS || kind == Kind.RATE_LIMITED) {
            text.append(' ').append(status);
        }
        if (duration != null) {
            text.append(' ').append(duration);
        }
        if (kind == Kind.TOTAL_RESULTS_OFF_BY || kind == Kind.HUGE_BODY) {
            text.append(' ').append(amount);
        }
        text.append(" on ").append(endpoints);
        if (minPage > 0) {
            text.append(" pages ")
                    .append(minPage)
                    .append("..")
                    .append(maxPage == Integer.MAX_VALUE ? "" : String.valueOf(maxPage));
        }
        if (firstHit != 1 || lastHit != Integer.MAX_VALUE) {
            text.append(" requests ")
                    .append(firstHit)
                    .append("..")
                    .append(lastHit == Integer.MAX_VALUE ? "" : String.valueOf(lastHit));
        }
        return text.append(']').toString();
    }
}
