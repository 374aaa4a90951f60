package dev.keyline.platform.idempotency;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Checks the header a client sent and digests what identifies a key and a request. */
final class IdempotencyKeys {
    static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 255;

    private IdempotencyKeys() {}

    /** The one key the client sent, or {@code 400 invalid_parameter} naming the header. */
    static String check(List<String> sent) {
        if (sent.size() > 1) {
            throw invalid("Send one Idempotency-Key header, not " + sent.size() + ".");
        }
        String key = sent.get(0);
        if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
            throw invalid("Idempotency-Key must be 1 to " + MAX_LENGTH + " characters long.");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw invalid("Idempotency-Key must be printable ASCII, such as a UUID.");
            }
        }
        return key;
    }

    private static KeylineException invalid(String detail) {
        return KeylineException.invalid(FailureCode.INVALID_PARAMETER, detail).field(HEADER);
    }

    /** SHA-256 of the parts, each length-prefixed so that no two different requests share a digest input. */
    static String digest(byte[]... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                sha.update(Integer.toString(part.length).getBytes(StandardCharsets.US_ASCII));
                sha.update((byte) ':');
                sha.update(part);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    static String digest(String text) {
        return digest(text.getBytes(StandardCharsets.UTF_8));
    }
}
