package dev.keyline.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.sdk.invoker.ApiException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A refusal from Keyline, read from its RFC 9457 {@code application/problem+json} body: the HTTP status, the stable
 * machine {@code code} to branch on, the human {@code title} and {@code detail}, the {@code field} to fix (for
 * {@code invalid_parameter} and {@code invalid_request}), the request id to quote to support, and how long to wait
 * before retrying when the answer says so ({@code Retry-After}).
 */
public final class KeylineProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM_MEDIA_TYPE = "application/problem+json";

    private final int status;
    private final String type;
    private final String code;
    private final String title;
    private final String detail;
    private final String field;
    private final String requestId;
    private final transient Duration retryAfter;
    private final List<Map<String, String>> errors;

    private KeylineProblemException(
            int status,
            String type,
            String code,
            String title,
            String detail,
            String field,
            String requestId,
            Duration retryAfter,
            List<Map<String, String>> errors,
            ApiException cause) {
        super(message(status, code, title, detail, field), cause);
        this.status = status;
        this.type = type;
        this.code = code;
        this.title = title;
        this.detail = detail;
        this.field = field;
        this.requestId = requestId;
        this.retryAfter = retryAfter;
        this.errors = List.copyOf(errors);
    }

    /**
     * The problem the generated client's exception carries. An answer that is not a problem (a proxy's HTML page, a
     * connection failure) keeps its status (0 when there was no answer) and has no {@code code}.
     */
    public static KeylineProblemException of(ApiException e) {
        HttpHeaders headers = e.getResponseHeaders();
        String body = e.getResponseBody();
        JsonNode problem = problemBody(headers, body);
        String requestId = text(problem, "request_id");
        if (requestId == null && headers != null) {
            requestId = headers.firstValue("X-Request-Id").orElse(null);
        }
        Duration retryAfter = headers == null
                ? null
                : headers.firstValue("Retry-After")
                        .map(KeylineProblemException::retryAfter)
                        .orElse(null);
        String title = text(problem, "title");
        return new KeylineProblemException(
                e.getCode(),
                text(problem, "type"),
                text(problem, "code"),
                title != null ? title : e.getMessage(),
                text(problem, "detail"),
                text(problem, "field"),
                requestId,
                retryAfter,
                errors(problem),
                e);
    }

    private static JsonNode problemBody(HttpHeaders headers, String body) {
        if (headers == null || body == null || body.isBlank()) {
            return null;
        }
        String contentType = headers.firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        if (!contentType.startsWith(PROBLEM_MEDIA_TYPE)) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String name) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static List<Map<String, String>> errors(JsonNode problem) {
        List<Map<String, String>> errors = new ArrayList<>();
        JsonNode list = problem == null ? null : problem.get("errors");
        if (list != null && list.isArray()) {
            for (JsonNode error : list) {
                Map<String, String> entry = new LinkedHashMap<>();
                error.fields()
                        .forEachRemaining(
                                f -> entry.put(f.getKey(), f.getValue().asText()));
                errors.add(Map.copyOf(entry));
            }
        }
        return errors;
    }

    /** {@code Retry-After} is seconds or an HTTP date (RFC 9110 §10.2.3); anything else is ignored. */
    static Duration retryAfter(String value) {
        String v = value.strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String message(int status, String code, String title, String detail, String field) {
        StringBuilder message = new StringBuilder().append(status);
        if (code != null) {
            message.append(' ').append(code);
        }
        if (title != null) {
            message.append(": ").append(title);
        }
        if (detail != null) {
            message.append(" (").append(detail).append(')');
        }
        if (field != null) {
            message.append(" [field ").append(field).append(']');
        }
        return message.toString();
    }

    /** The HTTP status; 0 when no answer came. */
    public int status() {
        return status;
    }

    /** The problem type URI, when the answer was a problem. */
    public Optional<String> type() {
        return Optional.ofNullable(type);
    }

    /** The stable machine code ({@code invalid_parameter}, {@code not_found}, …); empty for a non-problem answer. */
    public Optional<String> code() {
        return Optional.ofNullable(code);
    }

    public Optional<String> title() {
        return Optional.ofNullable(title);
    }

    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    /** The parameter or body field to fix. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** The request id Keyline logged the answer under: from the body, else the {@code X-Request-Id} header. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** How long to wait before retrying, when the answer said ({@code Retry-After}). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The per-field errors of an {@code invalid_request}, each with {@code field} and {@code message}. */
    public List<Map<String, String>> errors() {
        return errors;
    }
}
