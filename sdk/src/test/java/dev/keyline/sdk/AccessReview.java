package dev.keyline.sdk;

import dev.keyline.sdk.api.SyncsApi;
import dev.keyline.sdk.invoker.ApiException;
import dev.keyline.sdk.model.SyncRunView;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Steps of the Java suite that several of its tests need. */
final class AccessReview {
    /** Accounts this run has synced once, so tests that read synced data sync at most once each. */
    private static final ConcurrentMap<String, Boolean> SYNCED = new ConcurrentHashMap<>();

    private AccessReview() {}

    /** Polls {@code getSync} until the run ends; the finished run, or an error when it failed or took too long. */
    static SyncRunView awaitSync(SyncsApi syncs, String accountId, String runId, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            SyncRunView run = Keyline.call(() -> syncs.getSync(SyncsApi.APIGetSyncRequest.newBuilder()
                    .id(accountId)
                    .runId(runId)
                    .build()));
            String state = String.valueOf(run.getState());
            if (state.equals("succeeded")) {
                return run;
            }
            if (state.equals("failed") || state.equals("cancelled")) {
                throw new AssertionError("sync " + runId + " ended " + state + ": " + run.getError());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("sync " + runId + " still " + state + " after " + timeout);
            }
            Thread.sleep(200);
        }
    }

    /** Makes sure the account has been synced once in this run (the synced store and the change feed have data). */
    static void syncOnce(SyncsApi syncs, String accountId) {
        SYNCED.computeIfAbsent(accountId, id -> {
            try {
                SyncRunView run = syncs.startSync(
                        SyncsApi.APIStartSyncRequest.newBuilder().id(id).build());
                awaitSync(syncs, id, run.getId(), Duration.ofMinutes(2));
                return true;
            } catch (ApiException e) {
                throw KeylineProblemException.of(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }
}
