package dev.keyline.platform.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.platform.account.AccountUnlinked;
import dev.keyline.platform.db.NativeSql;
import dev.keyline.platform.sync.SyncEvents.SyncFinished;
import dev.keyline.platform.sync.SyncRun;
import dev.keyline.platform.sync.SyncRunStore;
import jakarta.persistence.EntityManager;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LastSyncsTest {
    private final Map<String, Instant> stored = new HashMap<>();
    private final AtomicInteger queries = new AtomicInteger();
    // Never queried: lastSuccess, the only method used, is answered from the map.
    private static final NativeSql NO_DATABASE = new NativeSql((EntityManager) Proxy.newProxyInstance(
            LastSyncsTest.class.getClassLoader(), new Class<?>[] {EntityManager.class}, (proxy, method, args) -> {
                throw new UnsupportedOperationException(method.getName());
            }));

    private final SyncRunStore runs = new SyncRunStore(NO_DATABASE) {
        @Override
        public Optional<Instant> lastSuccess(String accountId) {
            queries.incrementAndGet();
            return Optional.ofNullable(stored.get(accountId));
        }
    };
    private final Map<String, String> membership = new HashMap<>();
    private final AtomicInteger membershipQueries = new AtomicInteger();
    private final LastSyncs lastSyncs = new LastSyncs(
            runs,
            (tenantId, accountId) -> {
                membershipQueries.incrementAndGet();
                return Optional.ofNullable(membership.get(tenantId + "/" + accountId));
            },
            IamConfigs.config(Optional.empty()));

    @Test
    void aSyncEndingOnThisReplicaIsSeenByTheVeryNextRead() {
        assertThat(lastSyncs.lastSuccess("t1", "a1")).isEmpty();
        assertThat(lastSyncs.lastSuccess("t1", "a1")).isEmpty();
        assertThat(queries).hasValue(1);

        Instant finished = Instant.parse("2026-01-02T03:04:05Z");
        stored.put("a1", finished);
        lastSyncs.onSyncFinished(new SyncFinished(run("t1", "a1")));

        // Without the event the empty answer would stand for the TTL, and reads would stay live.
        assertThat(lastSyncs.lastSuccess("t1", "a1")).contains(finished);
        assertThat(queries).hasValue(2);
    }

    @Test
    void anUnlinkDropsTheEntryAndOtherAccountsKeepTheirs() {
        stored.put("a1", Instant.parse("2026-01-01T00:00:00Z"));
        stored.put("a2", Instant.parse("2026-01-01T00:00:01Z"));
        lastSyncs.lastSuccess("t1", "a1");
        lastSyncs.lastSuccess("t1", "a2");
        assertThat(queries).hasValue(2);

        lastSyncs.onUnlinked(new AccountUnlinked("t1", "a1"));
        lastSyncs.lastSuccess("t1", "a1");
        lastSyncs.lastSuccess("t1", "a2");
        assertThat(queries).hasValue(3);
    }

    @Test
    void theMembershipSourceIsReadOncePerSyncAndReplacedWhenOneEnds() {
        membership.put("t1/a1", "on_groups_only");
        assertThat(lastSyncs.membership("t1", "a1")).contains("on_groups_only");
        assertThat(lastSyncs.membership("t1", "a1")).contains("on_groups_only");
        assertThat(membershipQueries).hasValue(1);

        membership.put("t1/a1", "on_users");
        lastSyncs.onSyncFinished(new SyncFinished(run("t1", "a1")));
        // Without the event live reads would go on saying "on groups only" for the TTL.
        assertThat(lastSyncs.membership("t1", "a1")).contains("on_users");
        assertThat(membershipQueries).hasValue(2);

        lastSyncs.onUnlinked(new AccountUnlinked("t1", "a1"));
        membership.remove("t1/a1");
        assertThat(lastSyncs.membership("t1", "a1")).isEmpty();
        // Another tenant's account of the same id is its own entry.
        membership.put("t2/a1", "on_groups_only");
        assertThat(lastSyncs.membership("t2", "a1")).contains("on_groups_only");
    }

    private static SyncRun run(String tenantId, String accountId) {
        return new SyncRun(
                "run-1",
                tenantId,
                accountId,
                SyncRun.Trigger.MANUAL,
                SyncRun.State.SUCCEEDED,
                Instant.EPOCH,
                Instant.EPOCH,
                Instant.EPOCH,
                SyncRun.SyncCounts.ZERO,
                null,
                null,
                false);
    }
}
