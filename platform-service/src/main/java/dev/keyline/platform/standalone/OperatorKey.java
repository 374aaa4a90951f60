package dev.keyline.platform.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Standalone mode's operator key. Only its SHA-256 is kept (in the data directory, where
 * {@code keyline.auth.operator-key-sha256} is read from); the key itself exists once, in the console output of
 * the start that created it. The hash file is written only when the key is about to be shown, so a start that
 * fails before that leaves no unusable key behind. Deleting the hash file and restarting issues a new key.
 */
final class OperatorKey {
    static final String PREFIX = "kl_op_";
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private OperatorKey() {}

    /** The hash to configure, and the new key (not yet persisted) when this call created it. */
    record Loaded(String sha256, Optional<String> newKey) {}

    static Loaded loadOrCreate(Path hashFile) {
        try {
            if (Files.exists(hashFile)) {
                String hash =
                        Files.readString(hashFile, StandardCharsets.US_ASCII).strip();
                if (!SHA256_HEX.matcher(hash).matches()) {
                    throw new IllegalStateException(hashFile + " does not hold a SHA-256 hash; delete it and restart"
                            + " to issue a new operator key.");
                }
                return new Loaded(hash, Optional.empty());
            }
            String key = generate();
            return new Loaded(sha256(key), Optional.of(key));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + hashFile, e);
        }
    }

    /** Stores a new key's hash, owner-only; refuses to overwrite one that appeared meanwhile. */
    static void persist(Path hashFile, String sha256) {
        try {
            try {
                Files.createFile(
                        hashFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(hashFile);
            }
            Files.writeString(hashFile, sha256 + "\n", StandardCharsets.US_ASCII);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(hashFile + " appeared while Keyline was starting; the new operator key"
                    + " is not valid. Restart to use the existing one.");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + hashFile, e);
        }
    }

    static String sha256(String key) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    private static String generate() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
