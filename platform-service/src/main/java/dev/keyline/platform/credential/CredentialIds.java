package dev.keyline.platform.credential;

import java.util.regex.Pattern;

/**
 * Ids become Vault path segments and associated data, so they are restricted to a safe alphabet: no
 * separators, no {@code ..}, nothing a path could be bent with.
 */
final class CredentialIds {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private CredentialIds() {}

    static String require(String id, String name) {
        if (id == null) {
            throw new NullPointerException(name + " is null");
        }
        if (!SAFE.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    name + " must be 1–128 characters of letters, digits, '.', '_' or '-' and not start with '.'");
        }
        return id;
    }

    /** Whether a name found in a store (a Vault key, a row) is one Keyline could have written. */
    static boolean isValid(String id) {
        return id != null && SAFE.matcher(id).matches();
    }
}
