package dev.keyline.connector.tck.google;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import dev.keyline.connector.tck.KitRequest;
import dev.keyline.connector.tck.UpstreamDouble;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process double of Google's Admin SDK Directory API ({@code /admin/directory/v1/...}) and of Google's OAuth
 * token endpoint ({@code /token}) for the JWT bearer grant of a service account with domain-wide delegation, built
 * from the discovery document {@code admin:directory_v1} and Google's "Using OAuth 2.0 for Server to Server
 * Applications". It binds to 127.0.0.1 on an ephemeral port; tests reach it for {@code https://admin.googleapis.com}
 * and {@code https://oauth2.googleapis.com} through a rerouting transport or the platform's host overrides.
 *
 * <pre>{@code
 * try (GoogleDirectoryDouble google = GoogleDirectoryDouble.builder()
 *         .serviceAccount("keyline@acme-project.iam.gserviceaccount.com", keyPair.getPublic())
 *         .delegatedScopes(List.of("https://www.googleapis.com/auth/admin.directory.user.readonly", ...))
 *         .start()) {
 *     google.putUser(GoogleDirectoryDouble.user("1001", "ada@acme.example").suspended(true).admin(true).build());
 *     google.superAdmin("ada@acme.example");
 *     String token = google.issueToken("ada@acme.example", scopes);   // or POST /token with an assertion
 * }
 * }</pre>
 *
 * <p>Records are JSON maps in Google's shapes ({@link #user(String, String)} builds one). Listing answers
 * {@code {"kind", "<items>": [...], "nextPageToken"}} and clamps nothing: a {@code maxResults} above the documented
 * maximum (users 500, groups and members 200, roles 100, role assignments 200) is a 400, as Google answers it.
 * Errors carry Google's body {@code {"error": {"code", "message", "errors": [{"message", "domain", "reason"}],
 * "status"}}}. Every method but GET on the API, and POST on {@code /token}, is answered 405 and logged. Thread-safe.
 */
public final class GoogleDirectoryDouble implements UpstreamDouble {
    /** The audience Google requires in an assertion: its token endpoint. */
    public static final String TOKEN_URL = "https://oauth2.googleapis.com/token";

    public static final String SCOPE_USERS = "https://www.googleapis.com/auth/admin.directory.user.readonly";
    public static final String SCOPE_GROUPS = "https://www.googleapis.com/auth/admin.directory.group.readonly";
    public static final String SCOPE_MEMBERS = "https://www.googleapis.com/auth/admin.directory.group.member.readonly";
    public static final String SCOPE_ROLES = "https://www.googleapis.com/auth/admin.directory.rolemanagement.readonly";

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService executor;
    private final String rootUrl;
    private final String customerId;
    private final Clock clock;
    final Map<String, Map<String, Object>> users = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
    final Map<String, List<Map<String, Object>>> members = new LinkedHashMap<>();
    final Map<String, Map<String, Object>> roles = new LinkedHashMap<>();
    final List<Map<String, Object>> roleAssignments = new ArrayList<>();
    /** Who may read what: subject e-mail (lower case) → areas ({@code users}, {@code groups}, {@code roles}). */
    final Map<String, Set<String>> admins = new ConcurrentHashMap<>();
    /** Issued tokens → what they carry. */
    final Map<String, Grant> tokens = new ConcurrentHashMap<>();

    final List<KitRequest> requests = new ArrayList<>();
    final List<Fault> faults = new ArrayList<>();
    volatile String serviceAccountEmail;
    volatile PublicKey serviceAccountKey;
    volatile Set<String> delegatedScopes = Set.of();
    volatile boolean keyDeleted;
    volatile boolean serviceAccountDisabled;
    volatile boolean apiDisabled;
    private final String validToken;
    private final String forbiddenToken;
    private final String wrongToken;

    /** What an access token stands for: the administrator it acts as and its scopes. */
    record Grant(String subject, Set<String> scopes) {}

    /** A scripted failure of the next matching API request. */
    record Fault(int status, String reason, String message, String statusName, Duration retryAfter, String pathPart) {}

    private GoogleDirectoryDouble(Builder builder) throws IOException {
        this.customerId = builder.customerId;
        this.clock = builder.clock;
        this.serviceAccountEmail = builder.serviceAccountEmail;
        this.serviceAccountKey = builder.serviceAccountKey;
        this.delegatedScopes = Set.copyOf(builder.delegatedScopes);
        int instance = INSTANCES.incrementAndGet();
        String salt = Integer.toHexString(System.identityHashCode(this)) + Long.toHexString(System.nanoTime());
        this.validToken = "ya29.valid-" + salt;
        this.forbiddenToken = "ya29.forbidden-" + salt;
        this.wrongToken = "ya29.wrong-" + salt;
        Set<String> all = Set.of(SCOPE_USERS, SCOPE_GROUPS, SCOPE_ROLES);
        admins.put("admin@double.invalid", Set.of("users", "groups", "roles"));
        tokens.put(validToken, new Grant("admin@double.invalid", all));
        tokens.put(forbiddenToken, new Grant("member@double.invalid", all));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "google-double-" + instance + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", new GoogleDirectoryHandler(this, new GoogleTokenEndpoint(this)));
        server.start();
        this.rootUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:<port>}: stands for both {@code https://admin.googleapis.com} and the token host. */
    public String rootUrl() {
        return rootUrl;
    }

    /** The customer's immutable ID, also served for the alias {@code my_customer}. */
    public String customerId() {
        return customerId;
    }

    Clock clock() {
        return clock;
    }

    // ---- tokens ----

    /** A token for a super administrator with every read scope, as a linked account holds one. */
    public String validToken() {
        return validToken;
    }

    /** A token acting for a user who is no administrator: the API answers 403 "Not Authorized …". */
    public String forbiddenToken() {
        return forbiddenToken;
    }

    /** A token Google never issued (or that expired): answered 401. */
    public String wrongToken() {
        return wrongToken;
    }

    /** Issues an access token for this subject and these scopes, as the token endpoint would. */
    public String issueToken(String subject, Set<String> scopes) {
        String token = "ya29." + Long.toHexString(Double.doubleToLongBits(Math.random()))
                + Long.toHexString(System.nanoTime());
        tokens.put(token, new Grant(subject == null ? null : subject.toLowerCase(Locale.ROOT), Set.copyOf(scopes)));
        return token;
    }

    /** Forgets a token, as after revocation or expiry: it is answered 401 from now on. */
    public void revoke(String token) {
        tokens.remove(token);
    }

    // ---- who is an administrator, what is delegated ----

    /** A super administrator: may read everything. The address must also be a user to be a JWT subject. */
    public void superAdmin(String email) {
        admins.put(email.toLowerCase(Locale.ROOT), Set.of("users", "groups", "roles"));
    }

    /** A delegated administrator whose role may read only these areas ({@code users}, {@code groups}, {@code roles}). */
    public void delegatedAdmin(String email, Set<String> areas) {
        admins.put(email.toLowerCase(Locale.ROOT), Set.copyOf(areas));
    }

    /** The scopes authorised for the service account's client ID under domain-wide delegation. */
    public void delegatedScopes(Set<String> scopes) {
        this.delegatedScopes = Set.copyOf(scopes);
    }

    /** The key was deleted in the Cloud console: assertions it signed are answered {@code invalid_grant}. */
    public void deleteKey() {
        this.keyDeleted = true;
    }

    /** The service account was disabled: its assertions are answered {@code invalid_client}. */
    public void disableServiceAccount() {
        this.serviceAccountDisabled = true;
    }

    /** The Admin SDK API is switched off in the caller's project: every API request is a 403 {@code accessNotConfigured}. */
    public void apiDisabled(boolean disabled) {
        this.apiDisabled = disabled;
    }

    // ---- the directory ----

    /** Adds or replaces a user (a map in Google's {@code User} shape, with {@code id} and {@code primaryEmail}). */
    public void putUser(Map<String, ?> user) {
        synchronized (this) {
            users.put(id(user, "id"), new LinkedHashMap<>(user));
        }
    }

    /** Deletes a user: gone from listings and lookups, as Google's deleted users are. */
    public void deleteUser(String id) {
        synchronized (this) {
            users.remove(id);
        }
    }

    /** Changes fields of a user, for example {@code Map.of("suspended", true)}. */
    public void updateUser(String id, Map<String, ?> changes) {
        synchronized (this) {
            Map<String, Object> user = users.get(id);
            if (user == null) {
                throw new IllegalArgumentException("no user " + id);
            }
            user.putAll(changes);
        }
    }

    /** Adds or replaces a group ({@code Group} shape, with {@code id}) and its direct members ({@code Member} shape). */
    public void putGroup(Map<String, ?> group, List<? extends Map<String, ?>> groupMembers) {
        synchronized (this) {
            String id = id(group, "id");
            Map<String, Object> copy = new LinkedHashMap<>(group);
            copy.put("directMembersCount", String.valueOf(groupMembers.size()));
            groups.put(id, copy);
            List<Map<String, Object>> list = new ArrayList<>();
            groupMembers.forEach(m -> list.add(new LinkedHashMap<>(m)));
            members.put(id, list);
        }
    }

    /** Adds or replaces a role ({@code Role} shape, with {@code roleId}). */
    public void putRole(Map<String, ?> role) {
        synchronized (this) {
            roles.put(id(role, "roleId"), new LinkedHashMap<>(role));
        }
    }

    /** Adds a role assignment ({@code RoleAssignment} shape: {@code roleId}, {@code assignedTo}, {@code assigneeType}). */
    public void putRoleAssignment(Map<String, ?> assignment) {
        synchronized (this) {
            Map<String, Object> copy = new LinkedHashMap<>(assignment);
            copy.putIfAbsent("roleAssignmentId", String.valueOf(9_000_000 + roleAssignments.size()));
            copy.putIfAbsent("kind", "admin#directory#roleAssignment");
            copy.putIfAbsent("scopeType", "CUSTOMER");
            roleAssignments.add(copy);
        }
    }

    private static String id(Map<String, ?> record, String field) {
        Object id = requireNonNull(record, "record is null").get(field);
        if (id == null) {
            throw new IllegalArgumentException("a record needs `" + field + "`: " + record);
        }
        return id.toString();
    }

    /** A user record in Google's shape, to change with the builder's methods. */
    public static GoogleUser.Builder user(String id, String primaryEmail) {
        return GoogleUser.builder(id, primaryEmail);
    }

    // ---- faults ----

    /** The next API request is a 429 {@code RESOURCE_EXHAUSTED} with {@code Retry-After} in seconds. */
    @Override
    public void rateLimitNext(Duration retryAfter) {
        String quota = "Quota exceeded for quota metric 'Queries' of service 'admin.googleapis.com'.";
        inject(new Fault(429, "rateLimitExceeded", quota, "RESOURCE_EXHAUSTED", retryAfter, null));
    }

    /** The next API request is Google's older throttling answer: 403 {@code userRateLimitExceeded}, no Retry-After. */
    public void userRateLimitNext() {
        inject(new Fault(403, "userRateLimitExceeded", "User Rate Limit Exceeded", null, null, null));
    }

    @Override
    public void serverErrorNext() {
        inject(new Fault(500, "backendError", "Backend Error", "INTERNAL", null, null));
    }

    /** The next request whose path contains {@code pathPart} (any when null) fails with this status and reason. */
    public void failNext(String pathPart, int status, String reason, String message) {
        inject(new Fault(status, reason, message, null, null, pathPart));
    }

    private void inject(Fault fault) {
        synchronized (faults) {
            faults.add(fault);
        }
    }

    /** Takes the first fault for this path, if any. */
    Optional<Fault> strike(String path) {
        synchronized (faults) {
            for (Fault fault : faults) {
                if (fault.pathPart() == null || path.contains(fault.pathPart())) {
                    faults.remove(fault);
                    return Optional.of(fault);
                }
            }
            return Optional.empty();
        }
    }

    // ---- the kit's view ----

    void log(KitRequest request) {
        synchronized (requests) {
            requests.add(request);
        }
    }

    @Override
    public List<KitRequest> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    @Override
    public void clearRequests() {
        synchronized (requests) {
            requests.clear();
        }
    }

    /** Every token the double issued or knows; header values are never logged. */
    @Override
    public Set<String> secrets() {
        Set<String> secrets = new HashSet<>(tokens.keySet());
        secrets.add(wrongToken);
        return secrets;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "GoogleDirectoryDouble[" + rootUrl + ", customer " + customerId + "]";
    }

    /** Settings before start; every one has a default. */
    public static final class Builder {
        private String customerId = "C01double";
        private Clock clock = Clock.systemUTC();
        private String serviceAccountEmail = "keyline@double-project.iam.gserviceaccount.com";
        private PublicKey serviceAccountKey;
        private final Set<String> delegatedScopes = new LinkedHashSet<>();

        private Builder() {}

        public Builder customerId(String customerId) {
            this.customerId = requireNonNull(customerId, "customerId is null");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /** The service account whose RS256 assertions {@code /token} accepts: its e-mail ({@code iss}) and key. */
        public Builder serviceAccount(String email, PublicKey key) {
            this.serviceAccountEmail = requireNonNull(email, "email is null");
            this.serviceAccountKey = requireNonNull(key, "key is null");
            return this;
        }

        /** The scopes authorised under domain-wide delegation (none by default). */
        public Builder delegatedScopes(Set<String> scopes) {
            delegatedScopes.addAll(scopes);
            return this;
        }

        public GoogleDirectoryDouble start() {
            try {
                return new GoogleDirectoryDouble(this);
            } catch (IOException e) {
                throw new IllegalStateException("could not start the Google Directory double", e);
            }
        }
    }
}
