package dev.keyline.connector.http;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A response, fully read.
 *
 * @param uri the URI that finally answered, after any redirects
 * @param headers header names are case-insensitive
 */
public record HttpResponse(int status, URI uri, Map<String, List<String>> headers, byte[] body) {
    public HttpResponse {
        requireNonNull(uri, "uri is null");
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        headers = copy;
        requireNonNull(body, "body is null");
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The media type without parameters, lower-case, or empty. */
    public String mediaType() {
        return header("Content-Type")
                .map(v -> v.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .orElse("");
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * How long the server asks to wait ({@code Retry-After}, RFC 9110 §10.2.3: delay seconds or an HTTP date, read
     * against {@code clock}), or empty when it does not say or says it unreadably. Never negative.
     */
    public Optional<Duration> retryAfter(Clock clock) {
        Optional<String> value = header("Retry-After").map(String::strip);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.get()))));
        } catch (NumberFormatException notSeconds) {
            try {
                long millis = Duration.between(
                                clock.instant(),
                                ZonedDateTime.parse(value.get(), DateTimeFormatter.RFC_1123_DATE_TIME)
                                        .toInstant())
                        .toMillis();
                return Optional.of(Duration.ofSeconds((Math.max(0, millis) + 999) / 1000));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    public boolean successful() {
        return status >= 200 && status < 300;
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + " " + uri + ", " + body.length + " bytes]";
    }
}
