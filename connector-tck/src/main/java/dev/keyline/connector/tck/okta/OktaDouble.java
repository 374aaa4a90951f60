package dev.keyline.connector.tck.okta;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import dev.keyline.connector.tck.KitRequest;
import dev.keyline.connector.tck.UpstreamDouble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-process double of an Okta org's Management API and its org authorization server's token endpoint, built from
 * Okta's published management OpenAPI description and developer.okta.com. It answers whatever {@code Host} it is
 * reached as, so a connector configured for {@code acme.okta.com} can be routed to it (the kit's
 * {@code ReroutingTransport}, or the platform's {@code keyline.egress.host-overrides}).
 *
 * <p>What it serves, in Okta's shapes: {@code GET /api/v1/users} (Link-header paging, {@code limit} at most 200,
 * DEPROVISIONED users left out unless a {@code filter} or {@code search} is given), {@code /api/v1/users/{id}},
 * {@code /users/{id}/groups}, {@code /users/{id}/roles}, {@code /users/{id}/factors}, {@code /api/v1/groups},
 * {@code /groups/{id}}, {@code /groups/{id}/users}, {@code /groups/{id}/roles}, {@code /api/v1/iam/assignees/users},
 * and {@code POST /oauth2/v1/token} (client credentials with a private-key JWT client assertion). Errors carry Okta's
 * body ({@code errorCode}, {@code errorSummary}, {@code errorLink}, {@code errorId}, {@code errorCauses}); a 429 carries
 * {@code x-rate-limit-limit}, {@code x-rate-limit-remaining: 0} and {@code x-rate-limit-reset} (UTC epoch seconds).
 *
 * <pre>{@code
 * try (OktaDouble okta = OktaDouble.builder().port(0).apiToken("00abc").start()) {
 *     String ada = okta.addUser("ada@acme.example", "ada@acme.example", "Ada", "Lovelace", "ACTIVE");
 *     okta.addGroup("Engineering", ada);
 *     okta.assignAdminRole(ada, "SUPER_ADMIN");
 *     ... route https://acme.okta.com to okta.orgUrl() ...
 * }
 * }</pre>
 *
 * <p>Thread-safe; changes take effect from the next request. No JUnit or AssertJ here: the demo runs it too.
 */
public final class OktaDouble implements UpstreamDouble {
    /** Scopes of the Okta management API, for {@link #registerServiceApp}. */
    public static final Set<String> READ_SCOPES = Set.of("okta.users.read", "okta.groups.read", "okta.roles.read");

    static {
        // As in JsonApiDouble: without TCP_NODELAY every keep-alive request waits ~40 ms for a delayed ACK.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    final Object lock = new Object();
    final Map<String, Map<String, Object>> users = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
    final Map<String, List<String>> members = new LinkedHashMap<>();
    final Map<String, List<Map<String, Object>>> userRoles = new LinkedHashMap<>();
    final Map<String, List<Map<String, Object>>> groupRoles = new LinkedHashMap<>();
    final Map<String, List<Map<String, Object>>> factors = new LinkedHashMap<>();
    final Map<String, ServiceApp> apps = new LinkedHashMap<>();
    final Map<String, Set<String>> accessTokens = new LinkedHashMap<>();
    final List<OktaFault> faults = new ArrayList<>();
    final List<KitRequest> requests = new ArrayList<>();
    final Clock clock;
    private final HttpServer server;
    private final ExecutorService executor;
    private final String orgUrl;
    private volatile String apiToken;
    private final String forbiddenApiToken;

    /** A registered OAuth 2.0 service app: its client id, public key (null: any signature passes) and scopes. */
    record ServiceApp(String clientId, PublicKey publicKey, Set<String> grantedScopes, boolean requireDpop) {}

    private OktaDouble(Builder builder) throws IOException {
        this.clock = builder.clock;
        this.apiToken = builder.apiToken;
        this.forbiddenApiToken = "00forbidden" + OktaShapes.randomId(24);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), builder.port), 64);
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "okta-double");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", new OktaHandler(this));
        server.start();
        this.orgUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:<port>}: where to route the org's real host to. */
    public String orgUrl() {
        return orgUrl;
    }

    /** The SSWS API token it accepts now. */
    public String apiToken() {
        return apiToken;
    }

    /** Accepts only this API token from now on (the old one answers 401 E0000011, as a revoked token does). */
    public void apiToken(String token) {
        this.apiToken = requireNonNull(token, "token is null");
    }

    /** A token Okta knows whose administrator may not read the directory: every API call answers 403 E0000006. */
    public String forbiddenApiToken() {
        return forbiddenApiToken;
    }

    // ---- the directory ----

    /** Adds a user with Okta's default profile and returns its id ({@code 00u...}). */
    public String addUser(String login, String email, String firstName, String lastName, String status) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("login", requireNonNull(login, "login is null"));
        profile.put("email", email);
        profile.put("firstName", firstName);
        profile.put("lastName", lastName);
        Instant now = now();
        return putUser("00u" + OktaShapes.randomId(17), status, profile, now, now);
    }

    /** Adds or replaces a user with this id, status, profile and times (null times: now). */
    public String putUser(String id, String status, Map<String, ?> profile, Instant created, Instant lastUpdated) {
        requireNonNull(id, "id is null");
        requireNonNull(status, "status is null");
        Instant now = now();
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("id", id);
        user.put("status", status);
        user.put("created", OktaShapes.time(created == null ? now : created));
        user.put("activated", status.equals("STAGED") ? null : OktaShapes.time(created == null ? now : created));
        user.put("statusChanged", null);
        user.put("lastLogin", null);
        user.put("lastUpdated", OktaShapes.time(lastUpdated == null ? now : lastUpdated));
        user.put("passwordChanged", null);
        user.put("type", Map.of("id", "oty1defaultusertype"));
        user.put("profile", new LinkedHashMap<>(profile));
        synchronized (lock) {
            users.put(id, user);
        }
        return id;
    }

    /** Sets a profile attribute ({@code department}, {@code title}, {@code managerId}...) and bumps lastUpdated. */
    public void setProfile(String userId, String attribute, Object value) {
        change(userId, user -> OktaShapes.profileOf(user).put(attribute, value));
    }

    /** Changes a user's status (DEPROVISIONED deactivates) and bumps lastUpdated and statusChanged. */
    public void setStatus(String userId, String status) {
        change(userId, user -> {
            user.put("status", requireNonNull(status, "status is null"));
            user.put("statusChanged", OktaShapes.time(now()));
        });
    }

    /** Sets the time of the user's last sign-in. */
    public void setLastLogin(String userId, Instant lastLogin) {
        synchronized (lock) {
            requireUser(userId).put("lastLogin", lastLogin == null ? null : OktaShapes.time(lastLogin));
        }
    }

    /** Deletes a user for good (Okta's delete of a DEPROVISIONED user): 404 from now on, in no listing. */
    public void deleteUser(String userId) {
        synchronized (lock) {
            requireUser(userId);
            users.remove(userId);
            userRoles.remove(userId);
            factors.remove(userId);
            members.values().forEach(list -> list.remove(userId));
        }
    }

    /** Adds an Okta group with these members and returns its id ({@code 00g...}). */
    public String addGroup(String name, String... memberIds) {
        Instant now = now();
        return putGroup("00g" + OktaShapes.randomId(17), name, null, now, now, List.of(memberIds));
    }

    /** Adds or replaces a group ({@code OKTA_GROUP}) with this id, profile, times and members. */
    public String putGroup(
            String id, String name, String description, Instant created, Instant lastUpdated, List<String> memberIds) {
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("name", requireNonNull(name, "name is null"));
        profile.put("description", description);
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("id", requireNonNull(id, "id is null"));
        group.put("created", OktaShapes.time(created));
        group.put("lastUpdated", OktaShapes.time(lastUpdated));
        group.put("lastMembershipUpdated", OktaShapes.time(lastUpdated));
        group.put("objectClass", List.of("okta:user_group"));
        group.put("type", "OKTA_GROUP");
        group.put("profile", profile);
        synchronized (lock) {
            groups.put(id, group);
            members.put(id, new ArrayList<>(memberIds));
        }
        return id;
    }

    /** Assigns a standard admin role ({@code SUPER_ADMIN}, {@code READ_ONLY_ADMIN}...) to a user directly. */
    public void assignAdminRole(String userId, String roleType) {
        synchronized (lock) {
            requireUser(userId);
            userRoles.computeIfAbsent(userId, k -> new ArrayList<>()).add(OktaShapes.role(roleType, "USER", now()));
        }
    }

    /** Assigns a standard admin role to a group: its members hold it (listed on them as assignmentType GROUP). */
    public void assignGroupAdminRole(String groupId, String roleType) {
        synchronized (lock) {
            if (!groups.containsKey(groupId)) {
                throw new IllegalArgumentException("no group " + groupId);
            }
            groupRoles.computeIfAbsent(groupId, k -> new ArrayList<>()).add(OktaShapes.role(roleType, "GROUP", now()));
        }
    }

    /** Enrolls a factor ({@code token:software:totp}, {@code push}, {@code webauthn}...) with this status. */
    public void addFactor(String userId, String factorType, String status) {
        Map<String, Object> factor = new LinkedHashMap<>();
        factor.put("id", "mfa" + OktaShapes.randomId(17));
        factor.put("factorType", requireNonNull(factorType, "factorType is null"));
        factor.put("provider", "OKTA");
        factor.put("status", requireNonNull(status, "status is null"));
        factor.put("created", OktaShapes.time(now()));
        synchronized (lock) {
            requireUser(userId);
            factors.computeIfAbsent(userId, k -> new ArrayList<>()).add(factor);
        }
    }

    // ---- the org authorization server ----

    /**
     * Registers an API service app for the client credentials grant with a private-key JWT: its client id, the
     * public half of its key ({@code null}: signatures are not checked) and the Okta API scopes granted to it.
     */
    public void registerServiceApp(String clientId, PublicKey publicKey, Set<String> grantedScopes) {
        registerServiceApp(clientId, publicKey, grantedScopes, false);
    }

    /** As {@link #registerServiceApp(String, PublicKey, Set)}, with "Require DPoP" switched on or off. */
    public void registerServiceApp(String clientId, PublicKey publicKey, Set<String> grantedScopes, boolean dpop) {
        synchronized (lock) {
            apps.put(clientId, new ServiceApp(clientId, publicKey, Set.copyOf(grantedScopes), dpop));
        }
    }

    // ---- faults and the log ----

    /** Starts a fault; see {@link OktaFault}. */
    public OktaFault inject(OktaFault fault) {
        synchronized (lock) {
            faults.add(requireNonNull(fault, "fault is null"));
        }
        return fault;
    }

    public void clearFaults() {
        synchronized (lock) {
            faults.clear();
        }
    }

    /** 429 in Okta's form on the next request, resetting {@code retryAfter} from now. */
    @Override
    public void rateLimitNext(Duration retryAfter) {
        inject(OktaFault.rateLimited(retryAfter).forNext(1));
    }

    @Override
    public void serverErrorNext() {
        inject(OktaFault.serverError().forNext(1));
    }

    /** Every request received (header names only), oldest first. */
    @Override
    public List<KitRequest> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void clearRequests() {
        synchronized (lock) {
            requests.clear();
        }
    }

    @Override
    public Set<String> secrets() {
        Set<String> secrets = new LinkedHashSet<>(List.of(apiToken, forbiddenApiToken, wrongApiToken()));
        synchronized (lock) {
            secrets.addAll(accessTokens.keySet());
        }
        return secrets;
    }

    /** A token of the right shape Okta does not know: 401 E0000011. */
    public String wrongApiToken() {
        return "00wrong" + Integer.toHexString(apiToken.hashCode()) + "unknowntoken";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "OktaDouble[" + orgUrl + "]";
    }

    // ---- helpers for the handler ----

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private Map<String, Object> requireUser(String userId) {
        Map<String, Object> user = users.get(userId);
        if (user == null) {
            throw new IllegalArgumentException("no user " + userId);
        }
        return user;
    }

    private void change(String userId, java.util.function.Consumer<Map<String, Object>> change) {
        synchronized (lock) {
            Map<String, Object> user = requireUser(userId);
            change.accept(user);
            // Strictly later than before, so a lastUpdated watermark taken earlier always sees the change.
            Instant before = Instant.parse((String) user.get("lastUpdated"));
            Instant now = now();
            user.put("lastUpdated", OktaShapes.time(now.isAfter(before) ? now : before.plusMillis(1)));
        }
    }

    /** Settings before start. */
    public static final class Builder {
        private int port;
        private String apiToken = "00okta-double-" + OktaShapes.randomId(30);
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** The SSWS API token it accepts. */
        public Builder apiToken(String apiToken) {
            this.apiToken = requireNonNull(apiToken, "apiToken is null");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        public OktaDouble start() {
            try {
                return new OktaDouble(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the Okta double", e);
            }
        }
    }
}
