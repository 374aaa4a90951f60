package dev.keyline.deploy.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.scimdouble.ScimUpstream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two replicas of the packaged service on one machine, sharing one PostgreSQL and one MongoDB-wire server: links
 * made through one are read through the other, scheduled syncs run once per interval whichever replica claims
 * them, and when the replica running a sync dies (kill -9) the other takes the account over after the lease.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutE2eTest {
    private static final int USERS = 120;
    private static final int GROUPS = 8;
    private static final Duration INTERVAL = Duration.ofSeconds(4);
    private static final Duration TICK = Duration.ofMillis(500);
    private static final Duration LEASE = Duration.ofSeconds(4);

    private static Backing backing;
    private static final List<ScimUpstream> upstreams = new ArrayList<>();
    private static KeylineProcess a;
    private static KeylineProcess b;
    private static Flows.Tenant tenant;
    private static final List<String> accounts = new ArrayList<>();

    @BeforeAll
    static void start() {
        long started = System.nanoTime();
        backing = new Backing(true);
        for (int i = 0; i < 3; i++) {
            upstreams.add(ScimUpstream.builder()
                    .users(USERS)
                    .groups(GROUPS)
                    .seed(100 + i)
                    .token("scim-e2e-" + E2e.secret(12))
                    .start());
        }
        // Both replicas start at once, as a rolling deployment's would; Flyway's lock serializes the migration.
        CompletableFuture<KeylineProcess> first = CompletableFuture.supplyAsync(() -> replica("A"));
        CompletableFuture<KeylineProcess> second = CompletableFuture.supplyAsync(() -> replica("B"));
        a = first.join();
        b = second.join();
        E2e.timing("scale-out: two replicas ready", started);
    }

    private static KeylineProcess replica(String name) {
        Map<String, String> properties = new LinkedHashMap<>(backing.properties("replica-" + name));
        properties.put("keyline.sync.scheduler.interval", INTERVAL.toMillis() + "ms");
        properties.put("keyline.sync.scheduler.tick", TICK.toMillis() + "ms");
        properties.put("keyline.sync.lease", LEASE.toMillis() + "ms");
        properties.put("keyline.sync.page-size", "50");
        return KeylineProcess.start("scale-out-" + name, properties, backing.environment());
    }

    @AfterAll
    static void stop() {
        for (KeylineProcess replica : new KeylineProcess[] {a, b}) {
            if (replica != null) {
                replica.close();
            }
        }
        upstreams.forEach(ScimUpstream::close);
        if (backing != null) {
            backing.close();
        }
    }

    @Test
    @Order(1)
    void linksThroughOneReplicaAreReadThroughTheOther() {
        long started = System.nanoTime();
        Api operator = new Api(a.url(), backing.operatorKey);
        tenant = Flows.newTenant(operator);
        Api throughA = new Api(a.url(), tenant.apiKey());
        Api throughB = throughA.at(b.url());
        for (int i = 0; i < upstreams.size(); i++) {
            accounts.add(Flows.link(throughA, "org-" + i, upstreams.get(i)));
        }
        E2e.timing("scale-out: 3 accounts linked through A", started);

        // The initial sync after each link: one run, complete, with exact counts.
        for (String account : accounts) {
            E2e.await(
                    Duration.ofSeconds(60),
                    () -> Flows.runs(throughB, account).stream()
                            .anyMatch(r -> r.path("state").asText().equals("succeeded")),
                    () -> "no successful sync of " + account + Flows.describe(Flows.runs(throughB, account)) + "\n"
                            + a.tail());
            JsonNode initial = Flows.runs(throughB, account).stream()
                    .filter(r -> r.path("trigger").asText().equals("initial"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no initial sync of " + account));
            assertThat(initial.path("state").asText()).isEqualTo("succeeded");
            assertThat(initial.path("users_seen").asInt()).isEqualTo(USERS);
            assertThat(initial.path("groups_seen").asInt()).isEqualTo(GROUPS);
            assertThat(initial.path("added").asInt()).isEqualTo(USERS + GROUPS);
            assertThat(initial.path("deleted").asInt()).isZero();
        }
        E2e.timing("scale-out: initial syncs done", started);

        for (int i = 0; i < accounts.size(); i++) {
            List<JsonNode> live = Flows.users(throughB, accounts.get(i), "live");
            List<JsonNode> synced = Flows.users(throughB, accounts.get(i), "synced");
            assertThat(live).hasSize(upstreams.get(i).directory().userCount());
            assertThat(new HashSet<>(Flows.ids(synced))).isEqualTo(new HashSet<>(Flows.ids(live)));
            assertThat(Flows.ids(synced)).doesNotHaveDuplicates();
        }
        // Another tenant sees none of it, whichever replica it asks.
        Flows.Tenant other = Flows.newTenant(operator.at(b.url()));
        Api otherThroughB = new Api(b.url(), other.apiKey());
        assertThat(otherThroughB.get("/accounts/" + accounts.get(0)).status()).isEqualTo(404);
        E2e.timing("scale-out: live and synced reads through B", started);
    }

    @Test
    @Order(2)
    void scheduledSyncsRunOncePerIntervalAcrossReplicas() {
        long started = System.nanoTime();
        Api api = new Api(b.url(), tenant.apiKey());
        Instant from = dbNow();
        int intervals = 4;
        E2e.sleep(INTERVAL.multipliedBy(intervals).plus(TICK));
        Instant to = dbNow();
        Map<String, Integer> byReplica = new LinkedHashMap<>();
        for (String account : accounts) {
            List<JsonNode> all = Flows.runs(api, account);
            List<JsonNode> scheduled = all.stream()
                    .filter(r -> r.path("trigger").asText().equals("scheduled"))
                    .filter(r -> !Instant.parse(r.path("created_at").asText()).isBefore(from))
                    .filter(r -> Instant.parse(r.path("created_at").asText()).isBefore(to))
                    .sorted((x, y) -> x.path("created_at")
                            .asText()
                            .compareTo(y.path("created_at").asText()))
                    .toList();
            String context = account + " between " + from + " and " + to + Flows.describe(all);
            // Once per interval: never two in one interval, none skipped (a claim waits at most a tick).
            long window = Duration.between(from, to).toMillis();
            int most = (int) (window / INTERVAL.toMillis()) + 1;
            int least = (int) (window / (INTERVAL.toMillis() + TICK.toMillis() + 1000));
            assertThat(scheduled.size()).as(context).isBetween(least, most);
            for (int i = 1; i < scheduled.size(); i++) {
                Duration gap = Duration.between(
                        Instant.parse(scheduled.get(i - 1).path("created_at").asText()),
                        Instant.parse(scheduled.get(i).path("created_at").asText()));
                assertThat(gap).as(context).isGreaterThanOrEqualTo(INTERVAL.minusMillis(50));
            }
            for (JsonNode run : scheduled) {
                // No second replica raced it: a double claim would show up as a failed `sync_in_progress` run.
                assertThat(Flows.error(run))
                        .as("run %s of %s", run.path("id").asText(), context)
                        .isEmpty();
                assertThat(run.path("state").asText()).as(context).isIn("succeeded", "running");
                if (run.path("state").asText().equals("succeeded")) {
                    assertThat(run.path("users_seen").asInt()).as(context).isEqualTo(USERS);
                    assertThat(run.path("added").asInt() + run.path("deleted").asInt())
                            .as(context)
                            .isZero();
                }
            }
            for (Map<String, Object> row : backing.query("select owner, count(*) as runs from sync_runs"
                    + " where trigger = 'scheduled' and state = 'succeeded' and account_id = '" + account
                    + "' group by owner")) {
                byReplica.merge(String.valueOf(row.get("owner")), ((Number) row.get("runs")).intValue(), Integer::sum);
            }
            System.out.printf(
                    "[e2e] account %s: %d scheduled syncs in %d ms (interval %d ms)%n",
                    account, scheduled.size(), window, INTERVAL.toMillis());
        }
        System.out.println("[e2e] successful scheduled syncs by replica: " + byReplica);
        E2e.timing("scale-out: scheduled syncs observed", started);
    }

    @Test
    @Order(3)
    void theOtherReplicaTakesOverAfterOneDiesMidSync() {
        long started = System.nanoTime();
        String account = accounts.get(0);
        ScimUpstream upstream = upstreams.get(0);
        for (int i = 0; i < 5; i++) {
            upstream.directory().addUser("New" + i, "Hire" + i);
        }
        int expectedUsers = upstream.directory().userCount();
        // Slow enough that a sync spans several seconds: each page of 50 takes over a second.
        upstream.latency(Duration.ofMillis(1500));

        Map<String, Object>[] victim = new Map[1];
        E2e.await(
                Duration.ofSeconds(60),
                () -> {
                    List<Map<String, Object>> rows =
                            backing.query("select id, owner from sync_runs where account_id = '" + account
                                    + "' and state = 'running' and pages >= 1");
                    victim[0] = rows.isEmpty() ? null : rows.get(0);
                    return victim[0] != null;
                },
                () -> "no sync of " + account + " got under way" + a.tail());
        String runId = (String) victim[0].get("id");
        String owner = (String) victim[0].get("owner");
        KeylineProcess dead = owner.equals("replica-A") ? a : b;
        KeylineProcess survivor = dead == a ? b : a;
        dead.kill();
        Instant killedAt = dbNow();
        System.out.printf("[e2e] killed %s (kill -9) during sync %s of %s%n", dead.name(), runId, account);
        upstream.latency(Duration.ZERO);

        Api api = new Api(survivor.url(), tenant.apiKey());
        E2e.await(
                Duration.ofSeconds(60),
                () -> Flows.runs(api, account).stream()
                        .anyMatch(r -> r.path("state").asText().equals("succeeded")
                                && Instant.parse(r.path("created_at").asText()).isAfter(killedAt)),
                () -> survivor.name() + " did not take over " + account + Flows.describe(Flows.runs(api, account))
                        + "\n" + survivor.tail());
        Duration takeover = Duration.between(killedAt, dbNow());
        List<JsonNode> runs = Flows.runs(api, account);
        JsonNode killed = runs.stream()
                .filter(r -> r.path("id").asText().equals(runId))
                .findFirst()
                .orElseThrow();
        assertThat(killed.path("state").asText()).isEqualTo("failed");
        assertThat(killed.path("error").path("code").asText()).isEqualTo("lease_expired");
        JsonNode resumed = runs.stream()
                .filter(r -> r.path("state").asText().equals("succeeded"))
                .filter(r -> Instant.parse(r.path("created_at").asText()).isAfter(killedAt))
                .reduce((newer, older) -> older)
                .orElseThrow();
        String resumedOwner = (String) backing.query("select owner from sync_runs where id = '"
                        + resumed.path("id").asText() + "'")
                .get(0)
                .get("owner");
        assertThat(resumedOwner).isEqualTo(survivor == a ? "replica-A" : "replica-B");
        assertThat(resumed.path("users_seen").asInt()).isEqualTo(expectedUsers);
        assertThat(resumed.path("groups_seen").asInt()).isEqualTo(GROUPS);
        assertThat(resumed.path("deleted").asInt()).isZero();

        List<JsonNode> synced = Flows.users(api, account, "synced");
        assertThat(Flows.ids(synced)).doesNotHaveDuplicates().hasSize(expectedUsers);
        assertThat(synced.stream().filter(u -> u.path("remote_was_deleted").asBoolean()))
                .isEmpty();
        Map<String, Long> states =
                runs.stream().collect(Collectors.groupingBy(r -> r.path("state").asText(), Collectors.counting()));
        System.out.printf(
                "[e2e] %s took over %s %d ms after the kill (lease %d ms); runs by state %s%n",
                survivor.name(), account, takeover.toMillis(), LEASE.toMillis(), states);
        E2e.timing("scale-out: takeover", started);
    }

    private static Instant dbNow() {
        return backing.dbNow();
    }
}
