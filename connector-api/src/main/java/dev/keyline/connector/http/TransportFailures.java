package dev.keyline.connector.http;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;

/**
 * The failures an {@link HttpTransport} reports when no HTTP answer could be had, with the sentences people
 * see. Every transport uses these, so the same failure reads the same whichever transport met it.
 */
public final class TransportFailures {
    private TransportFailures() {}

    public static ConnectorException hostNotFound(String host, Throwable cause) {
        return new ConnectorException(
                ErrorCode.HOST_NOT_FOUND,
                "The host " + host + " could not be found. Check the address for typos.",
                cause);
    }

    public static ConnectorException tlsError(String host, Throwable cause) {
        return new ConnectorException(
                ErrorCode.TLS_ERROR,
                "A secure connection to " + host
                        + " could not be established (its certificate is not trusted or does not match).",
                cause);
    }

    public static ConnectorException connectTimeout(String host, Throwable cause) {
        return new ConnectorException(ErrorCode.TIMEOUT, "Connecting to " + host + " timed out.", cause);
    }

    public static ConnectorException answerTimeout(String host, Throwable cause) {
        return new ConnectorException(ErrorCode.TIMEOUT, host + " did not answer in time.", cause);
    }

    public static ConnectorException refused(String host, Throwable cause) {
        return new ConnectorException(ErrorCode.CONNECTION_FAILED, host + " refused the connection.", cause);
    }

    public static ConnectorException failed(String host, Throwable cause) {
        return new ConnectorException(ErrorCode.CONNECTION_FAILED, "The connection to " + host + " failed.", cause);
    }

    /** @param where the destination without user info or query */
    public static ConnectorException tooLarge(String where, long maxBytes) {
        return new ConnectorException(
                ErrorCode.RESPONSE_TOO_LARGE,
                "The answer from " + where + " is larger than the " + maxBytes + " bytes allowed.");
    }
}
