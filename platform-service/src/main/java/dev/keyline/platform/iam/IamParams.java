package dev.keyline.platform.iam;

import dev.keyline.connector.model.StatusValue;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.iam.IamReadRouting.Mode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The unified IAM API's parameters, taken as text and parsed here so a malformed value gets a specific 400 naming
 * the parameter instead of a bare 404.
 */
final class IamParams {
    static final String ACCOUNT_HEADER = "x-account-id";

    private IamParams() {}

    static String account(String accountId) {
        if (accountId == null || accountId.isBlank()) {
            throw KeylineException.invalid(
                            FailureCode.MISSING_ACCOUNT_ID,
                            "Name the linked account to read in the `x-account-id` header.")
                    .field(ACCOUNT_HEADER);
        }
        return accountId.strip();
    }

    static int pageSize(String value, IamConfig config) {
        if (value == null || value.isBlank()) {
            return config.defaultPageSize();
        }
        try {
            int size = Integer.parseInt(value.strip());
            if (size >= 1 && size <= config.maxPageSize()) {
                return size;
            }
        } catch (NumberFormatException e) {
            // fall through to the problem below
        }
        throw KeylineException.invalid(
                        FailureCode.INVALID_PAGE_SIZE,
                        "`page_size` must be a whole number from 1 to " + config.maxPageSize() + ".")
                .field("page_size");
    }

    static StatusValue status(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return StatusValue.fromWireName(value.strip().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            String allowed = Arrays.stream(StatusValue.values())
                    .map(StatusValue::wireName)
                    .collect(Collectors.joining(", "));
            throw KeylineException.invalid(FailureCode.INVALID_FILTER, "`status` must be one of: " + allowed + ".")
                    .field("status");
        }
    }

    /**
     * The page cursor: {@code cursor}, as on every list endpoint, or its deprecated alias {@code next}. Both at
     * once is refused rather than one silently winning.
     */
    static String cursor(String cursor, String nextAlias) {
        if (cursor != null && nextAlias != null) {
            throw KeylineException.invalid(
                            FailureCode.CONFLICTING_PARAMETERS,
                            "Give the page cursor as `cursor` only; `next` is its deprecated alias, not a second"
                                    + " cursor.")
                    .field("next");
        }
        return cursor != null ? cursor : nextAlias;
    }

    static boolean flag(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default ->
                throw KeylineException.invalid(FailureCode.INVALID_PARAMETER, "`" + name + "` must be true or false.")
                        .field(name);
        };
    }

    static Mode mode(String mode) {
        if (mode == null || mode.isBlank()) {
            return Mode.AUTO;
        }
        return switch (mode.strip().toLowerCase(Locale.ROOT)) {
            case "live" -> Mode.LIVE;
            case "synced" -> Mode.SYNCED;
            default ->
                throw KeylineException.invalid(FailureCode.INVALID_MODE, "`mode` must be `live` or `synced`.")
                        .field("mode");
        };
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_FILTER,
                            "`" + name + "` must be an ISO-8601 instant such as 2026-01-31T09:00:00Z.")
                    .field(name);
        }
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
