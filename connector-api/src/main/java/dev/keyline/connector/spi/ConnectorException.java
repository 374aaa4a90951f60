package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * The one exception a connector throws. Its message is shown to end users (possibly non-engineers), so
 * it must say what is wrong and what to do, and must never contain a secret.
 */
public final class ConnectorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String field;
    private final Duration retryAfter;

    public ConnectorException(ErrorCode code, String message) {
        this(code, message, null, null, null);
    }

    public ConnectorException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, null, cause);
    }

    private ConnectorException(ErrorCode code, String message, String field, Duration retryAfter, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
        this.field = field;
        this.retryAfter = retryAfter;
    }

    /** A failure that concerns one credential field, so a form can show it next to that field. */
    public static ConnectorException forField(ErrorCode code, String field, String message) {
        return new ConnectorException(code, message, requireNonNull(field, "field is null"), null, null);
    }

    public static ConnectorException forField(ErrorCode code, String field, String message, Throwable cause) {
        return new ConnectorException(code, message, requireNonNull(field, "field is null"), null, cause);
    }

    public static ConnectorException rateLimited(Duration retryAfter, String message) {
        return new ConnectorException(ErrorCode.RATE_LIMITED, message, null, retryAfter, null);
    }

    public static ConnectorException unsupported(Capability capability) {
        return new ConnectorException(
                ErrorCode.UNSUPPORTED, "This connector does not support " + capability.description() + ".");
    }

    public ErrorCode code() {
        return code;
    }

    /** The credential field this failure concerns, when it concerns one. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    /** How long the upstream asked us to wait, for {@link ErrorCode#RATE_LIMITED}. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** A copy that concerns the given field, unless it already names one. */
    public ConnectorException withField(String field) {
        if (this.field != null) {
            return this;
        }
        return new ConnectorException(code, getMessage(), field, retryAfter, getCause());
    }

    @Override
    public String toString() {
        return "ConnectorException[" + code + (field == null ? "" : ", field=" + field) + "]: " + getMessage();
    }
}
