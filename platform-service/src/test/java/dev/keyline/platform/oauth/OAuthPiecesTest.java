package dev.keyline.platform.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The protocol pieces on their own: PKCE, keys and JWT signing, stored entries, which failures are for good. */
class OAuthPiecesTest {

    @Test
    void pkceMatchesTheRfc7636Example() {
        // RFC 7636, Appendix B.
        assertThat(Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        String verifier = Pkce.verifier();
        assertThat(verifier).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Pkce.verifier()).isNotEqualTo(verifier);
    }

    @Test
    void anEcKeySignsAnEs256JwtTheJdkVerifies() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        ServiceAccountKey key = ServiceAccountKey.parse(pem(pair), "private_key");
        assertThat(key.algorithm()).isEqualTo("ES256");

        String jwt =
                key.sign(Map.of("iss", "me"), Instant.parse("2026-12-07T00:00:00Z"), Duration.ofMinutes(5), "kid-1");
        String[] parts = jwt.split("\\.");
        Signature ec = Signature.getInstance("SHA256withECDSAinP1363Format");
        ec.initVerify(pair.getPublic());
        ec.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(ec.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
        assertThat(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
                .contains("\"iat\":1796601600")
                .contains("\"exp\":1796601900")
                .contains("\"jti\":");
        assertThat(key.toString()).doesNotContain("BEGIN");
    }

    @Test
    void keysInTheWrongShapeAreRefusedOnTheirFieldWithTheFix() {
        assertThat(refusal("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----"))
                .contains("PKCS#8");
        assertThat(refusal("{not json")).contains("not valid JSON");
        assertThat(refusal("{\"type\":\"service_account\"}")).contains("private_key");
        assertThat(refusal("-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----"))
                .contains("not a PKCS#8 private key");
    }

    @Test
    void storedEntriesKeepTheRefreshTokenWhenAnAnswerHasNoneAndNeverReachAConnector() {
        Map<String, String> stored = OAuthValues.withTokens(
                Map.of("base_url", "https://x.example", OAuthValues.KIND, "oauth2_authorization_code"),
                new TokenSet("at-1", "bearer", Instant.ofEpochSecond(100), "rt-1", "a b"));
        Map<String, String> renewed = OAuthValues.withTokens(stored, new TokenSet("at-2", null, null, null, null));

        assertThat(renewed)
                .containsEntry(OAuthValues.ACCESS_TOKEN, "at-2")
                .containsEntry(OAuthValues.REFRESH_TOKEN, "rt-1")
                .containsEntry(OAuthValues.GENERATION, "2")
                .doesNotContainKey(OAuthValues.EXPIRES_AT);
        assertThat(OAuthValues.connectorValues(renewed)).containsOnlyKeys("base_url");
        assertThat(OAuthValues.tokens(renewed).orElseThrow().header()).isEqualTo("Bearer at-2");
    }

    @Test
    void onlyGrantsGoneForGoodArePermanent() {
        assertThat(TokenClient.permanent(failure("auth.invalid_grant"))).isTrue();
        assertThat(TokenClient.permanent(failure("auth.app_missing"))).isTrue();
        assertThat(TokenClient.permanent(failure("auth.token_endpoint_unavailable")))
                .isFalse();
        assertThat(TokenClient.permanent(failure("scim.invalid_grant"))).isFalse();
        // A connector's diagnosis has a message code of its own; the provider's error it keeps decides.
        assertThat(TokenClient.permanent(failure("entra_id.secret_expired").toBuilder()
                        .param("error", "invalid_client")
                        .build()))
                .isTrue();
        assertThat(TokenClient.permanent(failure("entra_id.throttled").toBuilder()
                        .param("error", "temporarily_unavailable")
                        .build()))
                .isFalse();
    }

    private static ConnectorException failure(String messageCode) {
        return ConnectorException.builder(ErrorCode.INVALID_CREDENTIALS, "x")
                .messageCode(messageCode)
                .build();
    }

    private static String refusal(String text) {
        ConnectorException e = catchThrowableOfType(
                ConnectorException.class, () -> ServiceAccountKey.parse(text, "service_account_key"));
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
        assertThat(e.field()).contains("service_account_key");
        return e.getMessage();
    }

    private static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}
