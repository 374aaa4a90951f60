package dev.keyline.connector.googleworkspace;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the platform does for the JWT bearer kind, reduced to what these tests need: sign an RS256 assertion for a
 * service account, post it to a token endpoint, and turn a refusal into the platform's generic failure (message
 * code {@code auth.<error>}, params {@code error}, {@code status}, {@code error_description}).
 */
final class ServiceAccountAssertions {
    static final String ISSUER = "keyline@acme-project.iam.gserviceaccount.com";
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private ServiceAccountAssertions() {}

    static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String assertion(PrivateKey key, String issuer, String subject, String scope, Instant now) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"" + issuer + "\"," + (subject == null ? "" : "\"sub\":\"" + subject + "\",")
                + "\"aud\":\"" + GoogleWorkspaceConnectorFactory.TOKEN_URL + "\",\"scope\":\"" + scope + "\",\"iat\":"
                + now.getEpochSecond() + ",\"exp\":" + (now.getEpochSecond() + 3600) + "}";
        String input = URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The access token, or the platform's generic failure for the endpoint's refusal. */
    static String exchange(URI tokenUrl, String assertion) {
        String form =
                "grant_type=" + URLEncoder.encode("urn:ietf:params:oauth:grant-type:jwt-bearer", StandardCharsets.UTF_8)
                        + "&assertion=" + assertion;
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(tokenUrl)
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(form))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (response.statusCode() == 200) {
            return field(response.body(), "access_token");
        }
        String error = field(response.body(), "error");
        throw ConnectorException.builder(ErrorCode.INVALID_CREDENTIALS, "The token endpoint refused (" + error + ").")
                .messageCode("auth." + error)
                .param("error", error)
                .param("status", response.statusCode())
                .param("error_description", field(response.body(), "error_description"))
                .build();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }
}
