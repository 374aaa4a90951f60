package dev.keyline.platform.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OAuth 2.0 authorization server and a protected API for tests, written from RFC 6749, 7636 and 7523: {@code
 * /authorize} (a page with an Allow button, or an immediate redirect when {@link #autoApprove}), {@code /token}
 * (authorization_code with PKCE S256, refresh_token with rotation — every refresh token works once —,
 * client_credentials with Basic or form client authentication, jwt-bearer accepting any well-formed assertion and
 * recording it), and {@code /api/me}, {@code /api/users} that accept only access tokens it issued and that have not
 * expired. Counts every grant, so tests can say how many requests reached the token endpoint.
 */
public final class OAuthServerDouble implements AutoCloseable {
    public static final String CLIENT_ID = "test-client";
    public static final String CLIENT_SECRET = "test-client-secret-9f3a";

    private final HttpServer server;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    private final Set<String> liveRefreshTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> grants = new ConcurrentHashMap<>();
    private final List<Map<String, String>> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<String> protectedCalls = new CopyOnWriteArrayList<>();

    /** Lifetime of issued access tokens, seconds. */
    public volatile long accessTokenSeconds = 3600;
    /** When set, every refresh answers {@code invalid_grant}. */
    public volatile boolean revoked;
    /** When set, /authorize redirects back at once (no page). */
    public volatile boolean autoApprove = true;
    /** Delay of each token answer, to widen races in concurrency tests. */
    public volatile long tokenDelayMillis;
    /** Whether refreshes hand out a new refresh token (rotation) and refuse the used one. */
    public volatile boolean rotate = true;
    /** When set, the next token request is answered 400 with this JSON body (a provider's own error shape). */
    public volatile String nextTokenError;

    private record Grant(String clientId, String redirectUri, String challenge, String scope) {}

    public OAuthServerDouble() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/api/", this::api);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many token requests of this grant type arrived (e.g. {@code refresh_token}). */
    public int grants(String grantType) {
        AtomicInteger n = grants.get(grantType);
        return n == null ? 0 : n.get();
    }

    /** Every token request's form (for assertions on PKCE, client auth, assertions). */
    public List<Map<String, String>> tokenRequests() {
        return Collections.unmodifiableList(tokenRequests);
    }

    /** The Authorization header of every call to the protected API, in order. */
    public List<String> protectedCalls() {
        return Collections.unmodifiableList(protectedCalls);
    }

    /** Makes every access token issued so far invalid (the next protected call answers 401). */
    public void expireAccessTokens() {
        accessTokens.replaceAll((k, v) -> 0L);
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> q = form(exchange.getRequestURI().getRawQuery());
        if (!"code".equals(q.get("response_type"))
                || !"S256".equals(q.get("code_challenge_method"))
                || q.get("code_challenge") == null
                || q.get("state") == null) {
            send(exchange, 400, "text/plain", "bad authorization request");
            return;
        }
        String code = "code-" + UUID.randomUUID();
        codes.put(code, new Grant(q.get("client_id"), q.get("redirect_uri"), q.get("code_challenge"), q.get("scope")));
        String sep = q.get("redirect_uri").contains("?") ? "&" : "?";
        // Real servers add parameters of their own: RFC 9207's iss, OpenID session management's session_state.
        String back = q.get("redirect_uri") + sep + "code=" + enc(code) + "&state=" + enc(q.get("state")) + "&iss="
                + enc(baseUrl()) + "&session_state=" + UUID.randomUUID();
        String denied = q.get("redirect_uri") + sep + "error=access_denied&error_description=The+user+declined&state="
                + enc(q.get("state"));
        if (autoApprove) {
            exchange.getResponseHeaders().add("Location", back);
            send(exchange, 302, "text/plain", "");
            return;
        }
        send(
                exchange,
                200,
                "text/html",
                "<!doctype html><title>Test IdP</title><h1>Allow access?</h1>"
                        + "<a id=\"allow\" href=\"" + back.replace("&", "&amp;") + "\">Allow</a> "
                        + "<a id=\"deny\" href=\"" + denied.replace("&", "&amp;") + "\">Deny</a>");
    }

    private void token(HttpExchange exchange) throws IOException {
        Map<String, String> f = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        tokenRequests.add(Collections.unmodifiableMap(new LinkedHashMap<>(f)));
        String grantType = f.getOrDefault("grant_type", "");
        grants.computeIfAbsent(grantType, k -> new AtomicInteger()).incrementAndGet();
        String scripted = nextTokenError;
        if (scripted != null) {
            nextTokenError = null;
            send(exchange, 400, "application/json", scripted);
            return;
        }
        if (tokenDelayMillis > 0) {
            try {
                Thread.sleep(tokenDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String client = clientOf(exchange, f);
        switch (grantType) {
            case "authorization_code" -> {
                if (!CLIENT_ID.equals(client)) {
                    error(exchange, 401, "invalid_client");
                    return;
                }
                Grant grant = codes.remove(f.getOrDefault("code", ""));
                if (grant == null
                        || !grant.redirectUri().equals(f.get("redirect_uri"))
                        || !grant.challenge().equals(s256(f.getOrDefault("code_verifier", "")))) {
                    error(exchange, 400, "invalid_grant");
                    return;
                }
                issue(exchange, true, grant.scope());
            }
            case "refresh_token" -> {
                if (!CLIENT_ID.equals(client)) {
                    error(exchange, 401, "invalid_client");
                    return;
                }
                String used = f.getOrDefault("refresh_token", "");
                boolean known = rotate ? liveRefreshTokens.remove(used) : liveRefreshTokens.contains(used);
                if (revoked || !known) {
                    error(exchange, 400, "invalid_grant");
                    return;
                }
                issue(exchange, rotate, null);
            }
            case "client_credentials" -> {
                if (!CLIENT_ID.equals(client)) {
                    error(exchange, 401, "invalid_client");
                    return;
                }
                issue(exchange, false, f.get("scope"));
            }
            case "urn:ietf:params:oauth:grant-type:jwt-bearer" -> {
                String assertion = f.getOrDefault("assertion", "");
                if (assertion.split("\\.").length != 3) {
                    error(exchange, 400, "invalid_grant");
                    return;
                }
                issue(exchange, false, f.get("scope"));
            }
            default -> error(exchange, 400, "unsupported_grant_type");
        }
    }

    /** The client of a token request: HTTP Basic (RFC 6749 §2.3.1) or form parameters, checked against the secret. */
    private static String clientOf(HttpExchange exchange, Map<String, String> f) {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.startsWith("Basic ")) {
            String pair = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            String id = URLDecoder.decode(pair.substring(0, colon), StandardCharsets.UTF_8);
            String secret = URLDecoder.decode(pair.substring(colon + 1), StandardCharsets.UTF_8);
            return CLIENT_SECRET.equals(secret) ? id : null;
        }
        return CLIENT_SECRET.equals(f.get("client_secret")) ? f.get("client_id") : null;
    }

    private void issue(HttpExchange exchange, boolean withRefresh, String scope) throws IOException {
        String access = "at-" + UUID.randomUUID();
        accessTokens.put(access, System.currentTimeMillis() + accessTokenSeconds * 1000);
        StringBuilder json = new StringBuilder("{\"access_token\":\"" + access + "\",\"token_type\":\"bearer\","
                + "\"expires_in\":" + accessTokenSeconds);
        if (withRefresh) {
            String refresh = "rt-" + UUID.randomUUID();
            liveRefreshTokens.add(refresh);
            json.append(",\"refresh_token\":\"").append(refresh).append('"');
        }
        if (scope != null) {
            json.append(",\"scope\":\"").append(scope).append('"');
        }
        json.append('}');
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        send(exchange, 200, "application/json", json.toString());
    }

    /** The refresh tokens that still work. */
    public Set<String> liveRefreshTokens() {
        return Set.copyOf(liveRefreshTokens);
    }

    private void api(HttpExchange exchange) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        protectedCalls.add(auth == null ? "" : auth);
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
        Long until = accessTokens.get(token);
        if (until == null || until < System.currentTimeMillis()) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            send(exchange, 401, "application/json", "{\"error\":\"invalid_token\"}");
            return;
        }
        if (exchange.getRequestURI().getPath().equals("/api/me")) {
            send(exchange, 200, "application/json", "{\"org\":\"Test Org\",\"users\":2}");
        } else {
            send(
                    exchange,
                    200,
                    "application/json",
                    "{\"users\":[{\"id\":\"u1\",\"userName\":\"ada\"}," + "{\"id\":\"u2\",\"userName\":\"grace\"}]}");
        }
    }

    private static void error(HttpExchange exchange, int status, String error) throws IOException {
        send(exchange, status, "application/json", "{\"error\":\"" + error + "\"}");
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    static String s256(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
