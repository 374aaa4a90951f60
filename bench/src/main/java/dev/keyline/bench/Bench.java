package dev.keyline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.keyline.scimdouble.Endpoint;
import dev.keyline.scimdouble.Fault;
import dev.keyline.scimdouble.InjectedFault;
import dev.keyline.scimdouble.RecordedRequest;
import dev.keyline.scimdouble.ScimUpstream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./keyline bench}: starts what it needs on loopback (the packaged service in standalone mode, a MongoDB
 * (mongo-java-server) and scriptable SCIM upstreams in this process), runs each scenario of issue #7 with warm-up
 * and repeats, and writes {@code bench/results/latest.json} and {@code latest.md}. Every figure is a ratio against a
 * baseline measured in the same run, so it holds on a noisy machine.
 *
 * <p>Options: {@code --quick} (10k users, fewer repeats, for development), {@code --profile} (flight recordings of
 * the live read, the sync and the synced reads, summarised next to the results), {@code --users N} and
 * {@code --repeats N} (override the mode's directory size and repeats), {@code --mongo-uri URI} (a real MongoDB
 * instead of the in-process mongo-java-server; the bench uses and clears database {@code keyline_bench}),
 * {@code --out DIR}.
 */
public final class Bench {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration LIVE_LATENCY = Duration.ofMillis(5);
    /** How long the warm-up sync holds the user page after 95%, so the heap at 90% of users is read while it runs. */
    private static final Duration USER_PHASE_HOLD = Duration.ofSeconds(3);

    record Config(
            boolean quick,
            int bigUsers,
            int repeats,
            int startRepeats,
            int liveSamples,
            int checkSamples,
            Duration loadWarmUp,
            Duration loadMeasure,
            List<Integer> scaleSizes,
            boolean profile,
            String mongoUri,
            Path root,
            Path out,
            Set<Integer> scenarios,
            Path serviceJava) {

        /** Every run starts the service (5) and links the account the others read (4); 1, 2, 3, 6, 7 are optional. */
        static final Set<Integer> ALWAYS = Set.of(4, 5);

        static final int LAST = 7;

        boolean runs(int scenario) {
            return scenarios.contains(scenario);
        }

        boolean partial() {
            return scenarios.size() < LAST;
        }

        static Config parse(String[] args) {
            boolean quick = false;
            boolean profile = false;
            Integer users = null;
            Integer repeats = null;
            Integer liveSamples = null;
            Path serviceJava = null;
            String mongoUri = null;
            Path root = Path.of(".").toAbsolutePath().normalize();
            Path out = null;
            Set<Integer> scenarios = new TreeSet<>(List.of(1, 2, 3, 4, 5, 6, 7));
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> quick = true;
                    case "--profile" -> profile = true;
                    case "--root" -> root = Path.of(args[++i]).toAbsolutePath().normalize();
                    case "--out" -> out = Path.of(args[++i]).toAbsolutePath().normalize();
                    case "--users" -> users = Integer.parseInt(args[++i]);
                    case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                    case "--live-samples" -> liveSamples = Integer.parseInt(args[++i]);
                    case "--service-java" ->
                        serviceJava = Path.of(args[++i]).toAbsolutePath().normalize();
                    case "--mongo-uri" -> mongoUri = args[++i];
                    case "--scenarios" -> scenarios = scenarios(args[++i]);
                    default ->
                        throw new IllegalArgumentException("unknown option " + args[i]
                                + " (use --quick, --profile, --users N, --repeats N, --mongo-uri URI, --out DIR,"
                                + " --scenarios 2,4, --live-samples N,"
                                + " --service-java JDK_HOME)");
                }
            }
            if (serviceJava != null && !Files.isExecutable(serviceJava.resolve("bin/java"))) {
                throw new IllegalArgumentException(
                        "--service-java takes a JDK's home directory: no bin/java in " + serviceJava);
            }
            if (liveSamples != null && liveSamples < 1) {
                throw new IllegalArgumentException("--live-samples takes a positive number: " + liveSamples);
            }
            if (out == null) {
                // A partial run must not replace the full run's files, which the README's table quotes.
                out = root.resolve(scenarios.size() < LAST ? "bench/results/partial" : "bench/results");
            }
            int defaultUsers = quick ? 10_000 : 100_000;
            int defaultRepeats = quick ? 2 : 3;
            return new Config(
                    quick,
                    users == null ? defaultUsers : users,
                    repeats == null ? defaultRepeats : repeats,
                    quick ? 1 : 3,
                    liveSamples != null ? liveSamples : quick ? 60 : 200,
                    quick ? 10 : 30,
                    Duration.ofSeconds(quick ? 2 : 5),
                    Duration.ofSeconds(quick ? 5 : 10),
                    quick ? List.of(1_000) : List.of(1_000, 10_000),
                    profile,
                    mongoUri,
                    root,
                    out,
                    Set.copyOf(scenarios),
                    serviceJava);
        }

        static Set<Integer> scenarios(String list) {
            Set<Integer> chosen = new TreeSet<>(ALWAYS);
            for (String part : list.split(",")) {
                int scenario;
                try {
                    scenario = Integer.parseInt(part.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "--scenarios takes numbers 1 to " + LAST + " separated by commas: " + list);
                }
                if (scenario < 1 || scenario > LAST) {
                    throw new IllegalArgumentException("there is no scenario " + scenario + " (1 to " + LAST + ")");
                }
                chosen.add(scenario);
            }
            if ((chosen.contains(3) || chosen.contains(6)) && !chosen.contains(1)) {
                throw new IllegalArgumentException(
                        "scenarios 3 and 6 read and extend what scenario 1 syncs; add 1 to --scenarios");
            }
            return chosen;
        }
    }

    private final Config config;
    private final Report report;
    private final Http http = new Http();
    private final Path work;
    private final String operatorKey = randomKey();
    private MongoServer mongoServer;
    private MongoClient mongo;
    private ServiceProcess service;
    private KeylineApi api;
    private ServiceProcess.Options serviceOptions;
    /** The pages a sync reads, as a sequential walk asks for them: the baseline of scenario 1. */
    private List<String> syncUrls = List.of();

    Bench(Config config) throws IOException {
        this.config = config;
        String mode = config.quick() ? "quick" : "full";
        this.report =
                new Report(Machine.describe(), config.partial() ? mode + ", scenarios " + config.scenarios() : mode);
        this.work = Files.createTempDirectory("keyline-bench-");
    }

    public static void main(String[] args) throws Exception {
        Config config = Config.parse(args);
        Bench bench = new Bench(config);
        int code = 0;
        try {
            bench.run();
        } catch (RuntimeException e) {
            e.printStackTrace();
            code = 1;
        } finally {
            bench.close();
        }
        System.exit(code);
    }

    void run() throws Exception {
        long started = System.nanoTime();
        Path jar = config.root().resolve("platform-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged service at " + jar + "; build it first");
        }
        log("work directory " + work + "; the service logs to " + work.resolve("service.log"));

        String mongoUri = config.mongoUri();
        if (mongoUri == null) {
            mongoServer = new MongoServer(new MemoryBackend());
            mongoServer.bind("127.0.0.1", 0);
            mongoUri = "mongodb://127.0.0.1:" + mongoServer.getLocalAddress().getPort();
        }
        report.detail("mongodb", config.mongoUri() == null ? "mongo-java-server (memory backend)" : "external");
        mongo = MongoClients.create(mongoUri);

        int bigGroups = config.bigUsers() / 50;
        log("generating the SCIM upstream: " + config.bigUsers() + " users, " + bigGroups + " groups");
        try (ScimUpstream big = upstream(config.bigUsers(), bigGroups)) {
            ServiceProcess.Options options = new ServiceProcess.Options(
                    jar,
                    work.resolve("data"),
                    mongoUri,
                    sha256(operatorKey),
                    "256m",
                    // Where resident memory beyond the heap goes (threads, code cache, metaspace, direct buffers).
                    config.profile() ? List.of("-XX:NativeMemoryTracking=summary") : List.of(),
                    config.serviceJava());
            report.detail(
                    "service_java",
                    config.serviceJava() == null
                            ? System.getProperty("java.home")
                            : config.serviceJava().toString());

            serviceOptions = options;
            try {
                startUp(options);
                api = new KeylineApi(http, service.baseUrl(), operatorKey);
                api.createTenant("Bench");

                String bigAccount = linkValidation(big);
                if (config.runs(2)) {
                    liveRead(big, bigAccount);
                }
                if (config.runs(1)) {
                    Map<Integer, Stats> perUser = new LinkedHashMap<>();
                    fullSync(big, bigAccount, perUser);
                    if (config.runs(6)) {
                        scale(perUser);
                    }
                    if (config.runs(3)) {
                        syncedRead(bigAccount);
                    }
                    sequentialSync(big);
                }
                if (config.runs(7)) {
                    new WebhookBench(http, service.baseUrl(), operatorKey, report, config.quick(), config.repeats())
                            .run();
                }
            } catch (RuntimeException e) {
                // The figures measured so far are still worth keeping.
                report.detail("failed", e.toString());
                report.write(config.out(), (System.nanoTime() - started) / 1e9);
                throw e;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        report.write(config.out(), seconds);
        System.out.println();
        System.out.println(report.markdown(seconds));
        log("wrote " + config.out().resolve("latest.json") + " and latest.md in " + Math.round(seconds) + " s");
    }

    // ---- 5: start-up and idle memory ----

    private void startUp(ServiceProcess.Options options) {
        log("5) start-up: first start sets up the embedded PostgreSQL (not measured)");
        try (ServiceProcess first = ServiceProcess.launch(options, work.resolve("service.log"))) {
            Duration setUp = first.awaitReady(Duration.ofMinutes(4));
            report.detail("first_start_with_database_setup_s", setUp.toMillis() / 1000.0);
        }
        List<Double> starts = new ArrayList<>();
        for (int i = 0; i < config.startRepeats(); i++) {
            ServiceProcess next = ServiceProcess.launch(options, work.resolve("service.log"));
            starts.add(next.awaitReady(Duration.ofMinutes(2)).toMillis() / 1000.0);
            if (i < config.startRepeats() - 1) {
                next.close();
            } else {
                service = next;
            }
        }
        Stats start = Stats.of(starts);
        // Baseline: a bare JVM with the HTTP stack (the ceiling server) from launch to listening, on the same machine
        // at the same moment, so the ratio says how much Keyline adds to a JVM's own start.
        List<Double> bare = new ArrayList<>();
        for (int i = 0; i < config.startRepeats(); i++) {
            bare.add(bareJvmStartSeconds());
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            ratios.add(starts.get(i) / bare.get(i));
        }
        report.add(new Report.Figure(
                "5",
                "start-up to ready (launch → /q/health/ready 200, embedded PostgreSQL start included) vs a bare"
                        + " Vert.x JVM to listening",
                start,
                Stats.of(bare),
                "s",
                Stats.of(ratios),
                "≤ 3 s",
                start.median() <= 3.0,
                null));
        ServiceProcess.sleep(3000);
        double idle = service.rssMb();
        report.add(new Report.Figure(
                "5", "RSS idle after start", Stats.of(List.of(idle)), null, "MB", null, "≤ 400 MB", idle <= 400, null));
    }

    private double bareJvmStartSeconds() {
        try {
            Path body = work.resolve("hello.json");
            Files.writeString(body, "{}");
            long t0 = System.nanoTime();
            Process jvm = ceilingProcess(ServiceProcess.freePort(), body, "application/json");
            try {
                awaitReadyLine(jvm);
                return (System.nanoTime() - t0) / 1e9;
            } finally {
                jvm.destroy();
                jvm.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads the server's output until it says {@code ready}; anything else it printed is kept for the error. Then
     * keeps draining it: a server whose output pipe fills up (Vert.x warns of blocked threads on a loaded machine)
     * would stall mid-request.
     */
    private static void awaitReadyLine(Process process) throws IOException {
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals("ready")) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // discarded
                        }
                    } catch (IOException e) {
                        // The server stopped.
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return;
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("the server JVM did not start: " + seen);
    }

    private static Process ceilingProcess(int port, Path body, String contentType) throws IOException {
        return new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CeilingServer.class.getName(),
                        Integer.toString(port),
                        body.toString(),
                        contentType)
                .redirectErrorStream(true)
                .start();
    }

    // ---- 4: link validation ----

    private String linkValidation(ScimUpstream big) {
        log("4) link validation at " + LIVE_LATENCY.toMillis() + " ms upstream latency");
        big.latency(LIVE_LATENCY);
        long mark = big.requests().mark();
        Http.Answer linked = api.link("bench-big", big.bridgeBaseUrl(), big.token());
        String account = linked.json().path("id").asText();
        int linkRequests = big.requests().since(mark).size();

        List<Double> linkMs = new ArrayList<>();
        List<Double> checkMs = new ArrayList<>();
        List<Double> bareMs = new ArrayList<>();
        List<Double> checkRequests = new ArrayList<>();
        List<Double> linkRatios = new ArrayList<>();
        List<Double> checkRatios = new ArrayList<>();
        // The requests one validation makes, replayed by the bare client: read from the first check's request log.
        long m = big.requests().mark();
        api.check(account).expect(200);
        List<String> validationUrls = new ArrayList<>(urls(big, big.requests().since(m)));
        while (validationUrls.size() < 2) {
            validationUrls.add(big.bridgeBaseUrl() + "/Users?startIndex=1&count=1");
        }
        List<String> replayed = List.copyOf(validationUrls.subList(0, 2));
        // Warm-up by time: the service has just started, and a few calls would measure the interpreter and the JIT.
        long warmUntil = System.nanoTime() + config.loadWarmUp().toNanos();
        for (int i = 0; i < 3 || System.nanoTime() < warmUntil; i++) {
            api.check(account).expect(200);
            http.fetchAll(replayed, auth(big), 1);
            api.link("bench-big", big.bridgeBaseUrl(), big.token());
        }
        if (config.profile()) {
            // Waits as well as CPU: a check spends most of its time waiting (upstream, PostgreSQL, other threads).
            Jcmd.run(
                    service.pid(),
                    "JFR.start",
                    "name=validation",
                    "settings=profile",
                    "jdk.SocketRead#threshold=1ms",
                    "jdk.ThreadPark#threshold=1ms");
        }
        for (int i = 0; i < config.checkSamples(); i++) {
            m = big.requests().mark();
            Http.Answer check = api.check(account).expect(200);
            checkRequests.add((double) big.requests().since(m).size());
            long bare = http.fetchAll(replayed, auth(big), 1);
            Http.Answer relink = api.link("bench-big", big.bridgeBaseUrl(), big.token());
            double c = check.nanos() / 1e6;
            double b = bare / 1e6;
            double l = relink.nanos() / 1e6;
            checkMs.add(c);
            bareMs.add(b);
            linkMs.add(l);
            checkRatios.add(c / b);
            linkRatios.add(l / b);
        }
        if (config.profile()) {
            Path jfr = work.resolve("validation.jfr");
            Jcmd.run(service.pid(), "JFR.stop", "name=validation", "filename=" + jfr);
            writeProfile("validation", jfr);
        }
        report.add(new Report.Figure(
                "4",
                "upstream requests per validation (link: " + linkRequests + ")",
                Stats.of(checkRequests),
                null,
                "requests",
                null,
                "≤ 2",
                Stats.of(checkRequests).max() <= 2 && linkRequests <= 2,
                null));
        report.atMost(
                "4",
                "validation time (POST /accounts/{id}/check) vs two bare requests",
                Stats.of(checkMs),
                Stats.of(bareMs),
                "ms",
                Stats.of(checkRatios),
                1.2,
                null);
        report.atMost(
                "4",
                "link time (POST /accounts: validate, encrypt, store) vs two bare requests",
                Stats.of(linkMs),
                Stats.of(bareMs),
                "ms",
                Stats.of(linkRatios),
                1.2,
                null);
        report.detail(
                "validation_requests", replayed.stream().map(Bench::pathOf).toList());
        return account;
    }

    // ---- 2: live read ----

    private void liveRead(ScimUpstream big, String account) {
        log("2) live read of 100 users at " + LIVE_LATENCY.toMillis() + " ms upstream latency");
        big.latency(LIVE_LATENCY);
        String query = "page_size=100&mode=live";
        long mark = big.requests().mark();
        api.users(account, query).expect(200);
        List<String> direct = urls(big, big.requests().since(mark));
        report.detail(
                "live_read_upstream_requests",
                direct.stream().map(Bench::pathOf).toList());
        List<Double> service = new ArrayList<>();
        List<Double> bare = new ArrayList<>();
        // Warm-up by time (at least a fifth of the samples), so the figures are the steady state's and not the JIT's.
        long warmUntil = System.nanoTime() + config.loadWarmUp().toNanos();
        for (int i = 0; i < Math.max(10, config.liveSamples() / 5) || System.nanoTime() < warmUntil; i++) {
            api.users(account, query).expect(200);
            http.fetchAll(direct, auth(big), 1);
        }
        if (config.profile()) {
            Jcmd.run(this.service.pid(), "JFR.start", "name=live", "settings=profile");
        }
        for (int i = 0; i < config.liveSamples(); i++) {
            // Interleaved, so both see the same noise.
            service.add(api.users(account, query).expect(200).nanos() / 1e6);
            bare.add(http.fetchAll(direct, auth(big), 1) / 1e6);
        }
        if (config.profile()) {
            Path jfr = work.resolve("live.jfr");
            Jcmd.run(this.service.pid(), "JFR.stop", "name=live", "filename=" + jfr);
            writeProfile("live-read", jfr);
        }
        Stats s = Stats.of(service);
        Stats d = Stats.of(bare);
        double overhead = s.median() - d.median();
        report.add(new Report.Figure(
                "2",
                "live read overhead (median service − median direct)",
                Stats.of(List.of(overhead)),
                null,
                "ms",
                null,
                "≤ 1 ms",
                overhead <= 1.0,
                null));
        Stats ratio = new Stats(s.median() / d.median(), Double.NaN, Double.NaN, 1);
        report.atMost(
                "2",
                "live read GET /iam/users?page_size=100&mode=live vs the same page from the upstream",
                s,
                d,
                "ms",
                new Stats(ratio.median(), ratio.median(), ratio.median(), 1),
                1.15,
                null);
    }

    // ---- 1: full sync ----

    private void fullSync(ScimUpstream big, String account, Map<Integer, Stats> perUser) {
        int users = big.directory().userCount();
        log("1) full sync of " + users + " users and " + big.directory().groupCount() + " groups, pages of 100");
        big.latency(Duration.ZERO);
        wipe(account);
        // Warm-up sync, untimed: also where the live heap is read (a full GC at each point would disturb a timed one).
        // The readings compare like with like: all three within the user phase, which comes last (groups are
        // walked first, so users get the groups that list them). The user page after 95% is held back, so the
        // reading at 90% of users falls while the run is still listing them.
        List<Integer> probes = List.of(users / 10, users / 2, users * 9 / 10);
        Map<String, Double> heap = new LinkedHashMap<>();
        long mark = big.requests().mark();
        int userPages = (users + 99) / 100;
        InjectedFault hold = big.inject(
                Fault.stall(USER_PHASE_HOLD).on(Endpoint.LIST_USERS).onRequest(Math.max(1, userPages * 95 / 100)));
        api.syncAndWait(account, POLL, run -> {
            int seen = run.path("users_seen").asInt();
            for (int p : probes) {
                String key = "after_" + p + "_users";
                if (seen >= p && !heap.containsKey(key)) {
                    heap.put(key, service.liveHeapMb());
                    if (p == probes.get(2)) {
                        // What the live set holds at the end of the listing: where any growth with size lives.
                        report.detail("class_histogram_at_" + p + "_users", topOfHistogram(15));
                    }
                }
            }
        });
        big.clearFaults();
        report.detail("user_phase_hold_hits", hold.hits());
        syncUrls = sequentialWalk(big, big.requests().since(mark));
        report.detail("sync_upstream_requests", syncUrls.size());
        report.detail("repeats", config.repeats());
        for (int p : probes) {
            heap.putIfAbsent("after_" + p + "_users", Double.NaN);
        }
        heap.put("after_sync", service.liveHeapMb());
        report.detail("live_heap_mb", heap);
        double first = heap.get("after_" + probes.get(0) + "_users");
        double last = heap.get("after_" + probes.get(2) + "_users");
        report.atMost(
                "1",
                "live heap (after full GC) at " + probes.get(2) / 1000 + "k vs " + probes.get(0) / 1000
                        + "k users synced, read within the user phase, -Xmx256m; "
                        + heap.values().stream().map(v -> Report.fmt(v)).toList()
                        + " MB at 10%/50%/90% of users/after the sync",
                Stats.of(List.of(last)),
                Stats.of(List.of(first)),
                "MB",
                Stats.of(List.of(last / first)),
                1.2,
                null);

        for (Duration latency : List.of(Duration.ZERO, Duration.ofMillis(5))) {
            big.latency(latency);
            List<Double> syncS = new ArrayList<>();
            List<Double> bareS = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            List<Double> concurrentRatios = new ArrayList<>();
            if (config.profile() && latency.isZero()) {
                Jcmd.run(service.pid(), "JFR.start", "name=sync", "settings=profile");
            }
            for (int r = 0; r < config.repeats(); r++) {
                double bare = http.fetchAll(syncUrls, auth(big), 1) / 1e9;
                double bare4 = http.fetchAll(syncUrls, auth(big), 4) / 1e9;
                wipe(account);
                double sync = syncSeconds(account);
                syncS.add(sync);
                bareS.add(bare);
                ratios.add(sync / bare);
                concurrentRatios.add(bare4 / bare);
            }
            if (config.profile() && latency.isZero()) {
                Path jfr = work.resolve("sync.jfr");
                Jcmd.run(service.pid(), "JFR.stop", "name=sync", "filename=" + jfr);
                writeProfile("sync", jfr);
            }
            boolean zero = latency.isZero();
            report.atMost(
                    "1",
                    "full sync (default fetch concurrency) at " + latency.toMillis()
                            + " ms vs bare sequential fetch of the same " + syncUrls.size() + " pages",
                    Stats.of(syncS),
                    Stats.of(bareS),
                    "s",
                    Stats.of(ratios),
                    zero ? 1.25 : 1.05,
                    null);
            report.info(
                    "1",
                    "bare fetch with 4 pages in flight vs sequential, at " + latency.toMillis() + " ms",
                    null,
                    null,
                    null,
                    Stats.of(concurrentRatios),
                    "what concurrent page fetching could reach");
            if (zero) {
                perUser.put(users, perUserMicros(syncS, users));
            }
        }
    }

    /**
     * The sync as it was before pages were fetched several at once: the service restarted with
     * {@code keyline.sync.fetch-concurrency=1} (one page fetched ahead), against the same sequential baseline, so the
     * default's figure can be read against it. Last, as the restart would disturb the scenarios after it.
     */
    private void sequentialSync(ScimUpstream big) {
        log("1) full sync with fetch-concurrency 1 (one page ahead), same baseline");
        service.close();
        List<String> extra = new ArrayList<>(serviceOptions.extraJvm());
        extra.add("-Dkeyline.sync.fetch-concurrency=1");
        ServiceProcess.Options options = new ServiceProcess.Options(
                serviceOptions.jar(),
                serviceOptions.dataDir(),
                serviceOptions.mongoUri(),
                serviceOptions.operatorKeySha256(),
                serviceOptions.heap(),
                extra,
                serviceOptions.javaHome());
        service = ServiceProcess.launch(options, work.resolve("service.log"));
        service.awaitReady(Duration.ofMinutes(2));
        api = new KeylineApi(http, service.baseUrl(), operatorKey);
        api.createTenant("Bench sequential");
        big.latency(Duration.ZERO);
        String account = api.link("bench-sequential", big.bridgeBaseUrl(), big.token())
                .json()
                .path("id")
                .asText();
        syncSeconds(account); // warm-up
        for (Duration latency : List.of(Duration.ZERO, Duration.ofMillis(5))) {
            big.latency(latency);
            // One run per latency: a figure for information, without a target, and the whole run must stay within 10
            // minutes (scenario 3's alternating repeats took the time).
            double bare = http.fetchAll(syncUrls, auth(big), 1) / 1e9;
            wipe(account);
            double sync = syncSeconds(account);
            report.info(
                    "1",
                    "full sync with fetch-concurrency 1 (one page ahead, as before) at " + latency.toMillis()
                            + " ms vs bare sequential fetch of the same " + syncUrls.size() + " pages",
                    Stats.of(List.of(sync)),
                    Stats.of(List.of(bare)),
                    "s",
                    Stats.of(List.of(sync / bare)),
                    "the default's figure against this one is what concurrent page fetching gains");
        }
        wipe(account);
    }

    // ---- 6: scale ----

    private void scale(Map<Integer, Stats> perUser) {
        log("6) scale: sync time per user at 0 ms for " + config.scaleSizes() + " users");
        for (int size : config.scaleSizes()) {
            try (ScimUpstream small = upstream(size, Math.max(1, size / 50))) {
                String account = api.link("bench-" + size, small.bridgeBaseUrl(), small.token())
                        .json()
                        .path("id")
                        .asText();
                syncSeconds(account); // warm-up
                List<Double> times = new ArrayList<>();
                for (int r = 0; r < Math.max(3, config.repeats()); r++) {
                    wipe(account);
                    times.add(syncSeconds(account));
                }
                perUser.put(size, perUserMicros(times, size));
                report.info("6", "sync of " + size + " users", Stats.of(times), null, "s", null, null);
                wipe(account);
            }
        }
        int smallest =
                perUser.keySet().stream().mapToInt(Integer::intValue).min().orElseThrow();
        Stats base = perUser.get(smallest);
        perUser.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> report.atMost(
                        "6",
                        "per-user sync cost at " + e.getKey() + " users vs at " + smallest,
                        e.getValue(),
                        base,
                        "µs/user",
                        Stats.of(List.of(e.getValue().median() / base.median())),
                        1.2,
                        null));
    }

    // ---- 3: synced read under load, and RSS under it ----

    private void syncedRead(String account) throws Exception {
        log("3) synced read at 32 connections vs the framework's ceiling serving the same bytes");
        Http.Answer page = api.users(account, "page_size=100").expect(200);
        if (!page.json().path("meta").path("mode").asText().equals("synced")) {
            throw new IllegalStateException(
                    "expected a synced read, got " + page.json().path("meta"));
        }
        String path = "/v1/iam/users?page_size=100";
        int port =
                Integer.parseInt(service.baseUrl().substring(service.baseUrl().lastIndexOf(':') + 1));
        // What the process holds from the scenarios before (scenario 1's syncs above all) as this load starts: the
        // peak below is read against it.
        double rssBefore = service.rssMb();
        ServiceProcess.Heap heapBefore = service.heapNow();
        log(String.format(
                Locale.ROOT,
                "  before the load: RSS %.0f MB, heap committed %.0f MB (used %.0f MB)",
                rssBefore,
                heapBefore.committedMb(),
                heapBefore.usedMb()));
        AtomicLong maxRss = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                maxRss.accumulateAndGet(Proc.rssKb(service.pid()), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        if (config.profile()) {
            Jcmd.run(service.pid(), "JFR.start", "name=reads", "settings=profile");
        }
        Path body = work.resolve("page.json");
        Files.write(body, page.body());
        int ceilingPort = ServiceProcess.freePort();
        Process ceiling = ceilingProcess(ceilingPort, body, page.contentType());
        // Keyline and the ceiling take turns, repeat after repeat, so a slower stretch of a shared machine falls on
        // both sides of a pair; each pair gives one ratio, and the figures are their median and spread.
        List<LoadGenerator.Result> keylineRuns = new ArrayList<>();
        List<LoadGenerator.Result> ceilingRuns = new ArrayList<>();
        try {
            awaitReadyLine(ceiling);
            sampler.start();
            for (int r = 0; r < config.repeats(); r++) {
                // Both JVMs are warm after their first run; later runs only settle the connections.
                Duration warmUp = r == 0 ? config.loadWarmUp() : Duration.ofSeconds(1);
                keylineRuns.add(LoadGenerator.run(
                        "127.0.0.1", port, path, api.readHeaders(account), 32, warmUp, config.loadMeasure()));
                ceilingRuns.add(
                        LoadGenerator.run("127.0.0.1", ceilingPort, path, Map.of(), 32, warmUp, config.loadMeasure()));
            }
        } finally {
            sampler.interrupt();
            ceiling.destroy();
            ceiling.waitFor(10, TimeUnit.SECONDS);
        }
        if (config.profile()) {
            Files.createDirectories(config.out());
            Files.writeString(
                    config.out().resolve("profile-native-memory.txt"),
                    Jcmd.run(service.pid(), "VM.native_memory", "summary"));
            Path jfr = work.resolve("reads.jfr");
            Jcmd.run(service.pid(), "JFR.stop", "name=reads", "filename=" + jfr);
            writeProfile("synced-read", jfr);
        }
        double rssLoad = maxRss.get() / 1024.0;

        report.detail("synced_read_load", Map.of("keyline", keylineRuns, "ceiling", ceilingRuns));
        long errors =
                keylineRuns.stream().mapToLong(LoadGenerator.Result::errors).sum();
        if (errors > 0) {
            log("  WARNING: " + errors + " failed requests under load");
        }
        List<Double> throughputRatios = new ArrayList<>();
        for (int r = 0; r < keylineRuns.size(); r++) {
            throughputRatios.add(
                    keylineRuns.get(r).throughput() / ceilingRuns.get(r).throughput());
        }
        Stats p50 = Stats.of(keylineRuns, LoadGenerator.Result::p50);
        Stats p99 = Stats.of(keylineRuns, LoadGenerator.Result::p99);
        report.atLeast(
                "3",
                "synced read throughput at 32 connections vs ceiling (same bytes from memory), " + keylineRuns.size()
                        + " alternating runs",
                Stats.of(keylineRuns, LoadGenerator.Result::throughput),
                Stats.of(ceilingRuns, LoadGenerator.Result::throughput),
                "req/s",
                Stats.of(throughputRatios),
                0.5,
                "p50 " + Report.fmt(p50.median()) + " ms, p99 " + Report.fmt(p99.median()) + " ms; ceiling p50 "
                        + Report.fmt(
                                Stats.of(ceilingRuns, LoadGenerator.Result::p50).median()) + " ms");
        report.atMost(
                "3",
                "synced read p99 / p50",
                p99,
                p50,
                "ms",
                Stats.of(keylineRuns, LoadGenerator.Result::tailRatio),
                3.0,
                null);
        report.add(new Report.Figure(
                "5",
                "RSS just before scenario 3's load",
                Stats.of(List.of(rssBefore)),
                null,
                "MB",
                null,
                null,
                null,
                String.format(
                        Locale.ROOT,
                        "heap committed %.0f MB, used %.0f MB (no collection first)",
                        heapBefore.committedMb(),
                        heapBefore.usedMb())));
        report.add(new Report.Figure(
                "5",
                "RSS under scenario 3 (peak)",
                Stats.of(List.of(rssLoad)),
                null,
                "MB",
                null,
                "≤ 400 MB",
                rssLoad <= 400,
                null));
    }

    // ---- helpers ----

    private double syncSeconds(String account) {
        JsonNode run = api.syncAndWait(account, POLL, r -> {});
        Instant started = Instant.parse(run.path("started_at").asText());
        Instant finished = Instant.parse(run.path("finished_at").asText());
        return Duration.between(started, finished).toMillis() / 1000.0;
    }

    private List<String> topOfHistogram(int lines) {
        String histogram = Jcmd.run(service.pid(), "GC.class_histogram");
        return histogram
                .lines()
                .filter(l -> l.matches("\\s*\\d+:.*"))
                .limit(lines)
                .map(String::strip)
                .toList();
    }

    private static Stats perUserMicros(List<Double> seconds, int users) {
        return Stats.of(seconds.stream().map(s -> s * 1e6 / users).toList());
    }

    /** Removes an account's synced records and change log, so its next sync is a first sync again. */
    private void wipe(String account) {
        MongoDatabase db = mongo.getDatabase("keyline_bench");
        for (String collection : List.of("sync_users", "sync_groups", "sync_changes")) {
            db.getCollection(collection).deleteMany(Filters.eq("account_id", account));
        }
    }

    private static ScimUpstream upstream(int users, int groups) {
        return ScimUpstream.builder()
                .users(users)
                .groups(groups)
                .membershipsPerUser(5)
                .seed(7)
                .token("bench-" + randomKey())
                .requestLogLimit(200_000)
                .start();
    }

    /**
     * The listing requests a sequential walk makes: a sync fetching ahead also asks for a few pages past the end
     * (its predictions), which a sequential walk would not, so those are left out of the baseline.
     */
    private List<String> sequentialWalk(ScimUpstream upstream, List<RecordedRequest> requests) {
        int users = upstream.directory().userCount();
        int groups = upstream.directory().groupCount();
        List<RecordedRequest> walk = new ArrayList<>();
        int pastTheEnd = 0;
        for (RecordedRequest r : requests) {
            int total =
                    r.endpoint() == Endpoint.LIST_USERS ? users : r.endpoint() == Endpoint.LIST_GROUPS ? groups : -1;
            int start = Integer.parseInt(r.queryParameter("startIndex").orElse("1"));
            if (total >= 0 && start > total) {
                pastTheEnd++;
            } else {
                walk.add(r);
            }
        }
        report.detail("sync_requests_past_the_end", pastTheEnd);
        return urls(upstream, walk);
    }

    private static List<String> urls(ScimUpstream upstream, List<RecordedRequest> requests) {
        List<String> urls = new ArrayList<>();
        for (RecordedRequest r : requests) {
            urls.add(upstream.rootUrl() + r.path() + (r.query() == null ? "" : "?" + r.query()));
        }
        return urls;
    }

    private static String pathOf(String url) {
        return url.replaceFirst("^https?://[^/]+", "");
    }

    private static Map<String, String> auth(ScimUpstream upstream) {
        return Map.of("Authorization", "Bearer " + upstream.token(), "Accept", "application/scim+json");
    }

    private void writeProfile(String name, Path jfr) {
        try {
            Files.createDirectories(config.out());
            String summary = JfrSummary.summarise(jfr, 30);
            Files.writeString(config.out().resolve("profile-" + name + ".txt"), summary);
            log("profile of " + name + " in " + config.out().resolve("profile-" + name + ".txt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void close() {
        if (service != null) {
            service.close();
        }
        if (mongo != null) {
            mongo.close();
        }
        if (mongoServer != null) {
            mongoServer.shutdownNow();
        }
    }

    static void log(String message) {
        System.out.println("[bench " + Instant.now().toString().substring(11, 19) + "] " + message);
    }

    private static String randomKey() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
