package dev.keyline.connector.tck.google;

import com.sun.net.httpserver.HttpExchange;
import dev.keyline.scimdouble.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google's token endpoint for the JWT bearer grant (RFC 7523) of a service account, answering as "Using OAuth 2.0
 * for Server to Server Applications" documents it: an RS256 assertion from the service account ({@code iss}) for
 * {@code https://oauth2.googleapis.com/token} ({@code aud}), at most an hour long, with the {@code scope} claim and,
 * for domain-wide delegation, the administrator to act as ({@code sub}). Refusals are {@code invalid_grant}
 * (signature, subject, times) with status 400, {@code unauthorized_client} (scopes not delegated) with 401, and
 * {@code invalid_client} (service account disabled) with 401, each with Google's {@code error_description}.
 */
final class GoogleTokenEndpoint {
    private static final String GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final Pattern STRING_CLAIM = Pattern.compile("\"([a-z]+)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern NUMBER_CLAIM = Pattern.compile("\"([a-z]+)\"\\s*:\\s*(-?[0-9]+)");

    private final GoogleDirectoryDouble google;

    GoogleTokenEndpoint(GoogleDirectoryDouble google) {
        this.google = google;
    }

    void handle(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> params = GoogleDirectoryHandler.parameters(form);
        if (!GRANT.equals(params.get("grant_type"))) {
            refuse(exchange, 400, "unsupported_grant_type", "Invalid grant_type: " + params.get("grant_type"));
            return;
        }
        String assertion = params.getOrDefault("assertion", "");
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            refuse(exchange, 400, "invalid_grant", "Invalid JWT: Unable to parse the JWT.");
            return;
        }
        Map<String, Object> claims;
        try {
            claims = claims(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            refuse(exchange, 400, "invalid_grant", "Invalid JWT: Unable to parse the JWT.");
            return;
        }
        if (google.serviceAccountDisabled) {
            refuse(exchange, 401, "invalid_client", "The OAuth client was disabled.");
            return;
        }
        if (google.keyDeleted
                || google.serviceAccountKey == null
                || !google.serviceAccountEmail.equals(claims.get("iss"))
                || !verified(parts)) {
            refuse(exchange, 400, "invalid_grant", "Invalid JWT Signature.");
            return;
        }
        if (!GoogleDirectoryDouble.TOKEN_URL.equals(claims.get("aud"))) {
            refuse(exchange, 400, "invalid_grant", "Invalid JWT: Failed audience check.");
            return;
        }
        long now = google.clock().instant().getEpochSecond();
        long iat = claims.get("iat") instanceof Long l ? l : -1;
        long exp = claims.get("exp") instanceof Long l ? l : -1;
        if (iat < 0 || exp <= iat || exp - iat > 3600 || exp < now || iat > now + 300) {
            refuse(
                    exchange,
                    400,
                    "invalid_grant",
                    "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. "
                            + "Check your iat and exp values in the JWT claim.");
            return;
        }
        String subject = (String) claims.get("sub");
        if (subject != null && !knownUser(subject)) {
            refuse(exchange, 400, "invalid_grant", "Invalid email or User ID");
            return;
        }
        Set<String> scopes = new LinkedHashSet<>(Arrays.asList(
                String.valueOf(claims.getOrDefault("scope", "")).trim().split("\\s+")));
        scopes.remove("");
        if (scopes.isEmpty()) {
            refuse(exchange, 400, "invalid_scope", "Empty or missing scope not allowed.");
            return;
        }
        if (subject != null && !google.delegatedScopes.containsAll(scopes)) {
            refuse(
                    exchange,
                    401,
                    "unauthorized_client",
                    "Client is unauthorized to retrieve access tokens using this method, or client not authorized "
                            + "for any of the scopes requested.");
            return;
        }
        String token = google.issueToken(subject, scopes);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token);
        body.put("expires_in", 3599);
        body.put("token_type", "Bearer");
        GoogleDirectoryHandler.send(exchange, 200, Json.write(body));
    }

    private boolean knownUser(String subject) {
        synchronized (google) {
            return google.users.values().stream()
                    .anyMatch(u -> subject.equalsIgnoreCase(String.valueOf(u.get("primaryEmail"))));
        }
    }

    private boolean verified(String[] parts) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(google.serviceAccountKey);
            signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The flat claims of an assertion: strings and integers are all Google reads. */
    static Map<String, Object> claims(String json) {
        Map<String, Object> claims = new LinkedHashMap<>();
        Matcher strings = STRING_CLAIM.matcher(json);
        while (strings.find()) {
            claims.put(
                    strings.group(1).toLowerCase(Locale.ROOT), strings.group(2).replace("\\/", "/"));
        }
        Matcher numbers = NUMBER_CLAIM.matcher(json);
        while (numbers.find()) {
            claims.putIfAbsent(numbers.group(1), Long.parseLong(numbers.group(2)));
        }
        return claims;
    }

    private static void refuse(HttpExchange exchange, int status, String error, String description) throws IOException {
        GoogleDirectoryHandler.send(
                exchange, status, Json.write(Map.of("error", error, "error_description", description)));
    }
}
