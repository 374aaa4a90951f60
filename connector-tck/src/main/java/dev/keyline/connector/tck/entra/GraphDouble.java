package dev.keyline.connector.tck.entra;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import dev.keyline.connector.tck.KitRequest;
import dev.keyline.connector.tck.UpstreamDouble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A scriptable double of Microsoft Graph v1.0 and of the Microsoft Entra token endpoint, in one loopback server, built
 * from Graph's published v1.0 metadata and Microsoft's documentation. Tests reach it through a rerouting transport
 * for {@code graph.microsoft.com} and {@code login.microsoftonline.com}; the links it writes name the real Graph host.
 *
 * <ul>
 *   <li>{@code POST /{tenant}/oauth2/v2.0/token}: the client credentials grant; AADSTS90002 for an unknown tenant,
 *       700016 for an unknown client, 7000215 for a wrong secret, 7000222 for an expired one, in Microsoft's
 *       token-error JSON. Issued tokens carry the granted application permissions in their {@code roles} claim.
 *   <li>{@code /v1.0/users}, {@code /users/{id}}, {@code /users/{id}/memberOf/microsoft.graph.group},
 *       {@code /users/delta}, {@code /groups}, {@code /groups/{id}}, {@code /groups/{id}/members/microsoft.graph.user},
 *       {@code /roleManagement/directory/roleDefinitions}, {@code /roleManagement/directory/roleAssignments},
 *       {@code /reports/authenticationMethods/userRegistrationDetails}: {@code $select}, {@code $top},
 *       {@code @odata.nextLink} paging with {@code $skiptoken}, {@code $count}, simple {@code eq} filters; a 403
 *       {@code Authorization_RequestDenied} for a permission the token lacks.
 *   <li>Faults: 429 (or 503/504) with {@code Retry-After}, a 500, expired delta tokens (400 {@code syncStateNotFound})
 *       and a resync (410 Gone).
 * </ul>
 *
 * <p>Thread-safe: every change takes effect from the next request. Uses no test framework, so the demo may run it.
 */
public final class GraphDouble implements UpstreamDouble {
    public static final String USER_READ_ALL = "User.Read.All";
    public static final String GROUP_MEMBER_READ_ALL = "GroupMember.Read.All";
    public static final String ROLE_MANAGEMENT_READ_DIRECTORY = "RoleManagement.Read.Directory";
    public static final String AUDIT_LOG_READ_ALL = "AuditLog.Read.All";
    /** Every permission the connector can use. */
    public static final Set<String> ALL_PERMISSIONS =
            Set.of(USER_READ_ALL, GROUP_MEMBER_READ_ALL, ROLE_MANAGEMENT_READ_DIRECTORY, AUDIT_LOG_READ_ALL);

    private final HttpServer server;
    private final ExecutorService executor;
    final GraphState state;

    private GraphDouble(Builder builder) throws IOException {
        this.state = new GraphState(builder);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        this.executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "graph-double");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", new GraphHandler(state));
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:port}, what the real hosts are rerouted to. */
    public String rootUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The tenant's id (a GUID). */
    public String tenantId() {
        return state.tenantId;
    }

    /** A token that carries every granted permission now, as the token endpoint would issue it. */
    public String validToken() {
        return state.issue(state.granted());
    }

    /** The registered app's client id. */
    public String clientId() {
        return state.clientId;
    }

    /** The registered app's client secret. */
    public String clientSecret() {
        return state.clientSecret;
    }

    /** A token Graph does not know: answered 401 {@code InvalidAuthenticationToken}. */
    public String wrongToken() {
        return state.wrongToken;
    }

    /** A token without any application permission: answered 403 {@code Authorization_RequestDenied}. */
    public String forbiddenToken() {
        return state.issue(Set.of());
    }

    // ---- scripting ----

    /** Adds or replaces a user, in Graph's JSON (id, userPrincipalName, accountEnabled, ...); a change for delta. */
    public GraphDouble putUser(Map<String, ?> user) {
        state.putUser(user);
        return this;
    }

    /**
     * Removes a user: soft ({@code permanently} false: to deleted items, delta says {@code reason: changed}) or for
     * good ({@code reason: deleted}).
     */
    public GraphDouble deleteUser(String id, boolean permanently) {
        state.deleteUser(id, permanently);
        return this;
    }

    /** Sets {@code accountEnabled}; a change for delta. */
    public GraphDouble setAccountEnabled(String id, boolean enabled) {
        state.setAccountEnabled(id, enabled);
        return this;
    }

    public GraphDouble putGroup(Map<String, ?> group, List<String> memberIds) {
        state.putGroup(group, memberIds);
        return this;
    }

    /** A role definition in Graph's JSON and the principals (users or groups) assigned to it directly. */
    public GraphDouble putRoleDefinition(Map<String, ?> definition, List<String> principalIds) {
        state.putRole(definition, principalIds);
        return this;
    }

    /** A row of the registration-details report. */
    public GraphDouble putRegistration(String userId, boolean mfaRegistered, List<String> methods) {
        state.putRegistration(userId, mfaRegistered, methods);
        return this;
    }

    /** The application permissions admin consent was granted for; tokens issued later carry them. */
    public GraphDouble grant(Set<String> permissions) {
        state.grant(permissions);
        return this;
    }

    /** Whether the tenant has Entra ID P1/P2 (sign-in activity needs it). */
    public GraphDouble premium(boolean premium) {
        state.premium = premium;
        return this;
    }

    /** A new client secret replaces the old one, which is refused from now on (AADSTS7000215). */
    public GraphDouble newClientSecret(String secret) {
        state.rotateSecret(requireNonNull(secret, "secret is null"));
        return this;
    }

    public GraphDouble expireClientSecret() {
        state.secretExpired = true;
        return this;
    }

    /**
     * Every delta link handed out so far has outlived its seven days: answered 400 {@code syncStateNotFound} from now
     * on.
     */
    public GraphDouble expireDeltaTokens() {
        state.expireDeltaTokens(false);
        return this;
    }

    /** Graph asks for a full resync: every delta link handed out so far is answered 410 Gone with a Location. */
    public GraphDouble requireResync() {
        state.expireDeltaTokens(true);
        return this;
    }

    /** Answers the next Graph request with {@code status} and {@code Retry-After} (429, 503 or 504). */
    public GraphDouble throttleNext(int status, Duration retryAfter) {
        state.fault(new GraphState.Fault(status, retryAfter));
        return this;
    }

    @Override
    public void rateLimitNext(Duration retryAfter) {
        throttleNext(429, retryAfter);
    }

    @Override
    public void serverErrorNext() {
        state.fault(new GraphState.Fault(500, null));
    }

    @Override
    public List<KitRequest> requests() {
        return state.requests();
    }

    @Override
    public void clearRequests() {
        state.clearRequests();
    }

    @Override
    public Set<String> secrets() {
        return state.secrets();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Settings of a {@link GraphDouble}; every one has a default. */
    public static final class Builder {
        String tenantId = "8b1c2a6e-3f4d-4e5a-9b7c-0d1e2f3a4b5c";
        final Set<String> domains = new LinkedHashSet<>(List.of("contoso.onmicrosoft.com"));
        String clientId = "2f6b5c9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f";
        String clientSecret = "Q8x~double-secret-" + Long.toHexString(System.nanoTime());
        String graphUrl = "https://graph.microsoft.com";
        final Set<String> granted = new HashSet<>(ALL_PERMISSIONS);
        boolean premium = true;
        final Map<String, Map<String, Object>> users = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        final Map<String, List<String>> members = new HashMap<>();
        final Map<String, Map<String, Object>> roles = new LinkedHashMap<>();
        final Map<String, List<String>> assignments = new HashMap<>();
        final Map<String, Map<String, Object>> registrations = new HashMap<>();
        final Map<String, String> expiredClients = new HashMap<>();

        private Builder() {}

        public Builder tenant(String tenantId, String... verifiedDomains) {
            this.tenantId = requireNonNull(tenantId, "tenantId is null");
            domains.clear();
            domains.addAll(List.of(verifiedDomains));
            return this;
        }

        /** A second app registration whose only secret has expired: its grants are answered AADSTS7000222. */
        public Builder expiredClient(String clientId, String clientSecret) {
            expiredClients.put(requireNonNull(clientId, "clientId is null"), requireNonNull(clientSecret, "secret"));
            return this;
        }

        public Builder client(String clientId, String clientSecret) {
            this.clientId = requireNonNull(clientId, "clientId is null");
            this.clientSecret = requireNonNull(clientSecret, "clientSecret is null");
            return this;
        }

        /** The Graph origin written into links, {@code https://graph.microsoft.com} unless a national cloud's. */
        public Builder graphUrl(String graphUrl) {
            this.graphUrl = requireNonNull(graphUrl, "graphUrl is null");
            return this;
        }

        public Builder granted(Set<String> permissions) {
            granted.clear();
            granted.addAll(permissions);
            return this;
        }

        public Builder premium(boolean premium) {
            this.premium = premium;
            return this;
        }

        public Builder user(Map<String, ?> user) {
            users.put(String.valueOf(user.get("id")), new LinkedHashMap<>(user));
            return this;
        }

        public Builder group(Map<String, ?> group, List<String> memberIds) {
            String id = String.valueOf(group.get("id"));
            groups.put(id, new LinkedHashMap<>(group));
            members.put(id, new ArrayList<>(memberIds));
            return this;
        }

        public Builder roleDefinition(Map<String, ?> definition, List<String> principalIds) {
            String id = String.valueOf(definition.get("id"));
            roles.put(id, new LinkedHashMap<>(definition));
            assignments.put(id, new ArrayList<>(principalIds));
            return this;
        }

        public Builder registration(String userId, boolean mfaRegistered, List<String> methods) {
            registrations.put(
                    userId,
                    new LinkedHashMap<>(Map.of(
                            "id",
                            userId,
                            "isMfaRegistered",
                            mfaRegistered,
                            "methodsRegistered",
                            List.copyOf(methods))));
            return this;
        }

        public GraphDouble start() {
            try {
                return new GraphDouble(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
