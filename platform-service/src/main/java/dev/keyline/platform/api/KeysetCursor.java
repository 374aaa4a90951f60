package dev.keyline.platform.api;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * A keyset position for lists ordered by creation instant and id, opaque to clients: the last row's instant in
 * microseconds and its id. Unsigned on purpose, unlike {@code iam.CursorCodec}'s cursors: these only ever select
 * rows the caller may read anyway (its own tenant's; all tenants for an operator), and clients already hold
 * cursors in this form.
 */
public record KeysetCursor(Instant at, String id) {

    /** One page cut from rows read with one extra: the rows to show, and the cursor after them (null at the end). */
    public record Slice<T>(List<T> shown, String next) {}

    public String encode() {
        String raw = ChronoUnit.MICROS.between(Instant.EPOCH, at) + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** The position a cursor names, null for none, or a 400 problem {@code invalid_cursor} on {@code cursor}. */
    public static KeysetCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            long micros = Long.parseLong(raw.substring(0, colon));
            return new KeysetCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), raw.substring(colon + 1));
        } catch (RuntimeException e) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_CURSOR, "The cursor is not valid; start from the first page.")
                    .field("cursor");
        }
    }

    /** The instant of a decoded cursor, or null when there is none. */
    public static Instant atOf(KeysetCursor cursor) {
        return cursor == null ? null : cursor.at();
    }

    /** The id of a decoded cursor, or null when there is none. */
    public static String idOf(KeysetCursor cursor) {
        return cursor == null ? null : cursor.id();
    }

    /** Rows read with {@code size + 1} as the limit: the extra row, when present, proves there is a next page. */
    public static <T> Slice<T> slice(List<T> rows, int size, Function<T, Instant> at, Function<T, String> id) {
        if (rows.size() <= size) {
            return new Slice<>(rows, null);
        }
        T last = rows.get(size - 1);
        return new Slice<>(rows.subList(0, size), new KeysetCursor(at.apply(last), id.apply(last)).encode());
    }
}
