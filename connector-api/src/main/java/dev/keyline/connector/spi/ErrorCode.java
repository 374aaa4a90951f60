package dev.keyline.connector.spi;

/**
 * The closed set of failure kinds a connector reports. The platform maps each to an HTTP status and
 * a stable problem code; connectors never choose HTTP statuses themselves.
 */
public enum ErrorCode {
    /** The token is wrong, expired or revoked (upstream 401/403). */
    INVALID_CREDENTIALS(false),
    /** A configuration value is missing or malformed; {@link ConnectorException#field()} names it. */
    INVALID_CONFIG(false),
    /** The URL points at something of the provider's that is not its API, such as a sign-in page. */
    WRONG_URL(false),
    /** The URL answers, but not as the expected API (an HTML page, unexpected JSON). */
    NOT_AN_API_ENDPOINT(false),
    /** The provider's API exists but is switched off for this account. */
    API_DISABLED(false),
    /** The host name does not resolve. */
    HOST_NOT_FOUND(false),
    /** The TLS handshake failed (untrusted or mismatched certificate, protocol mismatch). */
    TLS_ERROR(false),
    /** The connection was refused or reset. */
    CONNECTION_FAILED(true),
    /** The upstream did not answer in time. */
    TIMEOUT(true),
    /** The upstream's answer was larger than the transport allows. */
    RESPONSE_TOO_LARGE(false),
    /** The requested record does not exist upstream. */
    NOT_FOUND(false),
    /** The upstream throttled us; {@link ConnectorException#retryAfter()} says for how long when known. */
    RATE_LIMITED(true),
    /** The upstream says it is temporarily unavailable (5xx). */
    UPSTREAM_UNAVAILABLE(true),
    /** The upstream answered with something we cannot use (malformed or inconsistent data, 4xx). */
    UPSTREAM_ERROR(false),
    /** The platform's egress policy refused the destination before any packet left. */
    EGRESS_DENIED(false),
    /** The connector does not have the capability that was asked for. */
    UNSUPPORTED(false);

    private final boolean retryable;

    ErrorCode(boolean retryable) {
        this.retryable = retryable;
    }

    /** Whether the same call may succeed if repeated later without any change by the user. */
    public boolean retryable() {
        return retryable;
    }
}
