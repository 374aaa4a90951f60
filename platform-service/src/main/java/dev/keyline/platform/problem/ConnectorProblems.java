package dev.keyline.platform.problem;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.util.Locale;

/**
 * Turns connector failures into problems. The same connector code means different things to our client
 * depending on where it happens: while linking, a bad token is the client's input to fix (422); while
 * reading a linked directory, it is an upstream failure (502-class).
 */
public final class ConnectorProblems {
    private ConnectorProblems() {}

    /** The stable problem code for a connector error code, e.g. {@code invalid_credentials}. */
    public static String code(ErrorCode code) {
        return code.name().toLowerCase(Locale.ROOT);
    }

    /** A failure of credentials a person just entered: they must change something. */
    public static ApiProblem validationFailed(ConnectorException e) {
        int status = e.code().retryable() ? statusForUpstream(e.code()) : 422;
        ApiProblem problem =
                ApiProblem.of(status, code(e.code()), "The credentials could not be verified", e.getMessage());
        problem = e.field().map(problem::field).orElse(problem);
        return e.retryAfter().map(problem::retryAfter).orElse(problem);
    }

    /** A failure while reading from an already linked provider. */
    public static ApiProblem upstreamFailed(ConnectorException e) {
        ApiProblem problem =
                ApiProblem.of(statusForUpstream(e.code()), code(e.code()), titleForUpstream(e.code()), e.getMessage());
        return e.retryAfter().map(problem::retryAfter).orElse(problem);
    }

    static int statusForUpstream(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND -> 404;
            case UNSUPPORTED -> 501;
            case TIMEOUT -> 504;
            case RATE_LIMITED, UPSTREAM_UNAVAILABLE, CONNECTION_FAILED -> 503;
            default -> 502;
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
