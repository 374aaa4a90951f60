package dev.keyline.platform.problem;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Text that is not Unicode is refused, never repaired. A lone UTF-16 surrogate (a JSON {@code "\ud800"}) or bytes
 * that are not UTF-8 ({@code %ED%A0%80} in a query) would otherwise be stored or compared as {@code ?} or
 * {@code U+FFFD}, so distinct inputs would become one: two origin owners on one account, say.
 */
public final class InvalidUnicode {
    private InvalidUnicode() {}

    /** Whether every surrogate in {@code text} is half of a pair, in order. */
    public static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The problem for a value of {@code field} that is not Unicode text. */
    public static KeylineException problem(String field) {
        KeylineException problem = KeylineException.invalid(
                FailureCode.INVALID_UNICODE,
                (field == null ? "A value" : "`" + field + "`")
                        + " is not valid Unicode text: it holds a lone UTF-16 surrogate or bytes that are not UTF-8."
                        + " Send text as UTF-8.");
        return field == null ? problem : problem.field(field);
    }

    /**
     * Whether a piece of a request target decodes to UTF-8: percent escapes and raw bytes (which HTTP/1.1 parsers
     * hand over one character per byte) must form UTF-8 together. A malformed escape such as {@code %zz} is left
     * for the usual parsing to judge.
     */
    static boolean isUtf8(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length() && hex(raw.charAt(i + 1)) >= 0 && hex(raw.charAt(i + 2)) >= 0) {
                bytes.write(hex(raw.charAt(i + 1)) * 16 + hex(raw.charAt(i + 2)));
                i += 2;
            } else if (c < 0x100) {
                bytes.write(c);
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c)
                        || i + 1 == raw.length()
                        || !Character.isLowSurrogate(raw.charAt(i + 1))) {
                    return false;
                }
                bytes.writeBytes(raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8));
                i++;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
