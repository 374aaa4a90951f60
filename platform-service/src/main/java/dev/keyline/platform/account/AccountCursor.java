package dev.keyline.platform.account;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * A keyset position in {@code /accounts}, opaque to clients: the last row's creation instant in microseconds and
 * its id. Unsigned on purpose, unlike {@code iam.CursorCodec}'s cursors: it only ever selects rows of the caller's
 * own tenant, and clients already hold cursors in this form.
 */
record AccountCursor(Instant createdAt, String id) {

    static AccountCursor after(LinkedAccount last) {
        return new AccountCursor(last.createdAt, last.id);
    }

    String encode() {
        String raw = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt) + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor names, or a 400 problem {@code invalid_cursor} on the {@code cursor} parameter. */
    static AccountCursor decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            long micros = Long.parseLong(raw.substring(0, colon));
            return new AccountCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), raw.substring(colon + 1));
        } catch (RuntimeException e) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_CURSOR, "The cursor is not valid; start from the first page.")
                    .field("cursor");
        }
    }
}
