package dev.keyline.platform.support;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-process double of Vault's HTTP API, as much as Keyline uses: KV v2 ({@code data/}, {@code metadata/},
 * {@code destroy/}, {@code delete/}, list), token checks ({@code X-Vault-Token}), token lookup-self, AppRole
 * login, {@code sys/health}, and a sealed mode. Versions are kept so tests can tell "soft deleted" from
 * "destroyed". Runs on an ephemeral loopback port.
 */
public final class VaultKv2Double implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String mount;
    private final Map<String, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Secret> secrets = new TreeMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicBoolean sealed = new AtomicBoolean();
    private HttpServer server;
    private int port;

    private VaultKv2Double(String mount, String rootToken) {
        this.mount = requireNonNull(mount, "mount is null");
        tokens.put(requireNonNull(rootToken, "rootToken is null"), "root");
    }

    public static VaultKv2Double start(String mount, String rootToken) {
        VaultKv2Double vault = new VaultKv2Double(mount, rootToken);
        vault.listen(0);
        return vault;
    }

    private synchronized void listen(int requestedPort) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server.createContext("/v1/", this::handle);
        server.start();
        port = server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops answering, as if Vault's process was gone: connections are refused. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    /** Answers again on the same port, with the same contents. */
    public synchronized void restart() {
        if (server == null) {
            listen(port);
        }
    }

    public void seal(boolean value) {
        sealed.set(value);
    }

    /** Lets AppRole logins with this role and secret id succeed, issuing a fresh token. */
    public void allowAppRole(String roleId, String secretId) {
        tokens.put("approle:" + roleId + ":" + secretId, "approle-credentials");
    }

    /** The requests received, as {@code METHOD /v1/path}; never bodies or headers. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The data of the latest live version, or null. */
    public synchronized Map<String, Object> latest(String path) {
        Secret secret = secrets.get(path);
        if (secret == null) {
            return null;
        }
        Version version = secret.versions.get(secret.currentVersion);
        return version == null || !version.live() ? null : version.data;
    }

    /** Every version still held for the path (including soft-deleted), or none after a metadata delete. */
    public synchronized int versionsHeld(String path) {
        Secret secret = secrets.get(path);
        return secret == null
                ? 0
                : (int) secret.versions.values().stream()
                        .filter(v -> !v.destroyed)
                        .count();
    }

    /** Makes every version of the path look written {@code age} earlier, as if left by a crash that long ago. */
    public synchronized void backdate(String path, java.time.Duration age) {
        Secret secret = secrets.get(path);
        if (secret != null) {
            for (Version version : secret.versions.values()) {
                version.createdTime =
                        Instant.parse(version.createdTime).minus(age).toString();
            }
        }
    }

    public synchronized java.util.Set<String> paths() {
        return new TreeSet<>(secrets.keySet());
    }

    @Override
    public void close() {
        stop();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (RuntimeException e) {
                respond(exchange, 500, errors("double failed: " + e.getClass().getSimpleName()));
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath().substring("/v1/".length());
            String query = exchange.getRequestURI().getQuery();
            requests.add(method + " /v1/" + path);
            byte[] body = readBody(exchange.getRequestBody());

            if (path.equals("sys/health")) {
                respond(exchange, sealed.get() ? 503 : 200, Map.of("initialized", true, "sealed", sealed.get()));
                return;
            }
            if (sealed.get()) {
                respond(exchange, 503, errors("Vault is sealed"));
                return;
            }
            if (path.equals("auth/approle/login") && method.equals("POST")) {
                JsonNode login = JSON.readTree(body);
                String key = "approle:" + login.path("role_id").asText() + ":"
                        + login.path("secret_id").asText();
                if (!tokens.containsKey(key)) {
                    respond(exchange, 400, errors("invalid role or secret ID"));
                    return;
                }
                String token = "hvs.double-" + java.util.UUID.randomUUID();
                tokens.put(token, "approle");
                respond(
                        exchange,
                        200,
                        Map.of(
                                "auth",
                                Map.of(
                                        "client_token",
                                        token,
                                        "accessor",
                                        "accessor",
                                        "policies",
                                        List.of("default"),
                                        "lease_duration",
                                        3600,
                                        "renewable",
                                        true)));
                return;
            }
            String token = exchange.getRequestHeaders().getFirst("X-Vault-Token");
            if (token == null || token.startsWith("approle:") || !tokens.containsKey(token)) {
                respond(exchange, 403, errors("permission denied"));
                return;
            }
            if (path.equals("auth/token/lookup-self")) {
                respond(exchange, 200, Map.of("data", Map.of("ttl", 0, "renewable", false, "policies", List.of())));
                return;
            }
            if (!path.startsWith(mount + "/")) {
                respond(exchange, 404, errors("no handler for route \"" + path + "\""));
                return;
            }
            String rest = path.substring(mount.length() + 1);
            int slash = rest.indexOf('/');
            String area = slash < 0 ? rest : rest.substring(0, slash);
            String key = slash < 0 ? "" : rest.substring(slash + 1);
            boolean list = method.equals("LIST") || (method.equals("GET") && "list=true".equals(query));
            synchronized (this) {
                switch (area) {
                    case "data" -> data(exchange, method, key, body);
                    case "metadata" -> {
                        if (list) {
                            list(exchange, key);
                        } else {
                            metadata(exchange, method, key);
                        }
                    }
                    case "destroy" -> destroy(exchange, method, key, body, true);
                    case "delete" -> destroy(exchange, method, key, body, false);
                    default -> respond(exchange, 404, errors("unsupported path"));
                }
            }
        }
    }

    private void data(HttpExchange exchange, String method, String key, byte[] body) throws IOException {
        switch (method) {
            case "GET" -> {
                Secret secret = secrets.get(key);
                Version version = secret == null ? null : secret.versions.get(secret.currentVersion);
                if (version == null || !version.live()) {
                    respond(exchange, 404, errors());
                    return;
                }
                respond(
                        exchange,
                        200,
                        envelope(Map.of("data", version.data, "metadata", version.metadata(secret.currentVersion))));
            }
            case "POST", "PUT" -> {
                JsonNode request = JSON.readTree(body);
                if (!request.path("data").isObject()) {
                    respond(exchange, 400, errors("no data provided"));
                    return;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> data = JSON.convertValue(request.get("data"), LinkedHashMap.class);
                Secret secret = secrets.computeIfAbsent(key, k -> new Secret());
                secret.currentVersion++;
                secret.versions.put(
                        secret.currentVersion, new Version(data, Instant.now().toString()));
                respond(
                        exchange,
                        200,
                        envelope(secret.versions.get(secret.currentVersion).metadata(secret.currentVersion)));
            }
            case "DELETE" -> {
                Secret secret = secrets.get(key);
                if (secret != null && secret.versions.containsKey(secret.currentVersion)) {
                    secret.versions.get(secret.currentVersion).deletionTime =
                            Instant.now().toString();
                }
                respond(exchange, 204, null);
            }
            default -> respond(exchange, 405, errors("unsupported operation"));
        }
    }

    private void metadata(HttpExchange exchange, String method, String key) throws IOException {
        switch (method) {
            case "GET" -> {
                Secret secret = secrets.get(key);
                if (secret == null) {
                    respond(exchange, 404, errors());
                    return;
                }
                Map<String, Object> versions = new LinkedHashMap<>();
                secret.versions.forEach((n, v) -> versions.put(String.valueOf(n), v.metadata(n)));
                TreeMap<Integer, Version> held = (TreeMap<Integer, Version>) secret.versions;
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("current_version", secret.currentVersion);
                metadata.put("oldest_version", held.isEmpty() ? 0 : held.firstKey());
                // As Vault: created_time is the first version's, updated_time the latest write's.
                metadata.put(
                        "created_time",
                        held.isEmpty() ? null : held.firstEntry().getValue().createdTime);
                metadata.put(
                        "updated_time", held.isEmpty() ? null : held.lastEntry().getValue().createdTime);
                metadata.put("max_versions", 0);
                metadata.put("cas_required", false);
                metadata.put("delete_version_after", "0s");
                metadata.put("custom_metadata", null);
                metadata.put("versions", versions);
                respond(exchange, 200, envelope(metadata));
            }
            case "DELETE" -> {
                secrets.remove(key);
                respond(exchange, 204, null);
            }
            default -> respond(exchange, 405, errors("unsupported operation"));
        }
    }

    private void destroy(HttpExchange exchange, String method, String key, byte[] body, boolean destroy)
            throws IOException {
        if (!method.equals("POST") && !method.equals("PUT")) {
            respond(exchange, 405, errors("unsupported operation"));
            return;
        }
        Secret secret = secrets.get(key);
        if (secret != null) {
            for (JsonNode n : JSON.readTree(body).path("versions")) {
                Version version = secret.versions.get(n.asInt());
                if (version != null) {
                    if (destroy) {
                        version.destroyed = true;
                        version.data = null;
                    } else {
                        version.deletionTime = Instant.now().toString();
                    }
                }
            }
        }
        respond(exchange, 204, null);
    }

    private void list(HttpExchange exchange, String folder) throws IOException {
        String prefix = folder.isEmpty() || folder.endsWith("/") ? folder : folder + "/";
        TreeSet<String> keys = new TreeSet<>();
        for (String path : secrets.keySet()) {
            if (path.startsWith(prefix)) {
                String rest = path.substring(prefix.length());
                int slash = rest.indexOf('/');
                keys.add(slash < 0 ? rest : rest.substring(0, slash + 1));
            }
        }
        if (keys.isEmpty()) {
            respond(exchange, 404, errors());
            return;
        }
        respond(exchange, 200, envelope(Map.of("keys", new ArrayList<>(keys))));
    }

    private static Map<String, Object> envelope(Object data) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("request_id", java.util.UUID.randomUUID().toString());
        response.put("lease_id", "");
        response.put("renewable", false);
        response.put("lease_duration", 0);
        response.put("data", data);
        response.put("wrap_info", null);
        response.put("warnings", null);
        response.put("auth", null);
        return response;
    }

    private static Map<String, Object> errors(String... messages) {
        return Map.of("errors", List.of(messages));
    }

    private static byte[] readBody(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class Secret {
        final Map<Integer, Version> versions = new TreeMap<>();
        int currentVersion;
    }

    private static final class Version {
        Map<String, Object> data;
        String createdTime;
        String deletionTime = "";
        boolean destroyed;

        Version(Map<String, Object> data, String createdTime) {
            this.data = data;
            this.createdTime = createdTime;
        }

        boolean live() {
            return !destroyed && deletionTime.isEmpty();
        }

        Map<String, Object> metadata(int number) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("created_time", createdTime);
            metadata.put("custom_metadata", null);
            metadata.put("deletion_time", deletionTime);
            metadata.put("destroyed", destroyed);
            metadata.put("version", number);
            return metadata;
        }
    }
}
