package dev.keyline.scimdouble;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for 127.0.0.1 and localhost, made once per JVM with the JDK's {@code keytool}
 * (the JDK has no public API to make certificates). No client trusts it unless given
 * {@link #trustingContext()}.
 */
final class SelfSignedCertificate {
    private static final char[] PASSWORD = "tck-upstream".toCharArray();
    private static SelfSignedCertificate instance;

    private final KeyStore keyStore;

    private SelfSignedCertificate(KeyStore keyStore) {
        this.keyStore = keyStore;
    }

    static synchronized SelfSignedCertificate get() {
        if (instance == null) {
            instance = new SelfSignedCertificate(generate());
        }
        return instance;
    }

    SSLContext serverContext() {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS for the upstream", e);
        }
    }

    /** A client context that trusts exactly this certificate. */
    SSLContext trustingContext() {
        try {
            Certificate certificate = keyStore.getCertificate("upstream");
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("upstream", certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a context trusting the upstream", e);
        }
    }

    private static KeyStore generate() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("scim-upstream-tls");
            Path file = dir.resolve("upstream.p12");
            List<String> command = List.of(
                    keytool().toString(),
                    "-genkeypair",
                    "-alias",
                    "upstream",
                    "-keyalg",
                    "EC",
                    "-groupname",
                    "secp256r1",
                    "-validity",
                    "30",
                    "-dname",
                    "CN=localhost, O=Keyline TCK",
                    "-ext",
                    "SAN=dns:localhost,ip:127.0.0.1",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    file.toString(),
                    "-storepass",
                    new String(PASSWORD),
                    "-keypass",
                    new String(PASSWORD));
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(
                        "keytool failed: " + new String(output, StandardCharsets.UTF_8).strip());
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(file)) {
                keyStore.load(in, PASSWORD);
            }
            return keyStore;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the upstream's certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating the upstream's certificate", e);
        } finally {
            deleteQuietly(dir);
        }
    }

    private static Path keytool() {
        String executable = System.getProperty("os.name", "").startsWith("Windows") ? "keytool.exe" : "keytool";
        Path fromJavaHome = Path.of(System.getProperty("java.home"), "bin", executable);
        if (Files.isExecutable(fromJavaHome)) {
            return fromJavaHome;
        }
        String env = System.getenv("JAVA_HOME");
        if (env != null && Files.isExecutable(Path.of(env, "bin", executable))) {
            return Path.of(env, "bin", executable);
        }
        throw new IllegalStateException("keytool not found under java.home or JAVA_HOME");
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
