package dev.keyline.platform.faults;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.awaitSync;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static dev.keyline.platform.support.TestApi.read;
import static dev.keyline.platform.support.TestApi.startSync;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.problem.Problem;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.sync.MongoStore;
import dev.keyline.scimdouble.Endpoint;
import dev.keyline.scimdouble.InjectedFault;
import dev.keyline.scimdouble.RecordedRequest;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Providers misbehaving in every way {@link FaultCase} lists, played by the kit's SCIM upstream through the real
 * 1Password connector in the three places Keyline talks to a provider: a live read ({@code GET /iam/users?mode=live}),
 * a link ({@code POST /accounts}) and a sync ({@code POST /accounts/{id}/syncs}). Each case checks the error code,
 * the number of requests the faulted page cost (retries only where waiting can help, honouring {@code Retry-After}),
 * that a failed or cut-short sync marks nothing deleted and stores every record exactly once, and the account's
 * status. Then one account's provider hangs while another's is read under load: the healthy account's latency with
 * and without the hanging neighbour is printed. The tally is printed at the end: {@code provider faults: N tried,
 * N held}.
 */
@QuarkusTest
@TestProfile(FaultsProfile.class)
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class ProviderFaultsTest {
    private static final int LIVE_USERS = 60;
    private static final int LIVE_PAGE = 25;
    private static final AtomicInteger TRIED = new AtomicInteger();
    private static final AtomicInteger HELD = new AtomicInteger();
    private static final List<String> FAILED = new ArrayList<>();

    @Inject
    MongoStore store;

    @TestHTTPResource("/")
    URL service;

    private final List<ScimUpstream> upstreams = new ArrayList<>();

    @AfterEach
    void stopUpstreams() {
        upstreams.forEach(ScimUpstream::close);
    }

    @AfterAll
    static void printTally() {
        System.out.printf(Locale.ROOT, "provider faults: %d tried, %d held%n", TRIED.get(), HELD.get());
        if (!FAILED.isEmpty()) {
            System.out.println("provider faults that did not hold: " + FAILED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(FaultCase.class)
    void aProviderFaultIsHandled(FaultCase fault) {
        tally(fault.name(), () -> {
            switch (fault.path) {
                case LIVE -> live(fault);
                case LINK -> link(fault);
                case SYNC -> sync(fault);
            }
        });
    }

    /**
     * Two accounts of one tenant: the healthy one is read live by {@link #HEALTHY_CLIENTS} clients at once, first
     * alone, then while {@link #NEIGHBOUR_CLIENTS} clients read the other, whose provider hangs past every
     * time-out. The healthy account's p50 and p99 in both rounds and their ratio are printed; a healthy read that
     * fails or times out fails the test, and so does a neighbour that was never held to its bulkhead.
     */
    @Test
    void oneAccountsHangingProviderDoesNotHoldUpAnotherAccountsReads() throws Exception {
        tally("BULKHEAD_HANGING_NEIGHBOUR", this::bulkhead);
    }

    private static final int HEALTHY_CLIENTS = 4;
    private static final int HEALTHY_READS = 40;
    /** Enough to fill the neighbour's bulkhead and knock on it, few enough that rejections do not load the CPU. */
    private static final int NEIGHBOUR_CLIENTS = FaultsProfile.BULKHEAD_LIMIT + 4;

    private void bulkhead() {
        ScimUpstream healthyUpstream = upstream(LIVE_USERS);
        ScimUpstream hangingUpstream = upstream(LIVE_USERS);
        CreatedTenant tenant = newTenant();
        String healthy = linkOnePassword(tenant, "org-healthy-" + healthyUpstream.port(), healthyUpstream);
        String hanging = linkOnePassword(tenant, "org-hanging-" + hangingUpstream.port(), hangingUpstream);
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI users = URI.create(service.toString().replaceAll("/$", "") + "/iam/users?mode=live&page_size=" + LIVE_PAGE);
        ExecutorService pool = Executors.newFixedThreadPool(HEALTHY_CLIENTS + NEIGHBOUR_CLIENTS);
        try {
            measure(http, pool, tenant, healthy, users, 20); // warm-up: connections, JIT, the account's guard
            List<Long> alone = measure(http, pool, tenant, healthy, users, HEALTHY_READS);

            hangingUpstream.inject(dev.keyline.scimdouble.Fault.stall(Duration.ofSeconds(30)));
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentMap<String, AtomicInteger> neighbourAnswers = new ConcurrentHashMap<>();
            List<Future<?>> neighbours = new ArrayList<>();
            for (int i = 0; i < NEIGHBOUR_CLIENTS; i++) {
                neighbours.add(pool.submit(() -> {
                    while (!stop.get()) {
                        HttpResponse<String> answer = send(http, tenant, hanging, users, Duration.ofSeconds(30));
                        String code = answer.statusCode() == 200 ? "200" : answer.statusCode() + " " + code(answer);
                        neighbourAnswers
                                .computeIfAbsent(code, k -> new AtomicInteger())
                                .incrementAndGet();
                        if (answer.statusCode() == 503) {
                            // A client told to come back later does so: the figure is about hanging calls, not
                            // about a flood of rejected ones competing for the CPU.
                            pause(answer.headers()
                                    .firstValue("Retry-After")
                                    .map(seconds -> Long.parseLong(seconds) * 1000)
                                    .orElse(1000L));
                        }
                    }
                    return null;
                }));
            }
            pause(2500); // the neighbour's requests are hanging by now
            List<Long> beside;
            try {
                beside = measure(http, pool, tenant, healthy, users, HEALTHY_READS);
            } finally {
                stop.set(true);
                for (Future<?> neighbour : neighbours) {
                    neighbour.get();
                }
                hangingUpstream.clearFaults();
            }

            long p50Alone = percentile(alone, 50);
            long p99Alone = percentile(alone, 99);
            long p50Beside = percentile(beside, 50);
            long p99Beside = percentile(beside, 99);
            System.out.printf(
                    Locale.ROOT,
                    "provider faults: bulkhead: healthy account's live reads (%d clients x %d) alone p50 %.1f ms"
                            + " p99 %.1f ms; beside a hanging account (%d clients) p50 %.1f ms p99 %.1f ms;"
                            + " p99 ratio %.2f (target <= 1.20); neighbour answers %s%n",
                    HEALTHY_CLIENTS,
                    HEALTHY_READS,
                    p50Alone / 1e6,
                    p99Alone / 1e6,
                    NEIGHBOUR_CLIENTS,
                    p50Beside / 1e6,
                    p99Beside / 1e6,
                    (double) p99Beside / p99Alone,
                    neighbourAnswers);
            // The neighbour hung and was held to its own share: it timed out, and the calls over its bulkhead
            // were turned away at once instead of queueing for threads the healthy account needs.
            assertThat(neighbourAnswers).containsKey("504 timeout").containsKey("503 account_busy");
            assertThat(neighbourAnswers).doesNotContainKey("200");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * {@code clients} at once each read the account {@code reads} times; every read must succeed within the
     * client's time-out (a starved read would fail here). The latencies in nanoseconds.
     */
    private List<Long> measure(
            HttpClient http, ExecutorService pool, CreatedTenant tenant, String accountId, URI uri, int reads)
            throws Exception {
        List<Future<List<Long>>> clients = new ArrayList<>();
        for (int c = 0; c < HEALTHY_CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                List<Long> took = new ArrayList<>();
                for (int i = 0; i < reads; i++) {
                    long started = System.nanoTime();
                    HttpResponse<String> answer = send(http, tenant, accountId, uri, Duration.ofSeconds(10));
                    took.add(System.nanoTime() - started);
                    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                }
                return took;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> client : clients) {
            all.addAll(client.get());
        }
        return all;
    }

    private static HttpResponse<String> send(
            HttpClient http, CreatedTenant tenant, String accountId, URI uri, Duration timeout) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Authorization", "Bearer " + tenant.apiKey())
                .header("x-account-id", accountId)
                .timeout(timeout)
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> answer) {
        try {
            return JsonPath.from(answer.body()).getString("code");
        } catch (RuntimeException e) {
            return "?";
        }
    }

    private static long percentile(List<Long> samples, int percent) {
        List<Long> sorted = samples.stream().sorted().toList();
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    // ---- live reads ----

    private void live(FaultCase fault) {
        ScimUpstream upstream = upstream(LIVE_USERS);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        InjectedFault injected = upstream.inject(fault.fault());
        long mark = upstream.requests().mark();

        List<Object> ids = new ArrayList<>();
        Response last = null;
        String next = null;
        for (int page = 0; page < 20; page++) {
            var request = read(tenant, accountId).queryParam("mode", "live").queryParam("page_size", LIVE_PAGE);
            if (next != null) {
                request.queryParam("cursor", next);
            }
            last = request.get("/iam/users");
            if (last.statusCode() != 200) {
                break;
            }
            ids.addAll(last.jsonPath().getList("data.id"));
            next = last.jsonPath().getString("next");
            if (next == null) {
                break;
            }
        }

        assertThat(injected.hits()).as("the fault struck").isPositive();
        if (fault.succeeds()) {
            assertThat(last.statusCode()).as(last.asString()).isEqualTo(200);
            assertThat(ids).as("every user once").hasSize(LIVE_USERS).doesNotHaveDuplicates();
        } else {
            assertProblem(last, fault);
        }
        assertRequests(upstream, mark, fault, LIVE_PAGE);
    }

    // ---- linking ----

    private void link(FaultCase fault) {
        ScimUpstream upstream = upstream(LIVE_USERS);
        CreatedTenant tenant = newTenant();
        InjectedFault injected = upstream.inject(fault.fault());
        long mark = upstream.requests().mark();

        Response response = as(tenant.apiKey())
                .body(Map.of(
                        "origin_owner_id",
                        "org-" + upstream.port(),
                        "origin_owner_name",
                        "Org",
                        "provider",
                        "onepassword",
                        "credentials",
                        Map.of("scim_url", upstream.bridgeBaseUrl(), "bearer_token", upstream.token())))
                .post("/accounts");

        assertThat(injected.hits()).as("the fault struck").isPositive();
        assertProblem(response, fault);
        assertThat(response.asString()).doesNotContain(upstream.token());
        // Nothing half-written: no account, active or otherwise, for a link that failed.
        as(tenant.apiKey()).get("/accounts").then().statusCode(200).body("data.size()", org.hamcrest.Matchers.is(0));
        assertRequests(upstream, mark, fault, 1);
    }

    // ---- syncs ----

    private void sync(FaultCase fault) {
        ScimUpstream upstream = upstream(FaultsProfile.SYNC_USERS);
        CreatedTenant tenant = newTenant();
        String accountId = linkOnePassword(tenant, "org-" + upstream.port(), upstream);
        JsonPath first = awaitSync(tenant, accountId, startSync(tenant, accountId));
        assertThat(first.getString("state")).isEqualTo("succeeded");
        assertThat(first.getInt("users_seen")).isEqualTo(FaultsProfile.SYNC_USERS);
        assertStoredOnceEach(tenant, accountId, FaultsProfile.SYNC_USERS);
        InjectedFault injected = upstream.inject(fault.fault());
        long mark = upstream.requests().mark();

        JsonPath run = awaitSync(tenant, accountId, startSync(tenant, accountId));

        assertThat(injected.hits()).as("the fault struck").isPositive();
        assertThat(run.getInt("deleted")).as("marked deleted by the run").isZero();
        assertStoredOnceEach(tenant, accountId, FaultsProfile.SYNC_USERS);
        String status = as(tenant.apiKey())
                .get("/accounts/" + accountId)
                .then()
                .statusCode(200)
                .extract()
                .path("status");
        if (fault.succeeds()) {
            assertThat(run.getString("state")).as(run.prettify()).isEqualTo("succeeded");
            assertThat(run.getInt("users_seen")).isEqualTo(FaultsProfile.SYNC_USERS);
            assertThat(run.getInt("added") + run.getInt("updated")).isZero();
            assertThat(status).isEqualTo("active");
        } else {
            assertThat(run.getString("state")).as(run.prettify()).isEqualTo("failed");
            assertThat(run.getString("error.code")).as(run.prettify()).isEqualTo(fault.code);
            assertThat(run.getString("error.message")).isNotBlank().doesNotContain(upstream.token());
            // The run stopped at the faulted page: the pages before it were applied, nothing after it.
            assertThat(run.getInt("users_seen")).isEqualTo((fault.page - 1) * FaultsProfile.SYNC_PAGE);
            if (fault.code.equals("invalid_credentials")) {
                assertThat(status).isEqualTo("error");
                as(tenant.apiKey())
                        .get("/accounts/" + accountId)
                        .then()
                        .body("status_reason.code", org.hamcrest.Matchers.equalTo("invalid_credentials"));
            } else {
                // A provider's passing trouble fails the run but is no reason to take the account out of service.
                assertThat(status).isEqualTo("active");
            }
        }
        assertRequests(upstream, mark, fault, FaultsProfile.SYNC_PAGE);
    }

    /** Every user of the directory stored once, none marked deleted. */
    private void assertStoredOnceEach(CreatedTenant tenant, String accountId, int users) {
        Document account = new Document("tenant_id", tenant.id()).append("account_id", accountId);
        List<String> remoteIds = new ArrayList<>();
        store.users().find(account).forEach(d -> remoteIds.add(d.getString("remote_id")));
        assertThat(remoteIds).as("stored users").hasSize(users);
        assertThat(new HashSet<>(remoteIds)).as("distinct remote ids").hasSize(remoteIds.size());
        assertThat(store.users().countDocuments(new Document(account).append("remote_was_deleted", true)))
                .as("users marked deleted")
                .isZero();
    }

    // ---- shared checks ----

    private static void assertProblem(Response response, FaultCase fault) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(fault.status);
        assertThat(response.contentType()).startsWith(Problem.MEDIA_TYPE);
        assertThat(response.jsonPath().getString("code")).isEqualTo(fault.code);
        assertThat(response.jsonPath().getString("detail")).isNotBlank();
        if (fault.code.equals("rate_limited")) {
            assertThat(response.header("Retry-After"))
                    .as("Retry-After passed on")
                    .isNotBlank();
        }
    }

    /**
     * The requests for the counted page: its listing requests with that page's {@code startIndex}, which the
     * retries of that page repeat. A retry after a 429 came no sooner than the provider asked.
     */
    private static void assertRequests(ScimUpstream upstream, long mark, FaultCase fault, int pageSize) {
        String startIndex = String.valueOf((fault.page - 1) * pageSize + 1);
        List<RecordedRequest> page = upstream.requests().since(mark).stream()
                .filter(r -> r.endpoint() == Endpoint.LIST_USERS)
                .filter(r -> r.queryParameter("startIndex").orElse("1").equals(startIndex))
                .toList();
        assertThat(page).as("requests for page %d", fault.page).hasSize(fault.requests);
        if (fault.retryAfter != null) {
            for (int i = 1; i < page.size(); i++) {
                Duration waited =
                        Duration.between(page.get(i - 1).time(), page.get(i).time());
                // The header has whole seconds; the clock of the log, milliseconds.
                assertThat(waited).as("wait before retry %d", i).isGreaterThan(fault.retryAfter.minusMillis(50));
            }
        }
    }

    private ScimUpstream upstream(int users) {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(users)
                .groups(3)
                .membershipsPerUser(1)
                .seed(users)
                .urlForms(UrlForm.BRIDGE)
                .token("faults-token-" + users + "-0123456789abcdef")
                .start();
        upstreams.add(upstream);
        return upstream;
    }

    private static void tally(String name, Runnable check) {
        TRIED.incrementAndGet();
        try {
            check.run();
            HELD.incrementAndGet();
        } catch (RuntimeException | AssertionError e) {
            synchronized (FAILED) {
                FAILED.add(name);
            }
            throw e;
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
