package dev.keyline.platform.reqlog;

import dev.keyline.platform.api.KeysetCursor;
import dev.keyline.platform.api.Params;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.reqlog.RequestLogDtos.RequestLogPage;
import dev.keyline.platform.reqlog.RequestLogDtos.RequestLogView;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the request log for the API: the filters checked, newest first, keyset paging. */
@ApplicationScoped
public class RequestLogQueries {
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;
    private static final Pattern STATUS = Pattern.compile("([1-5])xx|([1-5]\\d\\d)");

    private final RequestLogStore store;

    public RequestLogQueries(RequestLogStore store) {
        this.store = store;
    }

    /** One page of the account's log; the caller has checked the account is the tenant's. */
    public RequestLogPage page(
            String tenantId,
            String accountId,
            String since,
            String until,
            String status,
            String kind,
            String pageSize,
            String cursor) {
        int size = Params.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        Instant from = Params.instant("since", since);
        Instant to = Params.instant("until", until);
        if (from != null && to != null && !from.isBefore(to)) {
            throw Params.invalid("until", "`until` must be later than `since`.");
        }
        String kindWord = Params.oneOf("kind", kind, List.of("upstream", "api"));
        Integer min = null;
        Integer max = null;
        boolean noAnswer = false;
        if (status != null && !status.isBlank()) {
            String word = status.strip().toLowerCase(Locale.ROOT);
            Matcher matcher = STATUS.matcher(word);
            if (word.equals("error")) {
                noAnswer = true;
            } else if (matcher.matches() && matcher.group(1) != null) {
                min = Integer.parseInt(matcher.group(1)) * 100;
                max = min + 99;
            } else if (matcher.matches()) {
                min = Integer.parseInt(word);
                max = min;
            } else {
                throw Params.invalid(
                        "status",
                        "`status` must be a class such as `5xx`, an exact code such as `429`, or `error` for"
                                + " requests that got no answer.");
            }
        }
        KeysetCursor after = KeysetCursor.decode(cursor);
        var filter = new RequestLogStore.Filter(
                tenantId,
                accountId,
                from,
                to,
                min,
                max,
                noAnswer,
                kindWord == null ? null : RequestLogEntry.Kind.valueOf(kindWord.toUpperCase(Locale.ROOT)));
        List<RequestLogEntry> rows = store.page(filter, KeysetCursor.atOf(after), KeysetCursor.idOf(after), size + 1);
        var page = KeysetCursor.slice(rows, size, RequestLogEntry::at, RequestLogEntry::id);
        return new RequestLogPage(page.shown().stream().map(RequestLogView::of).toList(), page.next());
    }

    /** One entry of the tenant, or 404. */
    public RequestLogView get(String tenantId, String id) {
        return store.find(tenantId, id == null ? "" : id)
                .map(RequestLogView::of)
                .orElseThrow(() -> KeylineException.notFound("Request log entry " + id));
    }
}
