package dev.keyline.platform.support;

import dev.keyline.platform.base.Tokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * Test credentials without a live IdP: a fresh RSA key pair whose public half quarkus-oidc trusts and whose
 * private half signs test tokens (through smallrye-jwt-build), and a known operator API key configured by its
 * hash only.
 */
public class TestAuthResource implements QuarkusTestResourceLifecycleManager {
    public static final String ISSUER = "https://idp.keyline.test";
    /** The audience the service expects; TestApi's tokens carry it, tokens for other audiences are refused. */
    public static final String AUDIENCE = "keyline-api";

    public static final String OPERATOR_KEY = "kl_op_test-operator-key-do-not-use-anywhere";

    private Path signingKey;

    @Override
    public Map<String, String> start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            signingKey = Files.createTempFile("keyline-test-signing", ".pem");
            Files.writeString(
                    signingKey,
                    "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder()
                                    .encodeToString(pair.getPrivate().getEncoded())
                            + "\n-----END PRIVATE KEY-----\n");
            return Map.of(
                    "quarkus.oidc.tenant-enabled",
                    "true",
                    "quarkus.oidc.public-key",
                    Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()),
                    "quarkus.oidc.token.issuer",
                    ISSUER,
                    "quarkus.oidc.token.audience",
                    AUDIENCE,
                    "smallrye.jwt.sign.key.location",
                    signingKey.toUri().toString(),
                    "smallrye.jwt.new-token.issuer",
                    ISSUER,
                    "keyline.auth.operator-key-sha256",
                    Tokens.sha256(OPERATOR_KEY));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        try {
            if (signingKey != null) {
                Files.deleteIfExists(signingKey);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
