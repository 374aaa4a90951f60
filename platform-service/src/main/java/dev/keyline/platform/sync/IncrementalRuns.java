package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.UserChangeFeed;
import dev.keyline.connector.spi.UserChanges;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/** The incremental side of a run for connectors with a user change feed (docs/sync-and-health.md). */
final class IncrementalRuns {
    private static final Logger LOG = Logger.getLogger(IncrementalRuns.class);

    private final SyncConfig config;
    private final SyncRunStore runs;
    private final MongoStore store;
    private final ListingWalks walks;
    private final Clock clock;

    IncrementalRuns(SyncConfig config, SyncRunStore runs, MongoStore store, ListingWalks walks, Clock clock) {
        this.config = requireNonNull(config, "config is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.store = requireNonNull(store, "store is null");
        this.walks = requireNonNull(walks, "walks is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * An incremental run, when the account's last full sync is recent enough and the provider still honours its
     * watermark: users changed since then, with roles and groups walked in full (they are few, and the only way to
     * see memberships change on their side). Confirming deletions asks for a full run. False when a full run is due.
     */
    boolean syncedChangesOnly(
            Connector connector, UserChangeFeed feed, SyncRun run, SyncPass pass, RunCancellation cancellation) {
        if (run.confirmDeletions()) {
            return false;
        }
        Optional<UserWatermarks.Mark> mark = UserWatermarks.incrementalFrom(
                store, run.tenantId(), run.accountId(), clock.instant(), config.fullSyncEvery());
        if (mark.isEmpty()) {
            return false;
        }
        Optional<UserChanges> first =
                walks.firstChanges(pass.provider(), feed, mark.get().watermark());
        if (first.isEmpty()) {
            LOG.infof(
                    "Account %s: the provider no longer honours the change watermark; syncing in full",
                    run.accountId());
            return false;
        }
        runs.markIncremental(run.id());
        pass.incremental();
        String next =
                walks.walkChanges(connector, feed, mark.get().watermark(), first.get(), run, pass, cancellation::check);
        cancellation.check();
        // Roles and groups were walked in full, so absence there still means deletion (under the guard).
        pass.sweepDeleted(config.maxDeleteShare(), config.pageSize(), Set.of(SyncPass.GROUP, SyncPass.ROLE));
        cancellation.check();
        UserWatermarks.advance(store, run.tenantId(), run.accountId(), next);
        return true;
    }

    /** The feed's watermark for now; without one the full sync goes on, and the next run is a full one too. */
    static Optional<String> watermarkNow(UserChangeFeed feed, SyncRun run) {
        try {
            return Optional.of(feed.currentWatermark());
        } catch (RuntimeException e) {
            LOG.warnf(
                    "Account %s: no change watermark (%s); the next sync is a full one too",
                    run.accountId(), e.getClass().getSimpleName());
            return Optional.empty();
        }
    }
}
