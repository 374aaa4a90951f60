package dev.keyline.platform.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A private key that signs JWTs with the JDK's crypto: RS256 for RSA keys, ES256 for P-256 EC keys. Read from a PEM
 * ({@code -----BEGIN PRIVATE KEY-----}, PKCS#8) or from a Google service-account JSON key (its {@code private_key},
 * {@code client_email}, {@code private_key_id} and {@code token_uri}). {@link #toString()} shows no key material.
 *
 * @param issuer the JSON key's {@code client_email}, or null for a bare PEM
 * @param keyId the JSON key's {@code private_key_id}, or null
 * @param tokenUri the JSON key's {@code token_uri}, or null
 */
public record ServiceAccountKey(PrivateKey key, String issuer, String keyId, String tokenUri) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    /**
     * Reads a key a person gave. A mistake is an {@link ErrorCode#INVALID_CONFIG} on {@code field} that says what
     * was expected, never quoting the value.
     */
    public static ServiceAccountKey parse(String text, String field) {
        if (text == null || text.isBlank()) {
            throw ConnectorException.forField(ErrorCode.INVALID_CONFIG, field, "A private key is required.");
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            JsonNode node;
            try {
                node = JSON.readTree(trimmed);
            } catch (Exception e) {
                throw ConnectorException.forField(
                        ErrorCode.INVALID_CONFIG,
                        field,
                        "The key file is not valid JSON. Upload the JSON key file as downloaded.");
            }
            String pem = node.path("private_key").asText(null);
            if (pem == null) {
                throw ConnectorException.forField(
                        ErrorCode.INVALID_CONFIG,
                        field,
                        "The JSON has no `private_key`. Upload a service-account key file (type service_account).");
            }
            return new ServiceAccountKey(
                    pem(pem, field),
                    node.path("client_email").asText(null),
                    node.path("private_key_id").asText(null),
                    node.path("token_uri").asText(null));
        }
        return new ServiceAccountKey(pem(trimmed, field), null, null, null);
    }

    private static PrivateKey pem(String pem, String field) {
        if (pem.contains("BEGIN RSA PRIVATE KEY") || pem.contains("BEGIN EC PRIVATE KEY")) {
            throw ConnectorException.forField(
                    ErrorCode.INVALID_CONFIG,
                    field,
                    "The key is in the old PKCS#1/SEC1 format. Convert it to PKCS#8 (`openssl pkcs8 -topk8 -nocrypt`)"
                            + " so it begins with -----BEGIN PRIVATE KEY-----.");
        }
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            der = new byte[0];
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw ConnectorException.forField(
                ErrorCode.INVALID_CONFIG,
                field,
                "This is not a PKCS#8 private key. Paste the key beginning with -----BEGIN PRIVATE KEY-----.");
    }

    /** The JWS algorithm this key signs with. */
    public String algorithm() {
        return key instanceof ECPrivateKey ? "ES256" : "RS256";
    }

    /**
     * A signed JWT with the given claims plus {@code iat}, {@code exp} ({@code lifetime} later) and a random
     * {@code jti}.
     */
    public String sign(Map<String, Object> claims, Instant now, Duration lifetime, String headerKeyId) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", algorithm());
        header.put("typ", "JWT");
        if (headerKeyId != null) {
            header.put("kid", headerKeyId);
        }
        Map<String, Object> body = new LinkedHashMap<>(claims);
        body.put("iat", now.getEpochSecond());
        body.put("exp", now.plus(lifetime).getEpochSecond());
        body.putIfAbsent("jti", Pkce.random(16));
        try {
            String input = URL.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + URL.encodeToString(JSON.writeValueAsBytes(body));
            Signature signature = Signature.getInstance(
                    key instanceof ECPrivateKey ? "SHA256withECDSAinP1363Format" : "SHA256withRSA");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + URL.encodeToString(signature.sign());
        } catch (Exception e) {
            throw new IllegalStateException(
                    "could not sign a JWT (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "ServiceAccountKey[" + algorithm() + ", issuer " + issuer + "]";
    }
}
