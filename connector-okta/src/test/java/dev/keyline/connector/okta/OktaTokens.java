package dev.keyline.connector.okta;

import dev.keyline.connector.tck.okta.OktaDouble;
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
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The platform's side of the service-app flow, as far as tests need it: a signed client assertion, a token request. */
final class OktaTokens {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private OktaTokens() {}

    static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An access token of a service app registered with these scopes, asking for all of them. */
    static String token(OktaDouble okta, String clientId, Set<String> scopes) {
        KeyPair keys = keyPair();
        okta.registerServiceApp(clientId, keys.getPublic(), scopes);
        String body = request(okta, clientId, keys.getPrivate(), String.join(" ", scopes))
                .body();
        Matcher m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        if (!m.find()) {
            throw new IllegalStateException("no token: " + body);
        }
        return m.group(1);
    }

    /** POST /oauth2/v1/token with a client assertion signed by {@code key}. */
    static HttpResponse<String> request(OktaDouble okta, String clientId, PrivateKey key, String scope) {
        String form = "grant_type=client_credentials&scope=" + encode(scope)
                + "&client_assertion_type=" + encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                + "&client_assertion=" + encode(assertion(clientId, key));
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create(okta.orgUrl() + "/oauth2/v1/token"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String assertion(String clientId, PrivateKey key) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = Instant.now().getEpochSecond();
        String header = b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iss\":\"" + clientId + "\",\"sub\":\"" + clientId
                        + "\",\"aud\":\"https://acme.okta.com/oauth2/v1/token\",\"iat\":" + now + ",\"exp\":"
                        + (now + 300) + ",\"jti\":\"" + now + "\"}")
                .getBytes(StandardCharsets.UTF_8));
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + b64.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
