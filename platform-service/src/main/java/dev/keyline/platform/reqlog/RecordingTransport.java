package dev.keyline.platform.reqlog;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.platform.observe.UpstreamScope;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A connector's transport that records each request it sends for the subject's account: method, path (query keys
 * only) and template, status or error code, latency, response size and attempt. Recording is one queue offer.
 *
 * <p>The attempt counts sends of the same method and address by this connector in a row that failed (no answer,
 * 429 or 5xx) less than {@link #RETRY_WINDOW_NANOS} apart: it sees the connector's own retries and the platform's
 * alike, without either telling it.
 */
public final class RecordingTransport implements HttpTransport {
    static final long RETRY_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(2);
    private static final int MAX_TRACKED = 256;

    private record Failed(int attempt, long atNanos) {}

    private final HttpTransport delegate;
    private final RequestLog log;
    private final RequestLogSubject subject;
    private final Clock clock;
    private final Map<String, Failed> failing = new ConcurrentHashMap<>();

    public RecordingTransport(HttpTransport delegate, RequestLog log, RequestLogSubject subject) {
        this(delegate, log, subject, Clock.systemUTC());
    }

    RecordingTransport(HttpTransport delegate, RequestLog log, RequestLogSubject subject, Clock clock) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.log = requireNonNull(log, "log is null");
        this.subject = requireNonNull(subject, "subject is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public HttpResponse send(HttpRequest request) {
        Instant at = clock.instant();
        long started = System.nanoTime();
        String key = request.method() + " " + request.uri();
        int attempt = attempt(key, started);
        try {
            HttpResponse response = delegate.send(request);
            record(request, at, started, response.status(), (long) response.body().length, attempt, null, key);
            return response;
        } catch (RuntimeException e) {
            String code =
                    e instanceof ConnectorException ce ? ce.code().name().toLowerCase(Locale.ROOT) : "transport_error";
            record(request, at, started, null, null, attempt, code, key);
            throw e;
        }
    }

    private int attempt(String key, long now) {
        Failed before = failing.get(key);
        return before == null || now - before.atNanos() > RETRY_WINDOW_NANOS ? 1 : before.attempt() + 1;
    }

    private void record(
            HttpRequest request,
            Instant at,
            long started,
            Integer status,
            Long bytes,
            int attempt,
            String errorCode,
            String key) {
        long nanos = System.nanoTime();
        if (status == null || status == 429 || status >= 500) {
            if (failing.size() >= MAX_TRACKED) {
                failing.clear();
            }
            failing.put(key, new Failed(attempt, nanos));
        } else {
            failing.remove(key);
        }
        UpstreamScope.Current scope = UpstreamScope.current();
        RequestLogEntry entry = new RequestLogEntry(
                RequestLogEntry.newId(),
                subject.tenantId(),
                subject.accountId(),
                RequestLogEntry.Kind.UPSTREAM,
                at,
                request.method(),
                PathTemplates.template(request.uri()),
                PathTemplates.path(request.uri()),
                status,
                TimeUnit.NANOSECONDS.toMillis(nanos - started),
                bytes,
                attempt,
                errorCode,
                null,
                scope.provider(),
                scope.operation());
        if (subject.trail() != null) {
            subject.trail().saw(entry);
        }
        log.record(entry);
    }
}
