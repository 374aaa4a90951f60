package dev.keyline.platform.base;

import java.util.Locale;

/**
 * Every failure code Keyline itself gives clients, in problem documents and recorded on accounts and sync runs. The
 * wire string is the constant's name in lower case and is part of the API: never rename a constant. Codes that come
 * from a connector ({@code ErrorCode}) are not listed; {@link ConnectorFailures#code} spells them.
 */
public enum FailureCode {
    // Input
    INVALID_REQUEST,
    INVALID_PARAMETER,
    INVALID_CURSOR,
    INVALID_CHARACTER,
    INVALID_UNICODE,
    CONFLICTING_PARAMETERS,
    MISSING_ACCOUNT_ID,
    /** A query parameter the operation cannot do without is absent ({@code field} names it). */
    PARAMETER_REQUIRED,
    UNKNOWN_PARAMETER,
    UNKNOWN_FIELD,
    UNKNOWN_PROVIDER,
    UNKNOWN_EVENT_TYPE,
    SECRETS_REQUIRED,
    PROVIDER_MISMATCH,
    MALFORMED_JSON,
    /** A connect session's {@code locale} is none of the connect page's languages. */
    UNSUPPORTED_LOCALE,
    /** A connect session's {@code return_url} is not on one of the tenant's allowed origins, or not hosted. */
    RETURN_URL_NOT_ALLOWED,
    /** A link's {@code account_id} is not one of its session's existing accounts. */
    ACCOUNT_MISMATCH,
    /** A brand member (tenant or connect session) is not acceptable; {@code field} names it. */
    INVALID_BRAND,
    /** The connector does not offer the auth kind asked for. */
    AUTH_KIND_UNSUPPORTED,
    /** The connector offers several kinds none of which is {@code fields}: say which with {@code auth_kind}. */
    AUTH_KIND_REQUIRED,
    /** The kind needs a person at the provider (authorization code): link it through a connect session. */
    AUTH_KIND_INTERACTIVE,
    /** No OAuth app for the authorization code kind: neither the tenant's ({@code /auth-configs}) nor a default. */
    OAUTH_APP_MISSING,
    /** The OAuth callback's {@code state} is unknown, spent or expired. */
    OAUTH_STATE_INVALID,
    BAD_REQUEST,
    // Who is asking
    UNAUTHORIZED,
    FORBIDDEN,
    SESSION_INVALID,
    SESSION_EXPIRED,
    SESSION_USED,
    SESSION_MISMATCH,
    ORIGIN_NOT_ALLOWED,
    ACCOUNT_OWNER_MISMATCH,
    RATE_LIMIT_EXCEEDED,
    // Idempotency-Key
    IDEMPOTENCY_KEY_IN_USE,
    IDEMPOTENCY_KEY_REUSED,
    // State
    NOT_FOUND,
    ACCOUNT_NOT_ACTIVE,
    ACCOUNT_UNLINKED,
    /** The owner already has a live account of the provider: reconnect it or ask for a new one. */
    ACCOUNT_EXISTS,
    NOT_SYNCED,
    NOTHING_TO_CONFIRM,
    SYNC_IN_PROGRESS,
    DELETION_GUARD,
    REAUTHORIZATION_REQUIRED,
    WEBHOOK_SECRET_MISSING,
    // A sync that stopped
    LEASE_LOST,
    INTERRUPTED,
    // Dependencies
    ACCOUNT_BUSY,
    PROVIDER_UNAVAILABLE,
    TIMEOUT,
    CONNECTOR_UNAVAILABLE,
    /** Connector code failed with something other than a connector failure (a bug, a broken plugin). */
    CONNECTOR_ERROR,
    /** Every thread of the connector is busy; see {@code keyline.connectors.calls.bulkhead}. */
    CONNECTOR_BUSY,
    CREDENTIAL_STORE_UNAVAILABLE,
    DATABASE_UNAVAILABLE,
    INTERNAL_ERROR,
    // HTTP requests the service cannot take
    METHOD_NOT_ALLOWED,
    NOT_ACCEPTABLE,
    UNSUPPORTED_MEDIA_TYPE,
    PAYLOAD_TOO_LARGE,
    URI_TOO_LONG,
    HEADERS_TOO_LARGE;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The code as clients see it, such as {@code deletion_guard}. */
    public String wire() {
        return wire;
    }

    @Override
    public String toString() {
        return wire;
    }
}
