package dev.keyline.connector.spi;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Removes known secret values, and anything that looks like a bearer token, from text bound for logs or
 * error messages.
 */
public final class Redactor {
    public static final String MASK = "[REDACTED]";

    // Secrets shorter than this are too likely to occur in ordinary text to replace everywhere.
    private static final int MIN_SECRET_LENGTH = 6;
    // Real tokens are long; requiring 16 characters keeps prose such as "bearer token" readable.
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{16,}");

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    public static Redactor of(Collection<String> secrets) {
        return new Redactor(secrets.stream()
                .filter(s -> s != null && s.length() >= MIN_SECRET_LENGTH)
                .distinct()
                // Longest first, so a secret that contains another is masked whole.
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList());
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return BEARER.matcher(result).replaceAll("$1" + MASK);
    }
}
