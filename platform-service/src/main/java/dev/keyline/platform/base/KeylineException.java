package dev.keyline.platform.base;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A failure in Keyline's own terms: what kind of failure it is, the stable {@code code} clients switch on, and a
 * {@code detail} for people that never holds a secret or an internal name. It says nothing about HTTP; the problem
 * mapper alone decides which status each {@link Kind} becomes, so services stay free of transport concerns.
 *
 * <p>Instances are immutable: {@link #field}, {@link #retryAfter}, {@link #errors} and {@link #cause} return
 * copies. No stack trace is captured, as these are expected outcomes thrown on ordinary requests.
 */
public final class KeylineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, in domain terms; each kind has one meaning for every caller. */
    public enum Kind {
        /** The input is malformed or out of range; sending it again unchanged fails again. */
        INVALID,
        /** The caller did not prove who it is. */
        UNAUTHENTICATED,
        /** The caller is known but may not do this. */
        FORBIDDEN,
        NOT_FOUND,
        /** The request contradicts the current state (a run in progress, an unlinked account). */
        CONFLICT,
        /** The thing existed but is used up or expired for good. */
        GONE,
        TOO_LARGE,
        /** The input is well formed but cannot be acted on (credentials a provider refused). */
        UNPROCESSABLE,
        /** The caller sent too much too fast; {@link #retryAfterDuration()} says when to come back. */
        RATE_LIMITED,
        /** A fault on our side. */
        INTERNAL,
        /** The provider does not offer what was asked. */
        UNSUPPORTED,
        /** The provider answered with an error. */
        UPSTREAM,
        /** A dependency (provider, database, credential store, connector) cannot be used right now. */
        UNAVAILABLE,
        /** A dependency did not answer in time. */
        TIMEOUT
    }

    private final Kind kind;
    private final String code;
    private final String title;
    private final String field;
    private final Duration retryAfter;
    private final List<Map<String, String>> errors;
    private final Origin origin;
    private final List<Map<String, String>> accounts;
    private final String accountId;

    /**
     * Where a failure reported by a connector came from: the connector's id, and the stable code and parameters
     * of its sentence (SPI 2's message codes), so a connect UI can show it in another language. Null values are
     * left out.
     */
    public record Origin(String connector, String messageCode, Map<String, String> messageParams) {
        public Origin {
            messageParams = messageParams == null ? Map.of() : Map.copyOf(messageParams);
        }
    }

    private KeylineException(
            Kind kind,
            String code,
            String title,
            String detail,
            String field,
            Duration retryAfter,
            List<Map<String, String>> errors,
            Throwable cause) {
        this(kind, code, title, detail, field, retryAfter, errors, cause, null, null, null);
    }

    private KeylineException(
            Kind kind,
            String code,
            String title,
            String detail,
            String field,
            Duration retryAfter,
            List<Map<String, String>> errors,
            Throwable cause,
            Origin origin,
            List<Map<String, String>> accounts,
            String accountId) {
        super(requireNonNull(detail, "detail is null"), cause, false, false);
        this.kind = requireNonNull(kind, "kind is null");
        this.code = requireNonNull(code, "code is null");
        this.title = requireNonNull(title, "title is null");
        this.field = field;
        this.retryAfter = retryAfter;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.origin = origin;
        this.accounts = accounts == null ? List.of() : List.copyOf(accounts);
        this.accountId = accountId;
    }

    public static KeylineException of(Kind kind, FailureCode code, String title, String detail) {
        return of(kind, requireNonNull(code, "code is null").wire(), title, detail);
    }

    /**
     * For a code that is not Keyline's own, such as a connector's error code; Keyline's codes go through
     * {@link FailureCode} so every one of them is listed in one place.
     */
    public static KeylineException of(Kind kind, String code, String title, String detail) {
        return new KeylineException(kind, code, title, detail, null, null, null, null);
    }

    public static KeylineException invalid(FailureCode code, String detail) {
        return of(Kind.INVALID, code, "Bad request", detail);
    }

    public static KeylineException notFound(String what) {
        return of(Kind.NOT_FOUND, FailureCode.NOT_FOUND, "Not found", what + " was not found.");
    }

    public static KeylineException conflict(FailureCode code, String detail) {
        return of(Kind.CONFLICT, code, "Conflict", detail);
    }

    public static KeylineException unauthenticated(String detail) {
        return of(Kind.UNAUTHENTICATED, FailureCode.UNAUTHORIZED, "Unauthorized", detail);
    }

    public static KeylineException forbidden(String detail) {
        return of(Kind.FORBIDDEN, FailureCode.FORBIDDEN, "Forbidden", detail);
    }

    /** The same failure, tied to one input field. */
    public KeylineException field(String field) {
        return new KeylineException(
                kind, code, title, getMessage(), field, retryAfter, errors, getCause(), origin, accounts, accountId);
    }

    public KeylineException retryAfter(Duration retryAfter) {
        return new KeylineException(
                kind, code, title, getMessage(), field, retryAfter, errors, getCause(), origin, accounts, accountId);
    }

    /** Per-field errors, each {@code {field, message}}. */
    public KeylineException errors(List<Map<String, String>> errors) {
        return new KeylineException(
                kind, code, title, getMessage(), field, retryAfter, errors, getCause(), origin, accounts, accountId);
    }

    public KeylineException cause(Throwable cause) {
        return new KeylineException(
                kind, code, title, getMessage(), field, retryAfter, errors, cause, origin, accounts, accountId);
    }

    /** The same failure, saying which connector reported it and the code and parameters of its sentence. */
    public KeylineException origin(Origin origin) {
        return new KeylineException(
                kind, code, title, getMessage(), field, retryAfter, errors, getCause(), origin, accounts, accountId);
    }

    /** The same failure, naming the connector it concerns, keeping any message code already there. */
    public KeylineException connector(String connectorId) {
        Origin named = origin == null
                ? new Origin(connectorId, null, null)
                : new Origin(connectorId, origin.messageCode(), origin.messageParams());
        return origin(named);
    }

    /**
     * The same failure, listing the linked accounts it is about, each as {@code {id, provider}}: a client fixes each
     * one (a sync of every account a cross-account read needs, say) without asking again to learn the next.
     */
    public KeylineException accounts(List<Map<String, String>> accounts) {
        return new KeylineException(
                kind, code, title, getMessage(), field, retryAfter, errors, getCause(), origin, accounts, accountId);
    }

    /** The same failure, naming the one linked account it is about (such as the existing one of {@code account_exists}). */
    public KeylineException accountId(String accountId) {
        return new KeylineException(
                kind, code, title, getMessage(), field, retryAfter, errors, getCause(), origin, accounts, accountId);
    }

    /** The linked account this failure names, or null. */
    public String accountIdOrNull() {
        return accountId;
    }

    /** The linked accounts this failure is about; empty when it is about none or one named by the request. */
    public List<Map<String, String>> accountList() {
        return accounts;
    }

    /** Which connector reported this failure, and its message code, or null for Keyline's own failures. */
    public Origin originOrNull() {
        return origin;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    /** Whether this failure carries {@code code}. */
    public boolean is(FailureCode code) {
        return this.code.equals(code.wire());
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
