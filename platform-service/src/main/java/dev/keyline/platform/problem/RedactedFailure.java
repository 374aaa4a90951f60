package dev.keyline.platform.problem;

import dev.keyline.connector.spi.Redactor;
import java.util.List;

/**
 * A copy of an exception chain for logging, with every message passed through the redactors; the class names
 * and stack traces stay, so the log is as useful to us as the original, without the secrets.
 */
final class RedactedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final Redactor BEARER = Redactor.of(List.of());

    private RedactedFailure(String message, Throwable cause) {
        super(message, cause, false, true);
    }

    static Throwable of(Throwable original) {
        return copy(original, 0);
    }

    private static Throwable copy(Throwable original, int depth) {
        if (original == null || depth > 20) {
            return null;
        }
        String message = original.getMessage() == null
                ? original.getClass().getName()
                : original.getClass().getName() + ": " + SecretShapes.redact(BEARER.redact(original.getMessage()));
        RedactedFailure copy = new RedactedFailure(message, copy(original.getCause(), depth + 1));
        copy.setStackTrace(original.getStackTrace());
        for (Throwable suppressed : original.getSuppressed()) {
            Throwable s = copy(suppressed, depth + 1);
            if (s != null) {
                copy.addSuppressed(s);
            }
        }
        return copy;
    }

    @Override
    public String toString() {
        // The original's class name is already part of the message.
        return getMessage();
    }
}
