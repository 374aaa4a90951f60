package dev.keyline.deploy.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Keycloak from the {@code keycloak-quarkus-dist} zip (unpacked by the build into target/), in dev mode
 * with an in-memory database, importing {@code deploy/keycloak/keyline-realm.json} (Keyline's own sign-in) and
 * {@code deploy/keycloak/connector-realm.json} (realm {@code acme}, which the Keycloak connector reads) at start.
 */
final class KeycloakProcess implements AutoCloseable {
    static final String REALM = "keyline";
    /** The realm the Keycloak connector's end-to-end runs read and authorize against. */
    static final String CONNECTOR_REALM = "acme";
    // Keycloak builds its Quarkus application on a first start: about a minute on two free cores, far more on
    // a busy machine. keyline.e2e.keycloak-start-timeout (seconds) raises it there.
    private static final Duration START_TIMEOUT =
            Duration.ofSeconds(Long.getLong("keyline.e2e.keycloak-start-timeout", 600));
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port = E2e.freePort();
    private final String adminPassword = E2e.secret(18);
    private final Path log = E2e.logDir().resolve("keycloak.log");
    private Process process;

    static Path home() {
        Path home = Path.of(System.getProperty("keyline.e2e.keycloak-home", "target/e2e-keycloak/keycloak"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new AssertionError("Keycloak is not unpacked at " + home
                    + " (deploy's build unpacks org.keycloak:keycloak-quarkus-dist in process-test-resources)");
        }
        return home;
    }

    static Path realmFile() {
        return realmFile("keyline-realm.json");
    }

    static Path realmFile(String name) {
        Path realm = Path.of("keycloak", name).toAbsolutePath();
        if (!Files.isRegularFile(realm)) {
            throw new AssertionError("the realm to import is missing: " + realm);
        }
        return realm;
    }

    /** Starts Keycloak in the background; {@link #awaitReady()} waits for the imported realm. */
    KeycloakProcess start() {
        Path home = home();
        try {
            Path imports = Files.createDirectories(home.resolve("data/import"));
            // Whatever an earlier run left there would be imported too (or stop the start, if misnamed).
            try (var stale = Files.list(imports)) {
                for (Path file : stale.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.copy(realmFile(), imports.resolve("keyline-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            // Keycloak imports a file only when its name is <realm>-realm.json.
            Files.copy(
                    realmFile("connector-realm.json"),
                    imports.resolve(CONNECTOR_REALM + "-realm.json"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder builder = new ProcessBuilder(
                        "bash",
                        home.resolve("bin/kc.sh").toString(),
                        "start-dev",
                        "--db=dev-mem",
                        "--import-realm",
                        "--http-host=127.0.0.1",
                        "--http-port=" + port,
                        "--http-management-port=" + E2e.freePort())
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        env.put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        env.put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx640m");
        env.put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Keycloak", e);
        }
        // Should the test JVM itself be stopped (a surefire time-out, Ctrl-C), Keycloak must not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "keycloak-reaper"));
        return this;
    }

    void awaitReady() {
        long started = System.nanoTime();
        long deadline = started + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Keycloak exited with " + process.exitValue() + "\n" + tail());
            }
            try {
                if (get(issuer() + "/.well-known/openid-configuration").statusCode() == 200) {
                    E2e.timing("keycloak: waited for its realm", started);
                    return;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            E2e.sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("Keycloak was not ready after " + START_TIMEOUT + "\n" + tail());
    }

    String issuer() {
        return "http://127.0.0.1:" + port + "/realms/" + REALM;
    }

    /** The server's base URL, what the Keycloak connector's {@code base_url} field takes. */
    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The token endpoint's answer to a form POST in {@code realm}, as JSON; fails on anything but 200. */
    JsonNode tokens(String realm, Map<String, String> form) {
        HttpResponse<String> response = post(baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token", form);
        if (response.statusCode() != 200) {
            throw new AssertionError("token request (" + form.get("grant_type") + ") refused in " + realm + ": "
                    + response.statusCode() + " " + response.body());
        }
        return json(response.body());
    }

    /** The status of a token request, for grants that are meant to be refused. */
    int tokenStatus(String realm, Map<String, String> form) {
        return post(baseUrl() + "/realms/" + realm + "/protocol/openid-connect/token", form)
                .statusCode();
    }

    /** A request to the admin REST API of a realm as the bootstrap admin; the answer as is. */
    HttpResponse<String> admin(String method, String realm, String path, String jsonBody) {
        String admin = token("master", "admin-cli", "admin", adminPassword);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + "/admin/realms/" + realm + path))
                .header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        jsonBody == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(jsonBody));
        return send(request);
    }

    /** The id of a user of {@code realm}. */
    String userId(String realm, String username) {
        HttpResponse<String> found = admin(
                "GET",
                realm,
                "/users?exact=true&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8),
                null);
        JsonNode matches = json(found.body());
        if (found.statusCode() != 200 || matches.size() != 1) {
            throw new AssertionError("user " + username + " not found in " + realm + ": " + found.body());
        }
        return matches.get(0).path("id").asText();
    }

    /** Ends every session of the user (and so every refresh token issued in them), as an administrator would. */
    void logout(String realm, String username) {
        HttpResponse<String> response = admin("POST", realm, "/users/" + userId(realm, username) + "/logout", null);
        if (response.statusCode() != 204) {
            throw new AssertionError(
                    "logout of " + username + " failed: " + response.statusCode() + " " + response.body());
        }
    }

    /** An access token by the password grant of one of the realm's clients. */
    String token(String clientId, String username) {
        return token(REALM, clientId, username, username + "-e2e-password");
    }

    private String token(String realm, String clientId, String username, String password) {
        HttpResponse<String> response = post(
                "http://127.0.0.1:" + port + "/realms/" + realm + "/protocol/openid-connect/token",
                Map.of(
                        "grant_type", "password",
                        "client_id", clientId,
                        "username", username,
                        "password", password,
                        "scope", "openid"));
        if (response.statusCode() != 200) {
            throw new AssertionError("no token for " + username + " from " + clientId + ": " + response.statusCode()
                    + " " + response.body());
        }
        return json(response.body()).path("access_token").asText();
    }

    /** Sets the user's {@code keyline_tenant} attribute through the admin REST API. */
    void setTenant(String username, String tenantId) {
        String admin = token("master", "admin-cli", "admin", adminPassword);
        String users = "http://127.0.0.1:" + port + "/admin/realms/" + REALM + "/users";
        HttpResponse<String> found = send(HttpRequest.newBuilder(URI.create(
                        users + "?exact=true&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + admin)
                .GET());
        JsonNode matches = json(found.body());
        if (found.statusCode() != 200 || matches.size() != 1) {
            throw new AssertionError("user " + username + " not found: " + found.body());
        }
        ObjectNode user = (ObjectNode) matches.get(0);
        ObjectNode attributes = user.has("attributes") && user.get("attributes").isObject()
                ? (ObjectNode) user.get("attributes")
                : user.putObject("attributes");
        attributes.putArray("keyline_tenant").add(tenantId);
        HttpResponse<String> updated = send(
                HttpRequest.newBuilder(URI.create(users + "/" + user.path("id").asText()))
                        .header("Authorization", "Bearer " + admin)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(user.toString())));
        if (updated.statusCode() != 204) {
            throw new AssertionError(
                    "could not set keyline_tenant on " + username + ": " + updated.statusCode() + " " + updated.body());
        }
    }

    String tail() {
        return E2e.tail(log, 80);
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        // kc.sh runs Java as its child: end the whole tree, children first.
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
            for (ProcessHandle child : tree) {
                child.onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // best effort: the JVM exits soon anyway
        }
    }

    static HttpResponse<String> post(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static JsonNode json(String body) {
        try {
            return Api.JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
