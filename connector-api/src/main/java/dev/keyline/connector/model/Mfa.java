package dev.keyline.connector.model;

import java.util.List;

/**
 * Whether a user has enrolled a second factor, as far as the provider says.
 *
 * @param enrolled true or false as the provider reports it, null when it does not say (or the grant does not allow
 *     reading it)
 * @param methods the enrolled methods in the provider's own names ({@code "totp"}, {@code "webauthn"},
 *     {@code "push"}…), or null when the provider does not list them
 */
public record Mfa(Boolean enrolled, List<String> methods) {
    /** Nothing known. */
    public static final Mfa UNKNOWN = new Mfa(null, null);

    public Mfa {
        methods = methods == null ? null : List.copyOf(methods);
    }
}
