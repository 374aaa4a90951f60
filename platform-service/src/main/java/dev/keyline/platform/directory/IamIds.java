package dev.keyline.platform.directory;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Keyline's ids for directory records. An id is stable within its account and reversible to the provider's
 * id, so live lookups need no stored mapping; the prefix tells users, groups and roles apart.
 */
public final class IamIds {
    public static final String USER_PREFIX = "usr_";
    public static final String GROUP_PREFIX = "grp_";
    public static final String ROLE_PREFIX = "rol_";

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private IamIds() {}

    public static String user(String remoteId) {
        return USER_PREFIX + ENCODER.encodeToString(remoteId.getBytes(StandardCharsets.UTF_8));
    }

    public static String group(String remoteId) {
        return GROUP_PREFIX + ENCODER.encodeToString(remoteId.getBytes(StandardCharsets.UTF_8));
    }

    public static String role(String remoteId) {
        return ROLE_PREFIX + ENCODER.encodeToString(remoteId.getBytes(StandardCharsets.UTF_8));
    }

    /** The provider id inside a user id, or empty when the text is not a user id. */
    public static Optional<String> userRemoteId(String id) {
        return decode(USER_PREFIX, id);
    }

    public static Optional<String> groupRemoteId(String id) {
        return decode(GROUP_PREFIX, id);
    }

    public static Optional<String> roleRemoteId(String id) {
        return decode(ROLE_PREFIX, id);
    }

    private static Optional<String> decode(String prefix, String id) {
        if (id == null || !id.startsWith(prefix) || id.length() == prefix.length()) {
            return Optional.empty();
        }
        try {
            String remoteId = new String(DECODER.decode(id.substring(prefix.length())), StandardCharsets.UTF_8);
            // Re-encoding must give the same text, so odd spellings of one id are not accepted.
            return id.equals(prefix + ENCODER.encodeToString(remoteId.getBytes(StandardCharsets.UTF_8)))
                    ? Optional.of(remoteId)
                    : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
