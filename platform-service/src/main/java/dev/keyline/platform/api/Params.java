package dev.keyline.platform.api;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * Query and header parameters every endpoint shares, taken as text and parsed here so that each kind of mistake
 * gets one answer everywhere: {@code 400 invalid_parameter} with {@code field} naming the parameter and a
 * sentence saying what it accepts. (JAX-RS would answer an unconvertible typed parameter with a bare 404.) The
 * OpenAPI document still types them: integers with bounds, booleans, enums, date-times.
 */
public final class Params {
    private Params() {}

    /** {@code page_size}: absent or blank means {@code defaultSize}; otherwise a whole number in 1..max. */
    public static int pageSize(String value, int defaultSize, int max) {
        if (value == null || value.isBlank()) {
            return defaultSize;
        }
        try {
            int size = Integer.parseInt(value.strip());
            if (size >= 1 && size <= max) {
                return size;
            }
        } catch (NumberFormatException e) {
            // the problem below says what is accepted
        }
        throw invalid("page_size", "`page_size` must be a whole number from 1 to " + max + ".");
    }

    /** A boolean parameter: {@code true} or {@code false} (also 1/0, case-insensitive); absent is false. */
    public static boolean flag(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw invalid(name, "`" + name + "` must be true or false.");
        };
    }

    /** An RFC 3339 / ISO-8601 instant; absent is null. */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw invalid(name, "`" + name + "` must be an ISO-8601 instant such as 2026-01-31T09:00:00Z.");
        }
    }

    /** One of a fixed set of lower-case words; absent is null. */
    public static String oneOf(String name, String value, List<String> allowed) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String word = value.strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(word)) {
            throw invalid(name, "`" + name + "` must be one of: " + String.join(", ", allowed) + ".");
        }
        return word;
    }

    public static KeylineException invalid(String name, String sentence) {
        return KeylineException.invalid(FailureCode.INVALID_PARAMETER, sentence).field(name);
    }
}
