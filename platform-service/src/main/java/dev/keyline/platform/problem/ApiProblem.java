package dev.keyline.platform.problem;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A failure that becomes an RFC 9457 problem response. {@code code} is the stable, machine-readable name
 * clients switch on; {@code detail} is for people and never holds a secret or an internal name.
 */
public final class ApiProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String title;
    private final String field;
    private final Duration retryAfter;
    private final List<Map<String, String>> errors;

    private ApiProblem(
            int status,
            String code,
            String title,
            String detail,
            String field,
            Duration retryAfter,
            List<Map<String, String>> errors,
            Throwable cause) {
        super(requireNonNull(detail, "detail is null"), cause, false, false);
        this.status = status;
        this.code = requireNonNull(code, "code is null");
        this.title = requireNonNull(title, "title is null");
        this.field = field;
        this.retryAfter = retryAfter;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static ApiProblem of(int status, String code, String title, String detail) {
        return new ApiProblem(status, code, title, detail, null, null, null, null);
    }

    public static ApiProblem badRequest(String code, String detail) {
        return of(400, code, "Bad request", detail);
    }

    public static ApiProblem notFound(String what) {
        return of(404, "not_found", "Not found", what + " was not found.");
    }

    public static ApiProblem conflict(String code, String detail) {
        return of(409, code, "Conflict", detail);
    }

    public static ApiProblem unauthorized(String detail) {
        return of(401, "unauthorized", "Unauthorized", detail);
    }

    public static ApiProblem forbidden(String detail) {
        return of(403, "forbidden", "Forbidden", detail);
    }

    /** The same problem, tied to one input field. */
    public ApiProblem field(String field) {
        return new ApiProblem(status, code, title, getMessage(), field, retryAfter, errors, getCause());
    }

    public ApiProblem retryAfter(Duration retryAfter) {
        return new ApiProblem(status, code, title, getMessage(), field, retryAfter, errors, getCause());
    }

    /** Per-field errors, each {@code {field, message}}. */
    public ApiProblem errors(List<Map<String, String>> errors) {
        return new ApiProblem(status, code, title, getMessage(), field, retryAfter, errors, getCause());
    }

    public ApiProblem cause(Throwable cause) {
        return new ApiProblem(status, code, title, getMessage(), field, retryAfter, errors, cause);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public String fieldName() {
        return field;
    }

    public Duration retryAfterDuration() {
        return retryAfter;
    }

    public List<Map<String, String>> fieldErrors() {
        return errors;
    }
}
