package dev.keyline.platform.session;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a flow's secrets (the PKCE verifier and the connector's field values) with AES-256-GCM under a key derived
 * from the flow's {@code state}, which only the browser and the provider see and PostgreSQL keeps as a SHA-256 hash.
 * The row alone opens nothing, and nothing has to be cleaned out of another store when a flow is abandoned: the
 * secret dies with its row. The flow id is associated data, so a sealed value moved to another row does not open.
 */
final class OAuthFlowSeal {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] LABEL = "keyline oauth flow seal v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;

    /** What a callback needs that must not be in PostgreSQL in clear. */
    record Secrets(String verifier, Map<String, String> values) {
        Secrets {
            values = Map.copyOf(values);
        }

        @Override
        public String toString() {
            return "Secrets[" + values.keySet() + "]";
        }
    }

    private OAuthFlowSeal() {}

    static byte[] seal(String state, String flowId, Secrets secrets) {
        try {
            byte[] plain = JSON.writeValueAsBytes(Map.of("verifier", secrets.verifier(), "values", secrets.values()));
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, state, flowId, nonce);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("sealing an OAuth flow failed", e);
        }
    }

    /** @throws IllegalStateException when the state does not open the value (it never does unless it is the flow's) */
    static Secrets open(String state, String flowId, byte[] sealed) {
        try {
            byte[] nonce = java.util.Arrays.copyOfRange(sealed, 0, NONCE_BYTES);
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, state, flowId, nonce);
            byte[] plain = cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            Map<String, Object> read = JSON.readValue(plain, new TypeReference<Map<String, Object>>() {});
            @SuppressWarnings("unchecked")
            Map<String, String> values = (Map<String, String>) read.get("values");
            return new Secrets((String) read.get("verifier"), values);
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            throw new IllegalStateException("the OAuth flow could not be opened");
        }
    }

    private static Cipher cipher(int mode, String state, String flowId, byte[] nonce) throws GeneralSecurityException {
        // HMAC-SHA-256 keyed by the state: a key unrelated to the state's stored SHA-256 hash.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(state.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
        byte[] key = mac.doFinal(LABEL);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(flowId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
