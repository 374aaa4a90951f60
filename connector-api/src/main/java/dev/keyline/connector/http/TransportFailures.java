package dev.keyline.connector.http;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;

/**
 * The failures an {@link HttpTransport} reports when no HTTP answer could be had, with the sentences people
 * see and their message codes ({@code transport.*}, parameter {@code host} or {@code where}). Every transport
 * uses these, so the same failure reads the same whichever transport met it.
 */
public final class TransportFailures {
    private TransportFailures() {}

    public static ConnectorException hostNotFound(String host, Throwable cause) {
        return failure(
                ErrorCode.HOST_NOT_FOUND,
                "The host " + host + " could not be found. Check the address for typos.",
                "transport.host_not_found",
                host,
                cause);
    }

    public static ConnectorException tlsError(String host, Throwable cause) {
        return failure(
                ErrorCode.TLS_ERROR,
                "A secure connection to " + host
                        + " could not be established (its certificate is not trusted or does not match).",
                "transport.tls_error",
                host,
                cause);
    }

    public static ConnectorException connectTimeout(String host, Throwable cause) {
        return failure(
                ErrorCode.TIMEOUT, "Connecting to " + host + " timed out.", "transport.connect_timeout", host, cause);
    }

    public static ConnectorException answerTimeout(String host, Throwable cause) {
        return failure(ErrorCode.TIMEOUT, host + " did not answer in time.", "transport.answer_timeout", host, cause);
    }

    public static ConnectorException refused(String host, Throwable cause) {
        return failure(
                ErrorCode.CONNECTION_FAILED, host + " refused the connection.", "transport.refused", host, cause);
    }

    public static ConnectorException failed(String host, Throwable cause) {
        return failure(
                ErrorCode.CONNECTION_FAILED,
                "The connection to " + host + " failed.",
                "transport.connection_failed",
                host,
                cause);
    }

    /** @param where the destination without user info or query */
    public static ConnectorException tooLarge(String where, long maxBytes) {
        return ConnectorException.builder(
                        ErrorCode.RESPONSE_TOO_LARGE,
                        "The answer from " + where + " is larger than the " + maxBytes + " bytes allowed.")
                .messageCode("transport.too_large")
                .param("where", where)
                .param("max_bytes", maxBytes)
                .build();
    }

    private static ConnectorException failure(
            ErrorCode code, String message, String messageCode, String host, Throwable cause) {
        return ConnectorException.builder(code, message)
                .messageCode(messageCode)
                .param("host", host)
                .cause(cause)
                .build();
    }
}
