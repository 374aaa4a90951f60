package dev.keyline.connector.tck.okta;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The org authorization server's {@code POST /oauth2/v1/token} for an API service app: the client credentials grant
 * authenticated by a private-key JWT ({@code client_assertion}, RS256, {@code iss} = {@code sub} = the client id),
 * answering OAuth errors in RFC 6749 §5.2 form as Okta does ({@code invalid_client}, {@code invalid_scope},
 * {@code unauthorized_client}, and {@code invalid_dpop_proof} when the app requires DPoP).
 */
final class OktaTokenEndpoint {
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Pattern CLAIM = Pattern.compile("\"(iss|sub)\"\\s*:\\s*\"([^\"]*)\"");

    private final OktaDouble okta;

    OktaTokenEndpoint(OktaDouble okta) {
        this.okta = okta;
    }

    void handle(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            OktaHandler.error(exchange, 405, "E0000022", "The endpoint does not support the provided HTTP method");
            return;
        }
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> form = OktaHandler.params(body);
        if (!"client_credentials".equals(form.get("grant_type"))) {
            oauthError(exchange, 400, "unsupported_grant_type", "The authorization grant type is not supported.");
            return;
        }
        if (form.containsKey("client_secret") || exchange.getRequestHeaders().containsKey("Authorization")) {
            // The org authorization server takes client credentials only with a private-key JWT.
            oauthError(
                    exchange,
                    400,
                    "invalid_client",
                    "Client Credentials requests to the Org Authorization Server "
                            + "must use the private_key_jwt token_endpoint_auth_method.");
            return;
        }
        String assertion = form.get("client_assertion");
        if (assertion == null || !ASSERTION_TYPE.equals(form.get("client_assertion_type"))) {
            oauthError(
                    exchange,
                    401,
                    "invalid_client",
                    "Client authentication failed. Either the client or the " + "client credentials are invalid.");
            return;
        }
        String[] parts = assertion.split("\\.");
        Map<String, String> claims = parts.length == 3 ? claims(parts[1]) : Map.of();
        String clientId = claims.get("iss");
        OktaDouble.ServiceApp app;
        synchronized (okta.lock) {
            app = clientId == null ? null : okta.apps.get(clientId);
        }
        if (app == null
                || !clientId.equals(claims.get("sub"))
                || (form.containsKey("client_id") && !clientId.equals(form.get("client_id")))) {
            oauthError(exchange, 401, "invalid_client", "Invalid value for 'client_id' parameter.");
            return;
        }
        if (app.publicKey() != null && !signed(parts, app)) {
            oauthError(exchange, 401, "invalid_client", "The client_assertion signature is invalid.");
            return;
        }
        if (app.requireDpop() && exchange.getRequestHeaders().getFirst("DPoP") == null) {
            oauthError(exchange, 400, "invalid_dpop_proof", "The DPoP proof JWT header is missing.");
            return;
        }
        String scope = form.get("scope");
        if (scope == null || scope.isBlank()) {
            oauthError(
                    exchange,
                    400,
                    "invalid_scope",
                    "The authorization server resource does not have any "
                            + "configured default scopes, 'scope' must be provided.");
            return;
        }
        Set<String> asked = new LinkedHashSet<>(Arrays.asList(scope.strip().split("\\s+")));
        if (!app.grantedScopes().containsAll(asked)) {
            oauthError(
                    exchange,
                    400,
                    "invalid_scope",
                    "One or more scopes are not configured for the authorization server resource.");
            return;
        }
        String token = "eyJokta-double." + OktaShapes.randomId(40);
        synchronized (okta.lock) {
            okta.accessTokens.put(token, Set.copyOf(asked));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("token_type", "Bearer");
        answer.put("expires_in", 3600);
        answer.put("access_token", token);
        answer.put("scope", String.join(" ", asked));
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        OktaHandler.json(exchange, 200, answer);
    }

    private static Map<String, String> claims(String payload) {
        Map<String, String> claims = new LinkedHashMap<>();
        try {
            String json = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
            Matcher m = CLAIM.matcher(json);
            while (m.find()) {
                claims.putIfAbsent(m.group(1), m.group(2));
            }
        } catch (IllegalArgumentException e) {
            // an unreadable assertion has no claims
        }
        return claims;
    }

    private static boolean signed(String[] parts, OktaDouble.ServiceApp app) {
        try {
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(app.publicKey());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return verifier.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static void oauthError(HttpExchange exchange, int status, String error, String description)
            throws IOException {
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        OktaHandler.json(exchange, status, Map.of("error", error, "error_description", description));
    }
}
