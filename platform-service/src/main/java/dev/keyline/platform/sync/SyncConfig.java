package dev.keyline.platform.sync;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the sync engine, its MongoDB store, its lease and its scheduler. */
@ConfigMapping(prefix = "keyline.sync")
public interface SyncConfig {

    Mongo mongo();

    /** Records asked of the connector per page; also the batch size of every bulk write. */
    @WithDefault("200")
    int pageSize();

    /**
     * The largest share of an account's users one sync may mark deleted. A listing that ends early without an
     * error (an empty page, a totalResults that lies low) looks like mass deletion; this guard refuses it.
     */
    @WithDefault("0.5")
    double maxDeleteShare();

    /**
     * Syncs that may run at once on this replica. More wait as queued runs in PostgreSQL (one per account at most),
     * started in turn across tenants by whichever replica has a free slot.
     */
    @WithDefault("4")
    int threads();

    /** How long a replica holds an account's lease without renewing it; renewed every third of it. */
    @WithDefault("60s")
    Duration lease();

    /**
     * How often a replica looks for queued runs besides being woken (a run queued behind a dead replica's lease
     * can start only once that lease expires, and nothing else wakes a worker then); {@code 0s} turns it off.
     */
    @WithDefault("60s")
    Duration queueCheck();

    /** Name of this replica in leases; a random one per process when unset. */
    Optional<String> replicaId();

    /**
     * Pages of one listing fetched at once while the sync stores the page before, for providers that page by
     * position ({@link dev.keyline.connector.spi.PositionalPaging}, e.g. SCIM); 1 fetches one page ahead, following
     * the cursors, as for every other provider. The default, 4, keeps one sync at four requests in flight against
     * the provider (below the six connections a browser opens to one host) and already reaches most of what
     * concurrency gains on a nearby provider; a provider that rate-limits answers 429 and each page waits as asked.
     */
    @WithDefault("4")
    int fetchConcurrency();

    /** Retries of one page after a retryable failure (429, 5xx, time-out) before the run fails. */
    @WithDefault("2")
    int pageRetries();

    @WithDefault("500ms")
    Duration pageRetryDelay();

    /**
     * For connectors that read user changes since a watermark ({@link dev.keyline.connector.spi.UserChangeFeed}):
     * how long after a full sync runs read only the changes. A full sync then walks everything again, to find people
     * who are gone without the provider saying so (and it is the fallback whenever the provider no longer honours a
     * watermark). {@code 0s} makes every run a full one.
     */
    @WithDefault("24h")
    Duration fullSyncEvery();

    /** An initial sync right after an account is linked. */
    @WithDefault("true")
    boolean onLink();

    Scheduler scheduler();

    interface Mongo {
        @WithDefault("mongodb://localhost:27017")
        String uri();

        @WithDefault("keyline")
        String database();

        /**
         * Standalone mode: run an in-process MongoDB (mongo-java-server) persisted in this file instead of
         * connecting to {@link #uri()}.
         */
        Optional<String> embeddedFile();
    }

    interface Scheduler {
        @WithDefault("true")
        boolean enabled();

        /** Default time between scheduled syncs of one account; an account may set its own. */
        @WithDefault("1h")
        Duration interval();

        /** How often the scheduler looks for due accounts. */
        @WithDefault("60s")
        Duration tick();
    }
}
