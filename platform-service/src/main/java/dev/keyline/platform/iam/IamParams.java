package dev.keyline.platform.iam;

import dev.keyline.connector.model.StatusValue;
import dev.keyline.connector.model.UserTypeValue;
import dev.keyline.platform.api.Params;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.directory.IamIds;
import dev.keyline.platform.iam.IamReadRouting.Mode;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The unified IAM API's own parameters; the shared ones ({@code page_size}, booleans, instants) are parsed by
 * {@link Params}, so every malformed value is the same {@code 400 invalid_parameter} naming the parameter.
 */
final class IamParams {
    static final String ACCOUNT_HEADER = "x-account-id";

    private static final List<String> STATUSES =
            Arrays.stream(StatusValue.values()).map(StatusValue::wireName).toList();
    private static final List<String> MODES = List.of("live", "synced");
    private static final List<String> TYPES =
            Arrays.stream(UserTypeValue.values()).map(UserTypeValue::wireName).toList();

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
        return Params.pageSize(value, config.defaultPageSize(), config.maxPageSize());
    }

    static StatusValue status(String value) {
        String word = Params.oneOf("status", value, STATUSES);
        return word == null ? null : StatusValue.fromWireName(word);
    }

    /** A filter that is true, false or not given: unlike {@link Params#flag}, absent is not false. */
    static Boolean truth(String name, String value) {
        return value == null || value.isBlank() ? null : Params.flag(name, value);
    }

    static UserTypeValue type(String value) {
        String word = Params.oneOf("type", value, TYPES);
        return word == null ? null : UserTypeValue.fromWireName(word);
    }

    /** The provider's id inside a role id ({@code rol_…}); absent is null, anything else a 400 naming it. */
    static String roleId(String value) {
        return recordId("role_id", value, "rol_", IamIds::roleRemoteId);
    }

    /** The provider's id inside a group id ({@code grp_…}). */
    static String groupId(String value) {
        return recordId("group_id", value, "grp_", IamIds::groupRemoteId);
    }

    private static String recordId(
            String name, String value, String prefix, Function<String, Optional<String>> remoteId) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return remoteId.apply(value.strip())
                .orElseThrow(() -> Params.invalid(
                        name,
                        "`" + name + "` must be a Keyline id starting with " + prefix
                                + ", as an `id` of this API returns it."));
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

    static Mode mode(String mode) {
        String word = Params.oneOf("mode", mode, MODES);
        if (word == null) {
            return Mode.AUTO;
        }
        return word.equals("live") ? Mode.LIVE : Mode.SYNCED;
    }

    static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
