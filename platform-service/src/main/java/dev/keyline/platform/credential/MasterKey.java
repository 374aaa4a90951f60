package dev.keyline.platform.credential;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

/**
 * The local store's master key: 32 random bytes, base64 in an environment variable or in a file that only its
 * owner may read. It never lives in the database, so a database dump alone decrypts nothing.
 */
final class MasterKey {
    static final int LENGTH = 32;

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private MasterKey() {}

    /**
     * The key from {@code envValue} when set (named {@code envName} in messages), else from {@code file},
     * creating the file with a fresh key when it does not exist.
     */
    static byte[] load(String envValue, String envName, Path file) {
        requireNonNull(envName, "envName is null");
        requireNonNull(file, "file is null");
        if (envValue != null && !envValue.isBlank()) {
            return decode(envValue, "environment variable " + envName);
        }
        if (Files.notExists(file)) {
            create(file);
        }
        return readFile(file);
    }

    /** A new random key, base64-encoded, as an operator would put it into the environment variable. */
    static String generateEncoded() {
        byte[] key = new byte[LENGTH];
        new SecureRandom().nextBytes(key);
        try {
            return Base64.getEncoder().encodeToString(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static void create(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            Path parent = absolute.getParent();
            if (parent != null && Files.notExists(parent)) {
                if (posix(parent.getParent())) {
                    Files.createDirectories(
                            parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(parent);
                }
            }
            byte[] content = (generateEncoded() + "\n").getBytes(StandardCharsets.US_ASCII);
            try {
                if (posix(parent)) {
                    // Created owner-only from the first byte, so there is no window in which the key is readable.
                    Files.createFile(absolute, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                    Files.setPosixFilePermissions(absolute, OWNER_ONLY);
                } else {
                    Files.createFile(absolute);
                }
                Files.write(absolute, content);
            } finally {
                Arrays.fill(content, (byte) 0);
            }
        } catch (FileAlreadyExistsException e) {
            // Another process created it first; read theirs.
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the master key file " + absolute, e);
        }
    }

    private static byte[] readFile(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            if (posix(absolute)) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(absolute);
                if (permissions.stream().anyMatch(OTHERS::contains)) {
                    throw new IllegalStateException("The master key file " + absolute + " has permissions "
                            + PosixFilePermissions.toString(permissions)
                            + "; it must be readable by its owner only. Run: chmod 600 " + absolute);
                }
            }
            byte[] raw = Files.readAllBytes(absolute);
            try {
                return decode(new String(raw, StandardCharsets.US_ASCII), "master key file " + absolute);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the master key file " + absolute, e);
        }
    }

    private static byte[] decode(String encoded, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            // The decoder's message could quote the offending character; say only where the problem is.
            throw new IllegalStateException("The " + source + " is not valid base64.");
        }
        if (key.length != LENGTH) {
            Arrays.fill(key, (byte) 0);
            throw new IllegalStateException("The " + source + " must hold " + LENGTH
                    + " bytes, base64-encoded (e.g. `openssl rand -base64 32`).");
        }
        return key;
    }

    private static boolean posix(Path path) {
        Path probe = path == null ? Path.of("").toAbsolutePath() : path;
        while (probe != null && Files.notExists(probe)) {
            probe = probe.getParent();
        }
        return probe != null && Files.getFileAttributeView(probe, PosixFileAttributeView.class) != null;
    }
}
