package dev.keyline.platform.credential;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.base.CarriesFailure;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;

/**
 * A credential store could not do its job. The message names the store and what failed, never a value, a
 * token or a key, so it is safe to log; causes are not chained when they could carry a response body.
 */
public final class CredentialStoreException extends RuntimeException implements CarriesFailure {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    public CredentialStoreException(Reason reason, String message) {
        this(reason, message, null);
    }

    public CredentialStoreException(Reason reason, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.reason = requireNonNull(reason, "reason is null");
    }

    public Reason reason() {
        return reason;
    }

    /**
     * The failure a client is shown when the store fails under a request. An entry this Keyline cannot open will not
     * open on a retry either: the account has to be authorized again (409), unlike a store that is down (503).
     */
    @Override
    public KeylineException failure() {
        if (reason == Reason.UNREADABLE) {
            return KeylineException.of(
                    Kind.CONFLICT,
                    FailureCode.REAUTHORIZATION_REQUIRED,
                    "Reauthorization required",
                    "The stored credentials of this account cannot be opened with this Keyline's master key;"
                            + " link the account again.");
        }
        return KeylineException.of(
                Kind.UNAVAILABLE,
                FailureCode.CREDENTIAL_STORE_UNAVAILABLE,
                "Credential store unavailable",
                "The credential store cannot be used right now; try again later.");
    }

    public enum Reason {
        /** The store cannot be reached (network, sealed, database down). */
        UNAVAILABLE,
        /** The store refused Keyline's own credentials (Vault token, policy). */
        UNAUTHORIZED,
        /** A stored entry cannot be decrypted or parsed: wrong key, tampering, or copied between rows. */
        UNREADABLE,
        /** Anything else the store reported. */
        FAILED
    }
}
