package dev.keyline.platform.faults;

import dev.keyline.scimdouble.Endpoint;
import dev.keyline.scimdouble.Fault;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The table of provider faults: where each is played (live read, link, sync), what the upstream does, and what
 * must come of it. Listing faults hit page 2 (page 3 where an early end would stay under the deletion guard), so a
 * sync has written a page before the fault and a live read has followed a cursor.
 *
 * @param code the problem {@code code} (live, link) or the run's {@code error.code} (sync); null: the read or sync
 *     succeeds with every record exactly once
 * @param status the HTTP status of the live or link answer (unused for syncs)
 * @param page the listing page whose requests are counted: the page the fault hits, or page 1 (the validation
 *     request when linking) for faults on every request
 * @param requests how many requests that page costs: 1 means never retried, 3 the first try and the two retries
 *     both paths allow; an empty page costs one more, a single-record request that shows it was lost
 * @param retryAfter the provider's {@code Retry-After}, which a retry must have waited out; null when none
 */
enum FaultCase {
    LIVE_429_ONCE_THEN_RETRIED(Path.LIVE, 1, () -> throttled(1).forNext(1), null, 200, 2, Duration.ofSeconds(1)),
    LIVE_429_ALWAYS(Path.LIVE, 1, () -> throttled(1), "rate_limited", 503, 3, Duration.ofSeconds(1)),
    LIVE_429_LONGER_THAN_WORTH_WAITING(Path.LIVE, 1, () -> throttled(60), "rate_limited", 503, 1, null),
    LIVE_500(Path.LIVE, 1, () -> Fault.serverError().on(Endpoint.LIST_USERS), "upstream_unavailable", 503, 3, null),
    LIVE_503(Path.LIVE, 1, () -> Fault.unavailable().on(Endpoint.LIST_USERS), "upstream_unavailable", 503, 3, null),
    LIVE_503_ONCE_THEN_RETRIED(
            Path.LIVE, 1, () -> Fault.unavailable().on(Endpoint.LIST_USERS).forNext(1), null, 200, 2, null),
    LIVE_CONNECTION_RESET(
            Path.LIVE, 1, () -> Fault.connectionReset().on(Endpoint.LIST_USERS), "connection_failed", 503, 3, null),
    // A time-out is never retried on a live read: the client would wait the whole time-out again.
    LIVE_STALL_PAST_TIMEOUT(Path.LIVE, 1, () -> stall().on(Endpoint.LIST_USERS), "timeout", 504, 1, null),
    LIVE_TRUNCATED_JSON(
            Path.LIVE, 1, () -> Fault.truncatedJson().on(Endpoint.LIST_USERS), "upstream_error", 502, 1, null),
    LIVE_HTML_LOGIN_PAGE(
            Path.LIVE, 1, () -> Fault.htmlLoginPage().on(Endpoint.LIST_USERS), "not_an_api_endpoint", 502, 1, null),
    LIVE_401(Path.LIVE, 1, () -> Fault.unauthorized().on(Endpoint.LIST_USERS), "invalid_credentials", 502, 1, null),
    LIVE_50_MB_BODY(Path.LIVE, 1, () -> huge().on(Endpoint.LIST_USERS), "response_too_large", 502, 1, null),
    LIVE_REPEATED_PAGE(Path.LIVE, 2, () -> onPage2(Fault.repeatPreviousPage()), "upstream_error", 502, 1, null),
    LIVE_EMPTY_PAGE_IN_THE_MIDDLE(Path.LIVE, 2, () -> onPage2(Fault.emptyPage()), "upstream_error", 502, 2, null),
    LIVE_TOTAL_TOO_HIGH(Path.LIVE, 1, () -> Fault.totalResultsOffBy(1000).on(Endpoint.LIST_USERS), null, 200, 1, null),
    LIVE_TOTAL_TOO_LOW(Path.LIVE, 1, () -> Fault.totalResultsOffBy(-40).on(Endpoint.LIST_USERS), null, 200, 1, null),

    LINK_429(Path.LINK, 1, () -> throttled(1), "rate_limited", 503, 1, null),
    LINK_503(Path.LINK, 1, () -> Fault.unavailable().on(Endpoint.LIST_USERS), "upstream_unavailable", 503, 1, null),
    LINK_CONNECTION_RESET(
            Path.LINK, 1, () -> Fault.connectionReset().on(Endpoint.LIST_USERS), "connection_failed", 503, 1, null),
    LINK_STALL_PAST_TIMEOUT(Path.LINK, 1, () -> stall().on(Endpoint.LIST_USERS), "timeout", 504, 1, null),
    LINK_TRUNCATED_JSON(
            Path.LINK, 1, () -> Fault.truncatedJson().on(Endpoint.LIST_USERS), "upstream_error", 422, 1, null),
    LINK_HTML_LOGIN_PAGE(
            Path.LINK, 1, () -> Fault.htmlLoginPage().on(Endpoint.LIST_USERS), "not_an_api_endpoint", 422, 1, null),
    LINK_401(Path.LINK, 1, () -> Fault.unauthorized().on(Endpoint.LIST_USERS), "invalid_credentials", 422, 1, null),
    LINK_50_MB_BODY(Path.LINK, 1, () -> huge().on(Endpoint.LIST_USERS), "response_too_large", 422, 1, null),

    SYNC_429_ONCE_THEN_RETRIED(Path.SYNC, 2, () -> onPage2(throttled(1)).forNext(1), null, 0, 2, Duration.ofSeconds(1)),
    SYNC_429_ALWAYS(Path.SYNC, 2, () -> onPage2(throttled(1)), "rate_limited", 0, 3, Duration.ofSeconds(1)),
    SYNC_500(Path.SYNC, 2, () -> onPage2(Fault.serverError()), "upstream_unavailable", 0, 3, null),
    SYNC_503(Path.SYNC, 2, () -> onPage2(Fault.unavailable()), "upstream_unavailable", 0, 3, null),
    SYNC_CONNECTION_RESET(Path.SYNC, 2, () -> onPage2(Fault.connectionReset()), "connection_failed", 0, 3, null),
    SYNC_STALL_PAST_TIMEOUT(Path.SYNC, 2, () -> onPage2(stall()), "timeout", 0, 3, null),
    SYNC_TRUNCATED_JSON(Path.SYNC, 2, () -> onPage2(Fault.truncatedJson()), "upstream_error", 0, 1, null),
    SYNC_HTML_LOGIN_PAGE(Path.SYNC, 2, () -> onPage2(Fault.htmlLoginPage()), "not_an_api_endpoint", 0, 1, null),
    SYNC_REPEATED_PAGE(Path.SYNC, 2, () -> onPage2(Fault.repeatPreviousPage()), "upstream_error", 0, 1, null),
    SYNC_EMPTY_PAGE_IN_THE_MIDDLE(Path.SYNC, 3, () -> onPage3(Fault.emptyPage()), "upstream_error", 0, 2, null),
    SYNC_TOTAL_TOO_HIGH(Path.SYNC, 2, () -> Fault.totalResultsOffBy(1000).on(Endpoint.LIST_USERS), null, 0, 1, null),
    SYNC_TOTAL_TOO_LOW(Path.SYNC, 2, () -> Fault.totalResultsOffBy(-45).on(Endpoint.LIST_USERS), null, 0, 1, null),
    SYNC_TOTAL_TOO_LOW_ON_A_PAGE_BOUNDARY(
            Path.SYNC,
            2,
            () -> Fault.totalResultsOffBy(-FaultsProfile.SYNC_USERS + 2 * FaultsProfile.SYNC_PAGE)
                    .on(Endpoint.LIST_USERS),
            null,
            0,
            1,
            null),
    SYNC_401_IN_THE_MIDDLE(Path.SYNC, 2, () -> onPage2(Fault.unauthorized()), "invalid_credentials", 0, 1, null),
    SYNC_50_MB_BODY(Path.SYNC, 2, () -> onPage2(huge()), "response_too_large", 0, 1, null);

    enum Path {
        LIVE,
        LINK,
        SYNC
    }

    final Path path;
    final int page;
    private final Supplier<Fault> fault;
    final String code;
    final int status;
    final int requests;
    final Duration retryAfter;

    FaultCase(Path path, int page, Supplier<Fault> fault, String code, int status, int requests, Duration retryAfter) {
        this.path = path;
        this.page = page;
        this.fault = fault;
        this.code = code;
        this.status = status;
        this.requests = requests;
        this.retryAfter = retryAfter;
    }

    Fault fault() {
        return fault.get();
    }

    boolean succeeds() {
        return code == null;
    }

    private static Fault throttled(int seconds) {
        return Fault.rateLimited(Duration.ofSeconds(seconds)).on(Endpoint.LIST_USERS);
    }

    /** Longer than the test profile's time-outs (2 s a request), short enough not to hold threads for long. */
    private static Fault stall() {
        return Fault.stall(Duration.ofSeconds(20));
    }

    private static Fault huge() {
        return Fault.hugeBody(50L * 1024 * 1024);
    }

    private static Fault onPage2(Fault fault) {
        return fault.on(Endpoint.LIST_USERS).onPage(2);
    }

    private static Fault onPage3(Fault fault) {
        return fault.on(Endpoint.LIST_USERS).onPage(3);
    }
}
