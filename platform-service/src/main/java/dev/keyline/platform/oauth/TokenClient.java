package dev.keyline.platform.oauth;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.connector.spi.Redactor;
import dev.keyline.platform.egress.EgressTransport;
import dev.keyline.platform.egress.TenantEgress;
import dev.keyline.platform.observe.UpstreamScope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Talks to OAuth token endpoints (RFC 6749 §3.2, §4.1.3, §4.4, §6; RFC 7523; RFC 7636) through the tenant's egress
 * policy, like every request a connector makes. Failures are {@link ConnectorException}s with message codes {@code
 * auth.<error>} (the provider's RFC 6749 §5.2 error code, for example {@code auth.invalid_grant}); {@link
 * #permanent(ConnectorException)} tells a grant that is gone for good from one that may work again.
 */
@ApplicationScoped
public class TokenClient {
    /** RFC 6749 §5.2 errors that no retry can cure: a person must authorize again or fix the client. */
    private static final Set<String> PERMANENT = Set.of(
            "invalid_grant",
            "invalid_client",
            "unauthorized_client",
            "unsupported_grant_type",
            "invalid_scope",
            "access_denied",
            // Not an RFC 6749 code: the tenant deleted the OAuth app the account consented with.
            "app_missing");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final String CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final Duration ASSERTION_LIFETIME = Duration.ofMinutes(5);

    @Inject
    EgressTransport transport;

    @Inject
    TenantEgress egress;

    @Inject
    OAuthConfig config;

    Clock clock = Clock.systemUTC();

    /** Exchanges an authorization code with its PKCE verifier. */
    public TokenSet authorizationCode(
            String tenantId,
            String tokenUrl,
            OAuthClient client,
            String code,
            String redirectUri,
            String verifier,
            Map<String, String> extra) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", requireNonNull(code, "code is null"));
        form.put("redirect_uri", requireNonNull(redirectUri, "redirectUri is null"));
        form.put("code_verifier", requireNonNull(verifier, "verifier is null"));
        form.putAll(extra);
        return request(tenantId, tokenUrl, client, form, Set.of(code, verifier));
    }

    /** Renews with a refresh token; the answer may carry a new (rotated) refresh token. */
    public TokenSet refresh(
            String tenantId, String tokenUrl, OAuthClient client, String refreshToken, Map<String, String> extra) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", requireNonNull(refreshToken, "refreshToken is null"));
        form.putAll(extra);
        return request(tenantId, tokenUrl, client, form, Set.of(refreshToken));
    }

    /** The client credentials grant. */
    public TokenSet clientCredentials(
            String tenantId, String tokenUrl, OAuthClient client, String scope, Map<String, String> extra) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (scope != null && !scope.isBlank()) {
            form.put("scope", scope);
        }
        form.putAll(extra);
        return request(tenantId, tokenUrl, client, form, Set.of());
    }

    /**
     * The JWT bearer grant (RFC 7523 §2.1): an assertion signed with the service account's key, issued by it, for
     * the token endpoint as audience, optionally for a subject; with the scope as a claim (Google reads it there) and
     * as a parameter (RFC 6749).
     */
    public TokenSet jwtBearer(
            String tenantId,
            String tokenUrl,
            ServiceAccountKey key,
            String issuer,
            String subject,
            String scope,
            Map<String, String> extra) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", requireNonNull(issuer, "issuer is null"));
        if (subject != null && !subject.isBlank()) {
            claims.put("sub", subject);
        }
        claims.put("aud", tokenUrl);
        if (scope != null && !scope.isBlank()) {
            claims.put("scope", scope);
        }
        String assertion = key.sign(claims, clock.instant(), ASSERTION_LIFETIME, key.keyId());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", JWT_BEARER);
        form.put("assertion", assertion);
        if (scope != null && !scope.isBlank()) {
            form.put("scope", scope);
        }
        form.putAll(extra);
        return request(tenantId, tokenUrl, null, form, Set.of(assertion));
    }

    /** Whether a failure from this client means the grant is gone for good (not a passing outage). */
    public static boolean permanent(ConnectorException e) {
        // A connector's diagnosis (ConnectorFactory.explainTokenFailure) has a message code of its own and keeps the
        // provider's error as a parameter.
        String error = e.params().get("error");
        if (error != null) {
            return PERMANENT.contains(error);
        }
        String code = e.messageCode();
        return code != null && code.startsWith("auth.") && PERMANENT.contains(code.substring("auth.".length()));
    }

    private TokenSet request(
            String tenantId, String tokenUrl, OAuthClient client, Map<String, String> form, Set<String> secrets) {
        requireNonNull(tenantId, "tenantId is null");
        URI uri;
        try {
            uri = URI.create(requireNonNull(tokenUrl, "tokenUrl is null"));
        } catch (IllegalArgumentException e) {
            throw new ConnectorException(ErrorCode.INVALID_CONFIG, "The token endpoint is not a valid URL.");
        }
        List<String> hidden = new ArrayList<>(secrets);
        // Bounded, so a renewal holding the account's renewal lock never waits on a silent endpoint for long.
        HttpRequest request = new HttpRequest("POST", uri, Map.of(), Optional.of(config.tokenTimeout()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json");
        Map<String, String> body = new LinkedHashMap<>(form);
        if (client != null) {
            hidden.add(client.clientSecret() == null ? "" : client.clientSecret());
            switch (client.authentication()) {
                case CLIENT_SECRET_BASIC -> {
                    // RFC 6749 §2.3.1: each part form-encoded before joining.
                    String pair = encode(client.clientId()) + ":" + encode(client.clientSecret());
                    request = request.header(
                            "Authorization",
                            "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
                }
                case CLIENT_SECRET_POST -> {
                    body.put("client_id", client.clientId());
                    body.put("client_secret", client.clientSecret());
                }
                case PRIVATE_KEY_JWT -> {
                    ServiceAccountKey key = ServiceAccountKey.parse(client.privateKey(), "private_key");
                    String assertion = key.sign(
                            Map.of("iss", client.clientId(), "sub", client.clientId(), "aud", tokenUrl),
                            clock.instant(),
                            ASSERTION_LIFETIME,
                            client.keyId());
                    hidden.add(assertion);
                    body.put("client_id", client.clientId());
                    body.put("client_assertion_type", CLIENT_ASSERTION_TYPE);
                    body.put("client_assertion", assertion);
                }
            }
        }
        HttpResponse response;
        try (UpstreamScope ignored = UpstreamScope.operation("token")) {
            response = transport
                    .withPolicy(() -> egress.policyFor(tenantId))
                    .sendWithBody(request, form(body).getBytes(StandardCharsets.UTF_8));
        }
        Redactor redactor = Redactor.of(hidden);
        return read(response, redactor);
    }

    private TokenSet read(HttpResponse response, Redactor redactor) {
        JsonNode json = parse(response);
        if (response.status() == 200 && json != null && json.hasNonNull("access_token")) {
            Instant expiresAt =
                    json.hasNonNull("expires_in") && json.get("expires_in").canConvertToLong()
                            ? clock.instant().plusSeconds(json.get("expires_in").asLong())
                            : null;
            if (expiresAt == null && json.path("expires_in").isTextual()) {
                // Some servers send the number as a string.
                try {
                    expiresAt = clock.instant()
                            .plusSeconds(Long.parseLong(json.get("expires_in").asText()));
                } catch (NumberFormatException ignored) {
                    // no expiry then
                }
            }
            return new TokenSet(
                    json.get("access_token").asText(),
                    json.path("token_type").asText("Bearer"),
                    expiresAt,
                    json.hasNonNull("refresh_token") ? json.get("refresh_token").asText() : null,
                    json.hasNonNull("scope") ? json.get("scope").asText() : null);
        }
        if (response.status() == 429 || response.status() >= 500) {
            ConnectorException.Builder b = ConnectorException.builder(
                            response.status() == 429 ? ErrorCode.RATE_LIMITED : ErrorCode.UPSTREAM_UNAVAILABLE,
                            "The provider's token endpoint answered " + response.status() + "; try again shortly.")
                    .messageCode("auth.token_endpoint_unavailable")
                    .param("status", response.status());
            response.header("Retry-After").flatMap(TokenClient::seconds).ifPresent(b::retryAfter);
            throw b.build();
        }
        String error = json == null ? null : json.path("error").asText(null);
        if (error == null || !error.matches("[a-z_]{1,64}")) {
            throw ConnectorException.builder(
                            ErrorCode.UPSTREAM_ERROR,
                            "The provider's token endpoint answered " + response.status()
                                    + " without an OAuth answer. Check the token URL.")
                    .messageCode("auth.token_endpoint_invalid")
                    .param("status", response.status())
                    .build();
        }
        String description = json.path("error_description").asText("");
        description = redactor.redact(description.length() > 200 ? description.substring(0, 200) + "…" : description);
        ErrorCode code = switch (error) {
            case "invalid_client", "unauthorized_client", "invalid_grant", "access_denied" ->
                ErrorCode.INVALID_CREDENTIALS;
            case "invalid_scope", "invalid_request", "unsupported_grant_type" -> ErrorCode.INVALID_CONFIG;
            default -> ErrorCode.UPSTREAM_ERROR;
        };
        ConnectorException.Builder failure = ConnectorException.builder(
                        code, sentence(error) + (description.isBlank() ? "" : " The provider said: " + description))
                .messageCode("auth." + error)
                .param("error", error)
                .param("status", response.status());
        if (!description.isBlank()) {
            failure.param("error_description", description);
        }
        // Microsoft's token endpoint names the exact cause (AADSTS90002, 7000215, ...) in error_codes.
        StringBuilder codes = new StringBuilder();
        json.path("error_codes").forEach(c -> {
            if (c.canConvertToLong()) {
                codes.append(codes.isEmpty() ? "" : ",").append(c.asLong());
            }
        });
        if (!codes.isEmpty()) {
            failure.param("error_codes", codes.toString());
        }
        throw failure.build();
    }

    private static String sentence(String error) {
        return switch (error) {
            case "invalid_client" -> "The provider did not accept the client id and secret.";
            case "unauthorized_client" -> "The provider does not allow this client to use this grant.";
            case "invalid_grant" -> "The provider no longer accepts this authorization; it has to be granted again.";
            case "access_denied" -> "Access was denied at the provider.";
            case "invalid_scope" -> "The provider refused the requested scopes.";
            case "unsupported_grant_type" -> "The provider does not support this grant for the client.";
            default -> "The provider's token endpoint refused the request (" + error + ").";
        };
    }

    private static JsonNode parse(HttpResponse response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            return null;
        }
    }

    private static Optional<Duration> seconds(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String form(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(encode(k)).append('=').append(encode(v));
        });
        return out.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
