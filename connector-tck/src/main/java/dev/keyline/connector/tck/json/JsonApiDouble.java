package dev.keyline.connector.tck.json;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import dev.keyline.connector.tck.KitRequest;
import dev.keyline.connector.tck.UpstreamDouble;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process double of a plain (non-SCIM) JSON API: collections of scriptable JSON records at paths such as
 * {@code /users}, {@code /groups}, {@code /roles} or {@code /groups/g1/members}, one of the {@link Paging}
 * styles real APIs use, an {@link ApiAuth} style, {@link JsonFault}s including 429s in every
 * {@link RateLimitHeaders} form, and an {@link ApiRequestLog}. Besides the credential it accepts it knows
 * a {@link #forbiddenAuth()} (answered 403); anything else is answered 401. It binds to 127.0.0.1 on an ephemeral port.
 *
 * <pre>{@code
 * try (JsonApiDouble api = JsonApiDouble.builder()
 *         .basePath("/api/v1")
 *         .auth(ApiAuth.bearer("t0ken"))
 *         .paging(Paging.LINK_HEADER)
 *         .collection("/users", List.of(Map.of("id", "u1", "email", "ada@example.com")))
 *         .start()) {
 *     api.inject(JsonFault.rateLimited(Duration.ofSeconds(7), RateLimitHeaders.X_RATELIMIT_RESET).onPage(2));
 *     ... point a connector at api.baseUrl() ...
 *     assertThat(api.requestLog().writes()).isEmpty();
 * }
 * }</pre>
 *
 * <p>{@code GET <base><collection>} lists a collection, {@code GET <base><collection>/<id>} reads one record
 * (404 when absent). It is read-only: every method but GET is answered 405 and logged, so a test can assert
 * that a client never wrote. Everything here is thread-safe; changes take effect from the next request.
 */
public final class JsonApiDouble implements UpstreamDouble {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    static {
        // As in scim-double: without TCP_NODELAY every keep-alive request costs ~40 ms of delayed ACKs. The JDK
        // reads the switch once, when its server class loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String rootUrl;
    private final String basePath;
    private final String idField;
    private final String itemsKey;
    private final int defaultPageSize;
    private final int maxPageSize;
    private final Clock clock;
    private final ApiRequestLog requests;
    private final Map<String, JsonCollection> collections = new LinkedHashMap<>();
    private final List<InjectedJsonFault> faults = new ArrayList<>();
    private volatile ApiAuth auth;
    private volatile Paging paging;
    private volatile int wrongCredentialsStatus;
    private final RateLimitHeaders rateLimitHeaders;

    private JsonApiDouble(Builder builder) throws IOException {
        this.basePath = builder.basePath;
        this.idField = builder.idField;
        this.itemsKey = builder.itemsKey;
        this.defaultPageSize = builder.defaultPageSize;
        this.maxPageSize = builder.maxPageSize;
        this.clock = builder.clock;
        this.requests = new ApiRequestLog(builder.requestLogLimit);
        this.auth = builder.auth;
        this.paging = builder.paging;
        this.wrongCredentialsStatus = builder.wrongCredentialsStatus;
        this.rateLimitHeaders = builder.rateLimitHeaders;
        builder.collections.forEach((path, records) -> {
            JsonCollection collection = addCollection(path);
            records.forEach(collection::add);
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
        int instance = INSTANCES.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "json-api-double-" + instance + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", new JsonApiHandler(this));
        server.start();
        this.rootUrl = "http://127.0.0.1:" + server.getAddress().getPort();
        builder.faults.forEach(this::inject);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- where it is ----

    /** {@code http://127.0.0.1:<port>}, no trailing slash. */
    public String rootUrl() {
        return rootUrl;
    }

    /** The root plus the base path, no trailing slash: where the collections live. */
    public String baseUrl() {
        return rootUrl + basePath;
    }

    /** The URI of a path below the base URL, for example {@code uri("/users")}. */
    public URI uri(String path) {
        return URI.create(baseUrl() + path);
    }

    String basePath() {
        return basePath;
    }

    // ---- what it holds ----

    /** The collection served at this path; IllegalArgumentException when there is none. */
    public JsonCollection collection(String path) {
        synchronized (collections) {
            JsonCollection collection = collections.get(path);
            if (collection == null) {
                throw new IllegalArgumentException("no collection at " + path + "; there are " + collections.keySet());
            }
            return collection;
        }
    }

    /** Serves a new, empty collection at this path (for example {@code /groups/g7/members}), or the existing one. */
    public JsonCollection addCollection(String path) {
        requireNonNull(path, "path is null");
        if (!path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("a collection path starts with / and does not end with one: " + path);
        }
        synchronized (collections) {
            return collections.computeIfAbsent(path, p -> new JsonCollection(p, idField));
        }
    }

    /** Stops serving the collection at this path (its URLs answer 404 from now on). */
    public void removeCollection(String path) {
        synchronized (collections) {
            collections.remove(path);
        }
    }

    Optional<JsonCollection> findCollection(String path) {
        synchronized (collections) {
            return Optional.ofNullable(collections.get(path));
        }
    }

    /** Every request received (header names only, never values). */
    public ApiRequestLog requestLog() {
        return requests;
    }

    /**
     * A credential of the same style the double does not know: answered 401 (or the configured status), as
     * a mistyped or revoked one is.
     */
    public ApiAuth wrongAuth() {
        return variant(auth, "wrong-");
    }

    /** A credential the double knows but that lacks the rights to read: answered 403. */
    public ApiAuth forbiddenAuth() {
        return variant(auth, "forbidden-");
    }

    /** Every secret a client could leak: of the accepted, the wrong and the forbidden credential. */
    @Override
    public Set<String> secrets() {
        return Set.of(auth.secret(), wrongAuth().secret(), forbiddenAuth().secret());
    }

    private static ApiAuth variant(ApiAuth auth, String prefix) {
        String secret = prefix + Integer.toHexString(auth.secret().hashCode());
        if (auth instanceof ApiAuth.ApiKey key) {
            return new ApiAuth.ApiKey(key.header(), key.scheme(), secret);
        }
        if (auth instanceof ApiAuth.Basic basic) {
            return new ApiAuth.Basic(basic.user(), secret);
        }
        return ApiAuth.bearer(secret);
    }

    /** The kit's view of the log: header names map to empty lists, since values are never kept. */
    @Override
    public List<KitRequest> requests() {
        return requests.all().stream()
                .map(r -> {
                    Map<String, List<String>> headers = new LinkedHashMap<>();
                    r.headerNames().forEach(name -> headers.put(name, List.of()));
                    return new KitRequest(r.method(), r.path(), r.query(), headers);
                })
                .toList();
    }

    @Override
    public void clearRequests() {
        requests.clear();
    }

    /** Throttles the next request with a 429 in this double's {@link RateLimitHeaders} style. */
    @Override
    public void rateLimitNext(Duration wait) {
        inject(JsonFault.rateLimited(wait, rateLimitHeaders).forNext(1));
    }

    /** Answers the next request with a 500 and the usual error body. */
    @Override
    public void serverErrorNext() {
        inject(JsonFault.serverError().forNext(1));
    }

    /** The credential it accepts now. */
    public ApiAuth auth() {
        return auth;
    }

    /** Accepts only this credential from now on, as after a rotation. */
    public void auth(ApiAuth auth) {
        this.auth = requireNonNull(auth, "auth is null");
    }

    public Paging paging() {
        return paging;
    }

    /** Pages this way from the next request on. */
    public void paging(Paging paging) {
        this.paging = requireNonNull(paging, "paging is null");
    }

    /** How a missing or wrong credential is answered: 401 (the default) or 403, as some APIs do. */
    public void wrongCredentialsStatus(int status) {
        if (status != 401 && status != 403) {
            throw new IllegalArgumentException("401 or 403: " + status);
        }
        this.wrongCredentialsStatus = status;
    }

    int wrongCredentialsStatus() {
        return wrongCredentialsStatus;
    }

    String idField() {
        return idField;
    }

    /** The key of a listing's records in the envelope styles: the one configured, else the path's last segment. */
    String itemsKey(String collection) {
        return itemsKey != null ? itemsKey : collection.substring(collection.lastIndexOf('/') + 1);
    }

    int defaultPageSize() {
        return defaultPageSize;
    }

    int maxPageSize() {
        return maxPageSize;
    }

    Clock clock() {
        return clock;
    }

    // ---- faults ----

    /** Starts a fault; see {@link JsonFault} for when it strikes. */
    public InjectedJsonFault inject(JsonFault fault) {
        requireNonNull(fault, "fault is null");
        InjectedJsonFault[] self = new InjectedJsonFault[1];
        self[0] = new InjectedJsonFault(fault, () -> {
            synchronized (faults) {
                faults.remove(self[0]);
            }
        });
        synchronized (faults) {
            faults.add(self[0]);
        }
        return self[0];
    }

    public void clearFaults() {
        synchronized (faults) {
            faults.clear();
        }
    }

    public List<InjectedJsonFault> faults() {
        synchronized (faults) {
            return List.copyOf(faults);
        }
    }

    /** The fault that hits this request, if any; every watching fault counts it. */
    JsonFault strike(String collection, boolean listing, int page) {
        synchronized (faults) {
            InjectedJsonFault winner = null;
            for (InjectedJsonFault fault : faults) {
                if (fault.fault().watches(collection, listing, page) && fault.count() && winner == null) {
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

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "JsonApiDouble[" + baseUrl() + ", " + paging + ", " + auth + "]";
    }

    /** Settings before start; every one has a default. */
    public static final class Builder {
        private String basePath = "";
        private String idField = "id";
        private String itemsKey;
        private ApiAuth auth = ApiAuth.bearer("json-api-double-token");
        private Paging paging = Paging.LINK_HEADER;
        private int defaultPageSize = 50;
        private int maxPageSize = 200;
        private int wrongCredentialsStatus = 401;
        private int requestLogLimit = 10_000;
        private RateLimitHeaders rateLimitHeaders = RateLimitHeaders.RETRY_AFTER_SECONDS;
        private Clock clock = Clock.systemUTC();
        private final Map<String, List<Map<String, ?>>> collections = new LinkedHashMap<>();
        private final List<JsonFault> faults = new ArrayList<>();

        private Builder() {}

        /** A prefix before every collection path, for example {@code /api/v1}; none by default. */
        public Builder basePath(String basePath) {
            requireNonNull(basePath, "basePath is null");
            if (!basePath.isEmpty() && (!basePath.startsWith("/") || basePath.endsWith("/"))) {
                throw new IllegalArgumentException("a base path starts with / and does not end with one: " + basePath);
            }
            this.basePath = basePath;
            return this;
        }

        /** The field that holds a record's id ({@code id} by default). */
        public Builder idField(String idField) {
            this.idField = requireNonNull(idField, "idField is null");
            return this;
        }

        /** The key of the records in a listing envelope (by default the collection's last path segment). */
        public Builder itemsKey(String itemsKey) {
            this.itemsKey = requireNonNull(itemsKey, "itemsKey is null");
            return this;
        }

        /** The credential it accepts (a bearer token by default). */
        public Builder auth(ApiAuth auth) {
            this.auth = requireNonNull(auth, "auth is null");
            return this;
        }

        public Builder paging(Paging paging) {
            this.paging = requireNonNull(paging, "paging is null");
            return this;
        }

        /** The page size when the client asks for none (50) and the most it serves (200; larger asks are clamped). */
        public Builder pageSizes(int defaultPageSize, int maxPageSize) {
            if (defaultPageSize < 1 || maxPageSize < defaultPageSize) {
                throw new IllegalArgumentException("need 1 <= default <= max: " + defaultPageSize + ", " + maxPageSize);
            }
            this.defaultPageSize = defaultPageSize;
            this.maxPageSize = maxPageSize;
            return this;
        }

        /** A collection at this path with these records, in listing order. */
        public Builder collection(String path, List<? extends Map<String, ?>> records) {
            requireNonNull(path, "path is null");
            collections.computeIfAbsent(path, p -> new ArrayList<>()).addAll(records);
            return this;
        }

        /** 401 (the default) or 403 for a missing or wrong credential. */
        public Builder wrongCredentialsStatus(int status) {
            if (status != 401 && status != 403) {
                throw new IllegalArgumentException("401 or 403: " + status);
            }
            this.wrongCredentialsStatus = status;
            return this;
        }

        /** How {@link JsonApiDouble#rateLimitNext} says when to come back ({@code Retry-After} seconds by default). */
        public Builder rateLimitHeaders(RateLimitHeaders headers) {
            this.rateLimitHeaders = requireNonNull(headers, "headers is null");
            return this;
        }

        /** The clock that dates rate-limit answers ({@code Retry-After} dates, reset times). */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        public Builder requestLogLimit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be positive: " + limit);
            }
            this.requestLogLimit = limit;
            return this;
        }

        /** A fault active from the start. */
        public Builder fault(JsonFault fault) {
            faults.add(requireNonNull(fault, "fault is null"));
            return this;
        }

        public JsonApiDouble start() {
            try {
                return new JsonApiDouble(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the JSON API double", e);
            }
        }
    }
}
