package dev.keyline.platform.credential;

/**
 * The start was refused because the master key cannot open the stored credentials. Its message is meant for the
 * operator as it is (what happened, how to recover); it names the key's source, never key material.
 */
public final class MasterKeyMismatchException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    MasterKeyMismatchException(String message) {
        super(message);
    }
}
