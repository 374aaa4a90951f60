package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * CDI events of the sync engine, for webhooks and account health to observe. They are fired synchronously on
 * the sync's worker thread after the fact is stored, so an observer that needs to do slow work must hand it
 * off; an observer's failure is logged and never fails the sync.
 */
public final class SyncEvents {
    private SyncEvents() {}

    /** A run reached `succeeded` or `failed`; its error code says why it failed (e.g. `invalid_credentials`). */
    public record SyncFinished(SyncRun run) {
        public SyncFinished {
            requireNonNull(run, "run is null");
        }
    }

    /** One entry of the change log, once it is stored. */
    public record DirectoryChange(
            String tenantId,
            String accountId,
            long sequence,
            String type,
            String change,
            String id,
            String remoteId,
            List<String> fields,
            Instant at) {
        public DirectoryChange {
            requireNonNull(tenantId, "tenantId is null");
            requireNonNull(accountId, "accountId is null");
            fields = List.copyOf(fields);
        }
    }
}
