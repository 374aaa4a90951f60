package dev.keyline.platform.problem;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Recognises Keyline's own secrets by their shape (API keys, operator keys, connect-session tokens, webhook
 * signing secrets), JWTs and {@code Bearer} values, so text bound for a client or a log line can be masked even
 * when nobody told us which secret it carries (an exception message quoting a header, a path with a key pasted
 * into it).
 */
public final class SecretShapes {
    public static final String MASK = "[REDACTED]";

    /** Each shape; the secret tests scan for the same ones. */
    public static final List<Pattern> PATTERNS = List.of(
            Pattern.compile("kl_(?:live|op|cs)_[A-Za-z0-9_-]{8,}"),
            Pattern.compile("whsec_[A-Za-z0-9+/=_-]{8,}"),
            Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*"),
            Pattern.compile("(?i)(?<=bearer[\\s:=]{1,3})[A-Za-z0-9._~+/=-]{16,}"));

    private SecretShapes() {}

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (Pattern pattern : PATTERNS) {
            result = pattern.matcher(result).replaceAll(MASK);
        }
        return result;
    }

    /** Whether the text holds anything shaped like a secret. */
    public static boolean containsSecret(String text) {
        if (text == null) {
            return false;
        }
        for (Pattern pattern : PATTERNS) {
            if (pattern.matcher(text).find()) {
                return true;
            }
        }
        return false;
    }
}
