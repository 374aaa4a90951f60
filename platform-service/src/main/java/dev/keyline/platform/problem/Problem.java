package dev.keyline.platform.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The RFC 9457 body, with Keyline's extension members {@code code}, {@code field}, {@code errors}, {@code retry_after} and
 * {@code request_id}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String code,
        String field,
        Long retryAfter,
        List<Map<String, String>> errors,
        String requestId) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** The same problem, quoting the request's id ({@code X-Request-Id}). */
    public Problem withRequestId(String id) {
        return new Problem(type, title, status, detail, instance, code, field, retryAfter, errors, id);
    }
}
