package dev.keyline.platform.credential;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF with HMAC-SHA256 (RFC 5869). The JDK has no public HKDF before 24, and the function is a few lines. */
final class Hkdf {
    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LENGTH = 32;

    private Hkdf() {}

    static byte[] derive(byte[] salt, byte[] inputKeyMaterial, byte[] info, int length) {
        if (length <= 0 || length > 255 * HASH_LENGTH) {
            throw new IllegalArgumentException("length out of range");
        }
        try {
            byte[] prk = hmac(salt.length == 0 ? new byte[HASH_LENGTH] : salt, inputKeyMaterial);
            try {
                Mac mac = Mac.getInstance(HMAC);
                mac.init(new SecretKeySpec(prk, HMAC));
                byte[] out = new byte[length];
                byte[] previous = new byte[0];
                int offset = 0;
                for (int counter = 1; offset < length; counter++) {
                    mac.update(previous);
                    mac.update(info);
                    mac.update((byte) counter);
                    byte[] block = mac.doFinal();
                    int n = Math.min(block.length, length - offset);
                    System.arraycopy(block, 0, out, offset, n);
                    offset += n;
                    Arrays.fill(previous, (byte) 0);
                    previous = block;
                }
                Arrays.fill(previous, (byte) 0);
                return out;
            } finally {
                Arrays.fill(prk, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this JDK", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) throws NoSuchAlgorithmException, InvalidKeyException {
        Mac mac = Mac.getInstance(HMAC);
        mac.init(new SecretKeySpec(key, HMAC));
        return mac.doFinal(data);
    }
}
