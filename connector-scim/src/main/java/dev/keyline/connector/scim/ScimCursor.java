package dev.keyline.connector.scim;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Where a SCIM listing resumes: the next 1-based {@code startIndex} and the id of the last resource looked
 * at. The id lets the next call recognise a server that answers the same page again (it ignores
 * {@code startIndex}) or that shifted its records by one (a user was added meanwhile), so no record is
 * reported twice. Encoded as opaque URL-safe text; callers must not parse it.
 */
record ScimCursor(ScimResourceType type, int nextIndex, String lastId) {
    private static final String VERSION = "scim1";

    ScimCursor {
        requireNonNull(type, "type is null");
        if (nextIndex < 1) {
            throw new IllegalArgumentException("nextIndex must be at least 1: " + nextIndex);
        }
    }

    static ScimCursor start(ScimResourceType type) {
        return new ScimCursor(type, 1, null);
    }

    String encode() {
        String text = VERSION + "|" + tag(type) + "|" + nextIndex + "|" + (lastId == null ? "" : lastId);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The cursor encoded in {@code text}, which must have been issued for the same resource type.
     *
     * @throws ConnectorException {@link ErrorCode#INVALID_CONFIG} when the text is not such a cursor
     */
    static ScimCursor decode(String text, ScimResourceType type) {
        requireNonNull(text, "text is null");
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.UTF_8);
            String[] parts = decoded.split("\\|", 4);
            if (parts.length == 4
                    && parts[0].equals(VERSION)
                    && parts[1].equals(tag(type))
                    && parts[2].matches("[1-9]\\d{0,8}")) {
                return new ScimCursor(type, Integer.parseInt(parts[2]), parts[3].isEmpty() ? null : parts[3]);
            }
        } catch (IllegalArgumentException e) {
            // Not base64: reported below like any other foreign cursor.
        }
        throw ConnectorException.builder(
                        ErrorCode.INVALID_CONFIG,
                        "The page cursor is not one this listing of " + type.plural()
                                + " handed out; start the listing again without a cursor.")
                .messageCode("scim.foreign_cursor")
                .param("resource", type.plural())
                .build();
    }

    private static String tag(ScimResourceType type) {
        return type == ScimResourceType.USERS ? "u" : "g";
    }
}
