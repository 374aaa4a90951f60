package dev.keyline.platform.base;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.base.KeylineException.Kind;
import java.util.Locale;

/**
 * Turns connector failures into Keyline failures. The same connector code means different things to our client
 * depending on where it happens: while linking, a bad token is the client's input to fix (unprocessable); while
 * reading a linked directory, it is an upstream failure.
 */
public final class ConnectorFailures {
    private ConnectorFailures() {}

    /** The stable failure code for a connector error code, e.g. {@code invalid_credentials}. */
    public static String code(ErrorCode code) {
        return code.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The stable failure code for a connector failure: its error code's, except for an authorization the provider
     * no longer accepts ({@code auth.reauthorization_required}), which only a person can repair.
     */
    public static String code(ConnectorException e) {
        return "auth.reauthorization_required".equals(e.messageCode())
                ? FailureCode.REAUTHORIZATION_REQUIRED.wire()
                : code(e.code());
    }

    /** A failure carrying the connector's own code and message, under a title of the caller's. */
    public static KeylineException of(Kind kind, ErrorCode code, String title, String detail) {
        return KeylineException.of(kind, code(code), title, detail);
    }

    /** A failure of credentials a person just entered: they must change something. */
    public static KeylineException validationFailed(ConnectorException e) {
        Kind kind = e.code().retryable() ? kindForUpstream(e.code()) : Kind.UNPROCESSABLE;
        KeylineException failure = of(kind, e.code(), "The credentials could not be verified", e.getMessage())
                .origin(origin(e));
        failure = e.field().map(failure::field).orElse(failure);
        return e.retryAfter().map(failure::retryAfter).orElse(failure);
    }

    /** A failure while reading from an already linked provider. */
    public static KeylineException upstreamFailed(ConnectorException e) {
        KeylineException failure = of(kindForUpstream(e.code()), e.code(), titleForUpstream(e.code()), e.getMessage())
                .origin(origin(e));
        return e.retryAfter().map(failure::retryAfter).orElse(failure);
    }

    /** The connector's message code and parameters; the connector's id is added by whoever knows it. */
    private static KeylineException.Origin origin(ConnectorException e) {
        return new KeylineException.Origin(null, e.messageCode(), e.params());
    }

    static Kind kindForUpstream(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND -> Kind.NOT_FOUND;
            case UNSUPPORTED -> Kind.UNSUPPORTED;
            case TIMEOUT -> Kind.TIMEOUT;
            case RATE_LIMITED, UPSTREAM_UNAVAILABLE, CONNECTION_FAILED -> Kind.UNAVAILABLE;
            default -> Kind.UPSTREAM;
        };
    }

    private static String titleForUpstream(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND -> "Not found";
            case UNSUPPORTED -> "Not supported by this provider";
            case TIMEOUT -> "The provider did not answer in time";
            case RATE_LIMITED -> "The provider is throttling requests";
            case UPSTREAM_UNAVAILABLE, CONNECTION_FAILED -> "The provider is unavailable";
            case INVALID_CREDENTIALS -> "The provider rejected the stored credentials";
            default -> "The provider returned an error";
        };
    }
}
