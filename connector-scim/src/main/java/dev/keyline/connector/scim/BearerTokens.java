package dev.keyline.connector.scim;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;

/** Cleaning of a bearer token a person pasted into a connector's credential form. */
public final class BearerTokens {

    private BearerTokens() {}

    /**
     * The token without surrounding blanks or a pasted {@code Bearer } prefix (people copy the whole header
     * value).
     *
     * @param raw what was entered; {@code null} counts as empty
     * @param field the credential field reported on failure
     * @param namespace the message-code namespace of the connector whose sentences these are: the failures have
     *     the codes {@code <namespace>.token_missing} and {@code <namespace>.token_broken}
     * @param missingMessage the message when nothing is left
     * @param brokenMessage the message when the token holds blanks or control characters, which a header value
     *     cannot carry and which come from copying the token badly
     * @throws ConnectorException {@link ErrorCode#INVALID_CONFIG} on {@code field}
     */
    public static String clean(
            String raw, String field, String namespace, String missingMessage, String brokenMessage) {
        String token =
                (raw == null ? "" : raw).replaceFirst("(?i)^bearer(\\s+|$)", "").strip();
        if (token.isEmpty()) {
            throw invalid(field, namespace + ".token_missing", missingMessage);
        }
        if (token.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw invalid(field, namespace + ".token_broken", brokenMessage);
        }
        return token;
    }

    private static ConnectorException invalid(String field, String messageCode, String message) {
        return ConnectorException.builder(ErrorCode.INVALID_CONFIG, message)
                .messageCode(messageCode)
                .param("field", field)
                .field(field)
                .build();
    }
}
