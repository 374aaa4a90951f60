package dev.keyline.connector.spi;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * A ready {@code Authorization} header for an account authorized by an OAuth or service-account {@link AuthKind}.
 * The platform obtained the token, keeps it (and any refresh token, client secret or key) in its credential store,
 * and refreshes it before it expires; a connector only asks for the header and reports a rejection.
 *
 * <p>Typical use, once per request:
 *
 * <pre>{@code
 * String auth = authorization.header();
 * HttpResponse response = send(request.header("Authorization", auth));
 * if (response.status() == 401) {
 *     response = send(request.header("Authorization", authorization.refreshAfterRejection(auth)));
 * }
 * }</pre>
 *
 * <p>Implementations are thread-safe: one connector serves many requests at once, and one account may be served by
 * several Keyline replicas; the platform makes sure only one of them refreshes at a time.
 */
public interface Authorization {

    /** The kind the account was linked with. */
    AuthKind.Type kind();

    /**
     * The header value for the next request, for example {@code Bearer eyJ…}; refreshed first when the token is
     * about to expire.
     *
     * @throws ConnectorException {@link ErrorCode#INVALID_CREDENTIALS} with message code {@code
     *     auth.reauthorization_required} when the grant is gone for good (revoked consent, a refresh token the
     *     provider no longer accepts): the account needs a person to authorize it again; {@link
     *     ErrorCode#UPSTREAM_UNAVAILABLE} when the token endpoint could not be reached for now
     */
    String header();

    /**
     * The provider answered 401 to a request that carried {@code rejected}: returns a header to retry with once.
     * When another request already refreshed, that newer header is returned without asking the provider again; else
     * the platform refreshes once. A connector retries at most once and treats a second 401 as
     * {@link ErrorCode#INVALID_CREDENTIALS}.
     *
     * @throws ConnectorException as {@link #header()}
     */
    String refreshAfterRejection(String rejected);

    /** The scopes the provider granted, when it said (RFC 6749 §5.1); else the ones requested. */
    Set<String> grantedScopes();

    /**
     * A fixed header that never refreshes: for tests and for the conformance kit's doubles. A rejection throws
     * {@link ErrorCode#INVALID_CREDENTIALS}.
     */
    static Authorization fixed(AuthKind.Type kind, String header) {
        requireNonNull(kind, "kind is null");
        requireNonNull(header, "header is null");
        return new Authorization() {
            @Override
            public AuthKind.Type kind() {
                return kind;
            }

            @Override
            public String header() {
                return header;
            }

            @Override
            public String refreshAfterRejection(String rejected) {
                throw ConnectorException.builder(ErrorCode.INVALID_CREDENTIALS, "The provider refused the token.")
                        .messageCode("auth.reauthorization_required")
                        .build();
            }

            @Override
            public Set<String> grantedScopes() {
                return Set.of();
            }

            @Override
            public String toString() {
                return "Authorization[" + kind.wireName() + ", ****]";
            }
        };
    }
}
