package dev.keyline.platform.sync;

import static dev.keyline.platform.support.TestApi.as;
import static dev.keyline.platform.support.TestApi.linkOnePassword;
import static dev.keyline.platform.support.TestApi.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.keyline.platform.account.AccountConnectors;
import dev.keyline.platform.account.AccountStatusTransitions;
import dev.keyline.platform.db.NativeSql;
import dev.keyline.platform.support.EmbeddedPostgresResource;
import dev.keyline.platform.support.MongoServerResource;
import dev.keyline.platform.support.TestApi.CreatedTenant;
import dev.keyline.platform.support.TestAuthResource;
import dev.keyline.platform.sync.SyncEvents.DirectoryChange;
import dev.keyline.platform.sync.SyncEvents.SyncFinished;
import dev.keyline.platform.sync.SyncRun.State;
import dev.keyline.platform.sync.SyncRun.Trigger;
import dev.keyline.scimdouble.ScimUpstream;
import dev.keyline.scimdouble.UrlForm;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sync runs wait in PostgreSQL and start in turn across tenants, whichever replica has a free slot. Replicas here
 * are extra engines with one slot each; a gate in the run store holds a chosen account's run mid-sync (latches,
 * no timing), so what starts next is decided by the queue alone.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedPostgresResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = TestAuthResource.class, restrictToAnnotatedClass = false)
@QuarkusTestResource(value = MongoServerResource.class, restrictToAnnotatedClass = false)
class FairSyncQueueTest {

    @Inject
    SyncEngine engine;

    @Inject
    SyncConfig config;

    @Inject
    SyncRunStore runs;

    @Inject
    MongoStore store;

    @Inject
    AccountConnectors accounts;

    @Inject
    AccountStatusTransitions accountService;

    @Inject
    SyncPurger purger;

    @Inject
    Event<SyncFinished> finished;

    @Inject
    Event<DirectoryChange> changes;

    @Inject
    Scheduler scheduler;

    @Inject
    DataSource dataSource;

    @Inject
    NativeSql sql;

    private final List<ScimUpstream> upstreams = new ArrayList<>();
    private final List<SyncEngine> replicas = new ArrayList<>();

    @AfterEach
    void stop() {
        replicas.forEach(SyncEngine::shutdown);
        upstreams.forEach(ScimUpstream::close);
    }

    @Test
    void anotherTenantsSyncStartsBeforeOneTenantsBacklogDrains() {
        ScimUpstream upstream = upstream();
        CreatedTenant busy = newTenant();
        List<String> busyAccounts = link(busy, upstream, 4);
        CreatedTenant small = newTenant();
        String smallAccount = link(small, upstream, 1).get(0);
        GatedRuns gate = new GatedRuns(sql, busyAccounts.get(0));
        SyncEngine replica = replica(gate, "replica-fair");

        SyncRun first = replica.enqueue(busy.id(), busyAccounts.get(0), Trigger.MANUAL);
        await(gate.entered);
        List<SyncRun> backlog = new ArrayList<>();
        for (String account : busyAccounts.subList(1, busyAccounts.size())) {
            backlog.add(replica.enqueue(busy.id(), account, Trigger.MANUAL));
        }
        SyncRun other = replica.enqueue(small.id(), smallAccount, Trigger.MANUAL);
        gate.release.countDown();

        List<SyncRun> all = new ArrayList<>(backlog);
        all.add(first);
        all.add(other);
        assertThat(all)
                .allSatisfy(run -> assertThat(awaitFinished(run.id()).state()).isEqualTo(State.SUCCEEDED));
        // The only slot was busy with the first run; the small tenant's run takes it next, ahead of the backlog
        // queued before it.
        assertThat(gate.startOrder()).hasSize(all.size());
        assertThat(gate.startOrder().get(0)).isEqualTo(first.id());
        assertThat(gate.startOrder().get(1)).isEqualTo(other.id());
    }

    @Test
    void aRunAnsweredAsQueuedIsNeverRefusedLaterForWantOfRoom() {
        ScimUpstream upstream = upstream();
        CreatedTenant tenant = newTenant();
        List<String> ids = link(tenant, upstream, 4);
        GatedRuns gate = new GatedRuns(sql, ids.get(0));
        SyncEngine replica = replica(gate, "replica-one-slot");

        List<SyncRun> queued = new ArrayList<>();
        queued.add(replica.enqueue(tenant.id(), ids.get(0), Trigger.MANUAL));
        await(gate.entered);
        for (String account : ids.subList(1, ids.size())) {
            queued.add(replica.enqueue(tenant.id(), account, Trigger.MANUAL));
        }
        gate.release.countDown();

        for (SyncRun run : queued) {
            SyncRun done = awaitFinished(run.id());
            assertThat(done.errorCode()).as("run %s", run.id()).isNull();
            assertThat(done.state()).isEqualTo(State.SUCCEEDED);
        }
    }

    @Test
    void aSecondRequestForAnAccountWithAQueuedRunGetsThatRun() throws Exception {
        ScimUpstream upstream = upstream();
        CreatedTenant tenant = newTenant();
        String accountId = link(tenant, upstream, 1).get(0);
        // Another replica holds the account's lease, so the queued run waits for it.
        sql(
                "insert into sync_leases (account_id, tenant_id, owner, run_id, expires_at) values (?, ?,"
                        + " 'replica-elsewhere', 'syn_elsewhere', now() + interval '5 minutes')",
                accountId,
                tenant.id());
        SyncRun queued = engine.enqueue(tenant.id(), accountId, Trigger.SCHEDULED);

        as(tenant.apiKey())
                .post("/accounts/" + accountId + "/syncs")
                .then()
                .statusCode(200)
                .body("id", equalTo(queued.id()))
                .body("state", equalTo("queued"));
        assertThat(engine.enqueue(tenant.id(), accountId, Trigger.SCHEDULED).id())
                .isEqualTo(queued.id());
        assertThat(runs.list(tenant.id(), accountId, 10)).hasSize(1);

        // Once the lease is free the one queued run starts, on the next wake.
        sql("update sync_leases set owner = null, run_id = null, expires_at = null where account_id = ?", accountId);
        engine.wake();
        assertThat(awaitFinished(queued.id()).state()).isEqualTo(State.SUCCEEDED);
        as(tenant.apiKey())
                .post("/accounts/" + accountId + "/syncs")
                .then()
                .statusCode(202)
                .body("id", not(equalTo(queued.id())));
    }

    @Test
    void unlinkingAnAccountFailsItsQueuedRunSoNoReplicaStartsIt() throws Exception {
        ScimUpstream upstream = upstream();
        CreatedTenant tenant = newTenant();
        String accountId = link(tenant, upstream, 1).get(0);
        sql(
                "insert into sync_leases (account_id, tenant_id, owner, run_id, expires_at) values (?, ?,"
                        + " 'replica-elsewhere', 'syn_elsewhere', now() + interval '5 minutes')",
                accountId,
                tenant.id());
        SyncRun queued = engine.enqueue(tenant.id(), accountId, Trigger.SCHEDULED);

        as(tenant.apiKey()).delete("/accounts/" + accountId).then().statusCode(204);

        SyncRun failed = runs.find(queued.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(State.FAILED);
        assertThat(failed.errorCode()).isEqualTo("account_unlinked");
    }

    @Test
    void aRunQueuedOnABusyReplicaIsStartedByAnotherWithAFreeSlot() {
        ScimUpstream upstream = upstream();
        CreatedTenant tenant = newTenant();
        List<String> ids = link(tenant, upstream, 2);
        GatedRuns gate = new GatedRuns(sql, ids.get(0));
        SyncEngine busy = replica(gate, "replica-busy");
        SyncEngine free = replica(runs, "replica-free");

        SyncRun held = busy.enqueue(tenant.id(), ids.get(0), Trigger.MANUAL);
        await(gate.entered);
        SyncRun waiting = busy.enqueue(tenant.id(), ids.get(1), Trigger.MANUAL);
        free.wake();

        SyncRun done = awaitFinished(waiting.id());
        assertThat(done.state()).isEqualTo(State.SUCCEEDED);
        assertThat(runs.find(held.id()).orElseThrow().state()).isEqualTo(State.RUNNING);
        gate.release.countDown();
        assertThat(awaitFinished(held.id()).state()).isEqualTo(State.SUCCEEDED);
    }

    @Test
    void aRunQueuedBehindADeadReplicasLeaseStartsOnceTheLeaseExpiresWithNoFurtherRequest() {
        ScimUpstream upstream = upstream();
        CreatedTenant tenant = newTenant();
        String id = link(tenant, upstream, 1).get(0);
        Duration lease = Duration.ofMillis(400);
        SyncEngine replica = replica(runs, "replica-short-lease", lease, lease);
        // A replica that died mid-run: its lease stays until it expires, and nobody renews or releases it.
        assertThat(runs.tryAcquire(tenant.id(), id, "replica-dead", "syn_dead", lease))
                .isTrue();

        SyncRun waiting = replica.enqueue(tenant.id(), id, Trigger.MANUAL);

        // No request, no scheduler (off in tests): only the engine's own periodic look can start it.
        assertThat(awaitFinished(waiting.id()).state()).isEqualTo(State.SUCCEEDED);
    }

    @Test
    void aRunningSyncKeepsItsLeasePastTheLeaseTimeByRenewingIt() throws Exception {
        ScimUpstream upstream = upstream();
        CreatedTenant tenant = newTenant();
        String id = link(tenant, upstream, 1).get(0);
        GatedRuns gate = new GatedRuns(sql, id);
        // Renewed every second (a third of it), so a slow beat on a busy machine still lands in time.
        Duration lease = Duration.ofSeconds(3);
        SyncEngine replica = replica(gate, "replica-renewing", lease, Duration.ZERO);

        SyncRun held = replica.enqueue(tenant.id(), id, Trigger.MANUAL);
        await(gate.entered);
        Thread.sleep(lease.multipliedBy(2).plusSeconds(1).toMillis());

        // Without the heartbeat the lease would have expired by now, and another replica could take the account.
        assertThat(runs.tryAcquire(tenant.id(), id, "replica-thief", "syn_thief", lease))
                .isFalse();
        gate.release.countDown();
        assertThat(awaitFinished(held.id()).state()).isEqualTo(State.SUCCEEDED);
    }

    @Test
    void eachEngineHasItsOwnSchedulerJobsAndDropsThemWhenItStops() {
        SyncEngine looking = replica(runs, "replica-looking", config.lease(), Duration.ofMillis(400));
        replica(runs, "replica-not-looking", config.lease(), Duration.ZERO);

        assertThat(scheduler.getScheduledJob("keyline-sync-queue-check-replica-looking"))
                .isNotNull();
        assertThat(scheduler.getScheduledJob("keyline-sync-lease-replica-looking"))
                .isNotNull();
        assertThat(scheduler.getScheduledJob("keyline-sync-queue-check-replica-not-looking"))
                .isNull();
        assertThat(scheduler.getScheduledJob("keyline-sync-lease-replica-not-looking"))
                .isNotNull();

        looking.shutdown();
        assertThat(scheduler.getScheduledJob("keyline-sync-queue-check-replica-looking"))
                .isNull();
        assertThat(scheduler.getScheduledJob("keyline-sync-lease-replica-looking"))
                .isNull();
    }

    /** A run store whose run of one account waits at its first page until released, and which notes start order. */
    static final class GatedRuns extends SyncRunStore {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final String gatedAccount;
        private final Set<String> started = new LinkedHashSet<>();

        GatedRuns(NativeSql sql, String gatedAccount) {
            super(sql);
            this.gatedAccount = gatedAccount;
        }

        @Override
        public boolean stillHolds(String accountId, String owner, String runId) {
            synchronized (started) {
                started.add(runId);
            }
            if (accountId.equals(gatedAccount)) {
                entered.countDown();
                await(release);
            }
            return super.stillHolds(accountId, owner, runId);
        }

        List<String> startOrder() {
            synchronized (started) {
                return List.copyOf(started);
            }
        }
    }

    /** Another replica with one slot, as a second service instance would be. */
    private SyncEngine replica(SyncRunStore store, String name) {
        // The periodic look at the queue is off in the test profile: which engine claims a run is the test's choice.
        return replica(store, name, config.lease(), config.queueCheck());
    }

    private SyncEngine replica(SyncRunStore store, String name, Duration lease, Duration queueCheck) {
        SyncConfig oneSlot = (SyncConfig) Proxy.newProxyInstance(
                SyncConfig.class.getClassLoader(),
                new Class<?>[] {SyncConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "threads" -> 1;
                    case "lease" -> lease;
                    case "queueCheck" -> queueCheck;
                    default -> method.invoke(config, args);
                });
        SyncEngine replica = new SyncEngine(
                oneSlot, store, this.store, accounts, accountService, purger, finished, changes, scheduler, name);
        replicas.add(replica);
        return replica;
    }

    private List<String> link(CreatedTenant tenant, ScimUpstream upstream, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(linkOnePassword(tenant, "org-" + tenant.id() + "-" + i, upstream));
        }
        return ids;
    }

    private SyncRun awaitFinished(String runId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            SyncRun run = runs.find(runId).orElseThrow();
            if (run.state() == State.SUCCEEDED || run.state() == State.FAILED) {
                return run;
            }
            sleep(20);
        }
        throw new AssertionError("sync " + runId + " did not finish");
    }

    private ScimUpstream upstream() {
        ScimUpstream upstream = ScimUpstream.builder()
                .users(6)
                .groups(1)
                .membershipsPerUser(1)
                .seed(5)
                .urlForms(UrlForm.BRIDGE)
                .token("fair-queue-token-0123456789")
                .start();
        upstreams.add(upstream);
        return upstream;
    }

    private void sql(String statement, String... args) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new AssertionError("a gated sync never got there");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
