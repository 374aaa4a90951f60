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
    private final LastSyncs lastSyncs = new LastSyncs(runs, null, IamConfigs.config(Optional.empty()));

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
