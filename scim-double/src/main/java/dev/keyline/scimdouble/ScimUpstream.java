package dev.keyline.scimdouble;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * An in-process SCIM 2.0 server that behaves like 1Password's SCIM endpoints, with a seeded directory,
 * switchable {@link Quirk}s, scriptable {@link Fault}s and a {@link RequestLog}. It binds to 127.0.0.1 on an
 * ephemeral port and serves both URL forms: hosted ({@link #hostedBaseUrl()}) and bridge
 * ({@link #bridgeBaseUrl()}).
 *
 * <pre>{@code
 * try (ScimUpstream upstream = ScimUpstream.builder().users(500).groups(20).seed(42).start()) {
 *     upstream.inject(Fault.rateLimited(Duration.ofSeconds(7)).onRequest(2));
 *     ... point a connector at upstream.hostedBaseUrl() with upstream.token() ...
 *     assertThat(upstream.requests().writes()).isEmpty();
 * }
 * }</pre>
 *
 * <p>It is read-only like 1Password's API as Keyline uses it: every method but GET is answered 405 (and
 * logged). Everything here is thread-safe; switches take effect from the next request.
 */
public final class ScimUpstream implements AutoCloseable {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    static {
        // The JDK server writes headers and body in separate packets; with Nagle's algorithm and delayed
        // ACKs every keep-alive request then costs ~40 ms. The JDK reads this switch once, when its server
        // class loads, so it must be set before the first server starts; an explicit setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final ScimDirectory directory;
    private final RequestLog requests;
    private final Set<UrlForm> urlForms;
    private final int defaultPageSize;
    private final int maxPageSize;
    private final Clock clock;
    private final boolean https;
    private final String rootUrl;
    private final Set<Quirk> quirks = EnumSet.noneOf(Quirk.class);
    private final List<InjectedFault> faults = new ArrayList<>();
    private final Map<String, String> healthStates = new LinkedHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String token;
    private final String forbiddenToken;
    private volatile Duration latency;
    private volatile Mode mode;

    private ScimUpstream(Builder builder) throws IOException {
        this.clock = builder.clock;
        this.directory = ScimDirectory.generate(
                builder.seed,
                builder.users,
                builder.groups,
                builder.membershipsPerUser,
                builder.suspendedFraction,
                builder.domain,
                builder.clock);
        this.requests = new RequestLog(builder.requestLogLimit);
        this.urlForms = Set.copyOf(builder.urlForms);
        this.defaultPageSize = builder.defaultPageSize;
        this.maxPageSize = builder.maxPageSize;
        this.token = builder.token;
        this.forbiddenToken = builder.forbiddenToken;
        this.latency = builder.latency;
        this.mode = builder.mode;
        this.quirks.addAll(builder.quirks);
        for (String source : List.of("ConfirmationWatcher", "RedisCache", "SCIMServer", "StartProvisionWatcher")) {
            healthStates.put(source, "healthy");
        }
        this.https = builder.https;

        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), builder.port);
        if (https) {
            HttpsServer httpsServer = HttpsServer.create(address, 64);
            httpsServer.setHttpsConfigurator(
                    new HttpsConfigurator(SelfSignedCertificate.get().serverContext()));
            this.server = httpsServer;
        } else {
            this.server = HttpServer.create(address, 64);
        }
        int instance = INSTANCES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "scim-upstream-" + instance + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        this.executor = Executors.newCachedThreadPool(factory);
        server.setExecutor(executor);
        server.createContext("/", new ScimHandler(this));
        server.start();
        this.rootUrl = (https ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort();
        for (Fault fault : builder.faults) {
            inject(fault);
        }
        builder.setup.accept(directory);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- where it is ----

    /** {@code http(s)://127.0.0.1:<port>}, no trailing slash. */
    public String rootUrl() {
        return rootUrl;
    }

    /** The hosted form's SCIM base, {@code …/scim/v2}, no trailing slash. */
    public String hostedBaseUrl() {
        return rootUrl + "/scim/v2";
    }

    /** The bridge form's base: the root, where {@code /Users}, {@code /ping} and {@code /health} live. */
    public String bridgeBaseUrl() {
        return rootUrl;
    }

    /** The bridge's alias base {@code …/scim}, where {@code /scim/Users} lives. */
    public String bridgeScimBaseUrl() {
        return rootUrl + "/scim";
    }

    public URI uri(String path) {
        return URI.create(rootUrl + path);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public boolean https() {
        return https;
    }

    /**
     * A client TLS context that trusts this upstream's self-signed certificate, for tests that need to get
     * through; clients without it fail the handshake, which is the point of {@link Builder#https()}.
     */
    public SSLContext trustingSslContext() {
        if (!https) {
            throw new IllegalStateException("this upstream serves plain HTTP");
        }
        return SelfSignedCertificate.get().trustingContext();
    }

    public Set<UrlForm> urlForms() {
        return urlForms;
    }

    // ---- what it holds ----

    public ScimDirectory directory() {
        return directory;
    }

    public RequestLog requests() {
        return requests;
    }

    /** The bearer token it accepts now. */
    public String token() {
        return token;
    }

    /**
     * A token the upstream knows but that may not use the SCIM service, as a token of a user without the
     * provisioning role: answered 403 where an unknown token is answered 401.
     */
    public String forbiddenToken() {
        return forbiddenToken;
    }

    /** Accepts only {@code token} from now on, as after a token rotation. */
    public void rotateToken(String token) {
        this.token = requireNonNull(token, "token is null");
    }

    // ---- switches ----

    public ScimUpstream enable(Quirk quirk) {
        synchronized (quirks) {
            quirks.add(requireNonNull(quirk, "quirk is null"));
        }
        return this;
    }

    public ScimUpstream disable(Quirk quirk) {
        synchronized (quirks) {
            quirks.remove(requireNonNull(quirk, "quirk is null"));
        }
        return this;
    }

    public Set<Quirk> quirks() {
        synchronized (quirks) {
            return quirks.isEmpty() ? Set.of() : Set.copyOf(quirks);
        }
    }

    boolean has(Quirk quirk) {
        synchronized (quirks) {
            return quirks.contains(quirk);
        }
    }

    public Mode mode() {
        return mode;
    }

    public ScimUpstream mode(Mode mode) {
        this.mode = requireNonNull(mode, "mode is null");
        return this;
    }

    public Duration latency() {
        return latency;
    }

    /** Every request waits this long before it is answered. */
    public ScimUpstream latency(Duration latency) {
        this.latency = requireNonNull(latency, "latency is null");
        return this;
    }

    /** Sets one source's state in {@code /health} ({@code healthy} by default); adds the source if new. */
    public ScimUpstream healthState(String source, String state) {
        requireNonNull(source, "source is null");
        requireNonNull(state, "state is null");
        synchronized (healthStates) {
            healthStates.put(source, state);
        }
        return this;
    }

    Map<String, String> healthStates() {
        synchronized (healthStates) {
            return new LinkedHashMap<>(healthStates);
        }
    }

    // ---- faults ----

    /** Starts a fault; see {@link Fault} for when it strikes. */
    public InjectedFault inject(Fault fault) {
        requireNonNull(fault, "fault is null");
        InjectedFault[] self = new InjectedFault[1];
        self[0] = new InjectedFault(fault, () -> {
            synchronized (faults) {
                faults.remove(self[0]);
            }
        });
        synchronized (faults) {
            faults.add(self[0]);
        }
        return self[0];
    }

    /** Removes every injected fault. */
    public void clearFaults() {
        synchronized (faults) {
            faults.clear();
        }
    }

    public List<InjectedFault> faults() {
        synchronized (faults) {
            return List.copyOf(faults);
        }
    }

    /** The fault that hits this request, or null. Every watching fault counts it; the first injected wins. */
    Fault strike(Endpoint endpoint, int page) {
        synchronized (faults) {
            InjectedFault winner = null;
            for (InjectedFault fault : faults) {
                if (fault.fault().watches(endpoint, page) && fault.count() && winner == null) {
                    winner = fault;
                }
            }
            if (winner == null) {
                return null;
            }
            winner.hit();
            return winner.fault();
        }
    }

    // ---- settings the handler reads ----

    int defaultPageSize() {
        return defaultPageSize;
    }

    int maxPageSize() {
        return maxPageSize;
    }

    Clock clock() {
        return clock;
    }

    /** Stops the server at once; stalled requests are abandoned. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "ScimUpstream[" + rootUrl + ", " + directory.userCount() + " users, " + directory.groupCount()
                + " groups]";
    }

    /** Configures and starts an upstream. Defaults: 10 users, 3 groups, 2 memberships each, seed 42. */
    public static final class Builder {
        private int users = 10;
        private int groups = 3;
        private int membershipsPerUser = 2;
        private double suspendedFraction = 0.1;
        private long seed = 42;
        private String token = "tck-scim-bearer-token-0000";
        private String forbiddenToken = "tck-scim-forbidden-token-0000";
        private Duration latency = Duration.ZERO;
        private final Set<Quirk> quirks = EnumSet.noneOf(Quirk.class);
        private final List<Fault> faults = new ArrayList<>();
        private Mode mode = Mode.SCIM;
        private boolean https;
        private Set<UrlForm> urlForms = EnumSet.allOf(UrlForm.class);
        private int defaultPageSize = 100;
        private int maxPageSize = 1000;
        private String domain = "acme.example";
        private Clock clock = Clock.systemUTC();
        private int requestLogLimit = 100_000;
        private int port;
        private Consumer<ScimDirectory> setup = directory -> {};

        private Builder() {}

        /**
         * Changes the generated directory before the first request: add chosen users and groups ({@link
         * ScimDirectory#addUser(String, String, String, String, String, boolean)}, {@link
         * ScimDirectory#addGroup(String, List)}) or give users a profile ({@link ScimDirectory#updateUser}). Setups
         * run in the order given.
         */
        public Builder setup(Consumer<ScimDirectory> setup) {
            requireNonNull(setup, "setup is null");
            Consumer<ScimDirectory> before = this.setup;
            this.setup = directory -> {
                before.accept(directory);
                setup.accept(directory);
            };
            return this;
        }

        /** A fixed port, for a demo; tests keep the default 0, an ephemeral port. Always on 127.0.0.1. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be within [0, 65535]: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder users(int users) {
            this.users = atLeast(users, 0, "users");
            return this;
        }

        public Builder groups(int groups) {
            this.groups = atLeast(groups, 0, "groups");
            return this;
        }

        /** How many groups each generated user is in (capped at the number of groups). */
        public Builder membershipsPerUser(int membershipsPerUser) {
            this.membershipsPerUser = atLeast(membershipsPerUser, 0, "membershipsPerUser");
            return this;
        }

        /** The share of generated users that are suspended ({@code active: false}); 0.1 by default. */
        public Builder suspendedFraction(double suspendedFraction) {
            if (!(suspendedFraction >= 0 && suspendedFraction <= 1)) {
                throw new IllegalArgumentException("suspendedFraction must be within [0, 1]: " + suspendedFraction);
            }
            this.suspendedFraction = suspendedFraction;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder token(String token) {
            this.token = requireNonNull(token, "token is null");
            return this;
        }

        /** The token answered 403; see {@link ScimUpstream#forbiddenToken()}. */
        public Builder forbiddenToken(String forbiddenToken) {
            this.forbiddenToken = requireNonNull(forbiddenToken, "forbiddenToken is null");
            return this;
        }

        /** Every request waits this long before it is answered. */
        public Builder latency(Duration latency) {
            this.latency = requireNonNull(latency, "latency is null");
            return this;
        }

        public Builder quirks(Quirk... quirks) {
            this.quirks.addAll(List.of(quirks));
            return this;
        }

        /** Injects a fault at start; use {@link ScimUpstream#inject(Fault)} to get its handle. */
        public Builder fault(Fault fault) {
            this.faults.add(requireNonNull(fault, "fault is null"));
            return this;
        }

        public Builder mode(Mode mode) {
            this.mode = requireNonNull(mode, "mode is null");
            return this;
        }

        /** Serves HTTPS with a self-signed certificate that no client trusts by default. */
        public Builder https() {
            this.https = true;
            return this;
        }

        /** Serves only these URL forms; the others answer 404. Both by default. */
        public Builder urlForms(UrlForm first, UrlForm... more) {
            this.urlForms = EnumSet.of(first, more);
            return this;
        }

        /** The page size when a listing does not say {@code count}; 100 by default. */
        public Builder defaultPageSize(int defaultPageSize) {
            this.defaultPageSize = atLeast(defaultPageSize, 1, "defaultPageSize");
            return this;
        }

        /** The largest page served whatever {@code count} says; 1000 by default. */
        public Builder maxPageSize(int maxPageSize) {
            this.maxPageSize = atLeast(maxPageSize, 1, "maxPageSize");
            return this;
        }

        /** The e-mail domain of generated users; {@code acme.example} by default. */
        public Builder domain(String domain) {
            this.domain = requireNonNull(domain, "domain is null");
            return this;
        }

        /** The clock for changes made at run time and for {@code /health}; generated data does not use it. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /** How many requests the log keeps (the latest); 100,000 by default. */
        public Builder requestLogLimit(int requestLogLimit) {
            this.requestLogLimit = atLeast(requestLogLimit, 1, "requestLogLimit");
            return this;
        }

        public ScimUpstream start() {
            try {
                return new ScimUpstream(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the SCIM upstream", e);
            }
        }

        private static int atLeast(int value, int min, String name) {
            if (value < min) {
                throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
            }
            return value;
        }
    }
}
