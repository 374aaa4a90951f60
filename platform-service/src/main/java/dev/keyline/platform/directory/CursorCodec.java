package dev.keyline.platform.directory;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Wraps a connector's opaque cursor in a signed token bound to the tenant, the account and the query, so
 * clients can neither forge a cursor nor replay one against another account or another filter.
 */
public class CursorCodec {
    private static final Logger LOG = Logger.getLogger(CursorCodec.class);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final char SEPARATOR = '\n';

    private final SecretKeySpec key;
    // Looking the algorithm up and keying it cost more than the signature itself; a keyed Mac is reusable (doFinal
    // resets it) but not thread-safe, so each thread keeps one.
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    /** @param cursorKey {@code keyline.iam.cursor-key}; without one, a random key for this process */
    public CursorCodec(Optional<String> cursorKey) {
        byte[] secret;
        if (cursorKey.isPresent()) {
            secret = cursorKey.get().getBytes(StandardCharsets.UTF_8);
            if (secret.length < 32) {
                throw new IllegalStateException("keyline.iam.cursor-key must be at least 32 characters");
            }
        } else {
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            LOG.info("No keyline.iam.cursor-key configured: paging cursors are valid until this process stops");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /**
     * The context a cursor is bound to: who asked, for which account and listing, with which filters. Values
     * are joined as text, null as empty, so two different queries never share a scope.
     */
    public static String scope(Object... parts) {
        StringBuilder scope = new StringBuilder();
        for (Object part : parts) {
            if (!scope.isEmpty()) {
                scope.append('|');
            }
            scope.append(java.util.Objects.toString(part, ""));
        }
        return scope.toString();
    }

    /** A client-facing cursor for the connector's cursor in this context. */
    public String encode(String scope, String connectorCursor) {
        byte[] payload = connectorCursor.getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(sign(scope, payload));
    }

    /** The connector's cursor, or a 400 {@code invalid_cursor} problem when tampered with or out of context. */
    public String decode(String scope, String cursor) {
        int dot = cursor.indexOf('.');
        if (dot <= 0 || dot == cursor.length() - 1) {
            throw invalid();
        }
        try {
            byte[] payload = DECODER.decode(cursor.substring(0, dot));
            byte[] signature = DECODER.decode(cursor.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, sign(scope, payload))) {
                throw invalid();
            }
            return new String(payload, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private byte[] sign(String scope, byte[] payload) {
        Mac mac = macs.get();
        mac.update(scope.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) SEPARATOR);
        return mac.doFinal(payload);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static KeylineException invalid() {
        return KeylineException.invalid(
                        FailureCode.INVALID_CURSOR,
                        "The `next` cursor is not valid here. Use the `next` value from the previous page unchanged,"
                                + " with the same account and filters.")
                .field("next");
    }
}
