package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.Capability;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.GroupDirectory;
import dev.keyline.connector.spi.GroupQuery;
import dev.keyline.connector.spi.Page;
import dev.keyline.connector.spi.PositionalPaging;
import dev.keyline.connector.spi.RoleDirectory;
import dev.keyline.connector.spi.RoleQuery;
import dev.keyline.connector.spi.UserChangeFeed;
import dev.keyline.connector.spi.UserChanges;
import dev.keyline.connector.spi.UserDirectory;
import dev.keyline.connector.spi.UserQuery;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Walks an account's listings for one run: its roles and groups when the connector has them, then its users. Pages are
 * fetched ahead on the prefetch pool under the page retry policy, built and hashed on the fetching thread, and
 * applied in order on the run's thread; progress is written for people watching the run.
 */
final class ListingWalks {
    private static final Logger LOG = Logger.getLogger(ListingWalks.class);
    private static final Duration PROGRESS_EVERY = Duration.ofMillis(200);

    private final SyncConfig config;
    private final SyncRunStore runs;
    private final PageRetry retry;
    private final ExecutorService prefetch;

    ListingWalks(SyncConfig config, SyncRunStore runs, PageRetry retry, ExecutorService prefetch) {
        this.config = requireNonNull(config, "config is null");
        this.runs = requireNonNull(runs, "runs is null");
        this.retry = requireNonNull(retry, "retry is null");
        this.prefetch = requireNonNull(prefetch, "prefetch is null");
    }

    /**
     * Walks the listings to their end: roles and groups first, when the connector has them, so the membership index
     * is complete when users are built from it; {@code check} runs before each page is applied and may stop the run.
     */
    void walkAll(Connector connector, SyncRun run, SyncPass pass, Runnable check) {
        Runnable progress = progress(run, pass);
        walkRolesAndGroups(connector, run, pass, check, progress);
        UserDirectory users = connector.require(Capability.USERS, UserDirectory.class);
        MembershipIndex membership = pass.membership();
        walk(
                cursor -> users.listUsers(UserQuery.all(config.pageSize(), true).withCursor(cursor)),
                page -> IncomingRecords.users(page, membership),
                positions(connector.capability(PositionalPaging.class), Capability.USERS),
                page -> {
                    check.run();
                    pass.usersApply(page);
                    progress.run();
                },
                pass,
                run);
    }

    /** The first page of the users changed since {@code watermark}, or empty when the provider no longer honours it. */
    Optional<UserChanges> firstChanges(String provider, UserChangeFeed feed, String watermark) {
        try {
            return Optional.of(retry.fetch(provider, () -> feed.userChanges(watermark, null, config.pageSize(), true)));
        } catch (ConnectorException e) {
            if (UserChangeFeed.WATERMARK_EXPIRED.equals(e.messageCode())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * An incremental run's walk: roles and groups in full (the membership index needs both sides), then the users
     * changed since {@code watermark} from its {@code first} page on, then every other user joined again with what
     * was walked, then the users the provider says were deleted. Returns the watermark to continue from.
     */
    String walkChanges(
            Connector connector,
            UserChangeFeed feed,
            String watermark,
            UserChanges first,
            SyncRun run,
            SyncPass pass,
            Runnable check) {
        Runnable progress = progress(run, pass);
        walkRolesAndGroups(connector, run, pass, check, progress);
        Set<String> listed = new HashSet<>();
        Set<String> removed = new LinkedHashSet<>();
        UserChanges page = first;
        while (true) {
            check.run();
            page.changed().forEach(u -> listed.add(u.remoteId()));
            removed.addAll(page.removed());
            pass.usersApply(IncomingRecords.users(page.changed(), pass.membership()));
            progress.run();
            if (page.last()) {
                break;
            }
            String cursor = page.nextCursor();
            page = retry.fetch(pass.provider(), () -> feed.userChanges(watermark, cursor, config.pageSize(), true));
        }
        pass.settle();
        check.run();
        removed.removeAll(listed);
        listed.addAll(removed);
        pass.rejoinUnlisted(listed, config.pageSize());
        pass.markRemoved(removed, config.pageSize());
        runs.progress(run.id(), pass.counts());
        return page.watermark();
    }

    private Runnable progress(SyncRun run, SyncPass pass) {
        AtomicLong progressed = new AtomicLong(System.nanoTime());
        // Written at most every PROGRESS_EVERY, and where a listing ends.
        return () -> {
            long now = System.nanoTime();
            if (now - progressed.get() >= PROGRESS_EVERY.toNanos()) {
                progressed.set(now);
                runs.progress(run.id(), pass.counts());
            }
        };
    }

    /** Roles and groups to their end, then the membership index is frozen for the users. */
    private void walkRolesAndGroups(
            Connector connector, SyncRun run, SyncPass pass, Runnable check, Runnable progress) {
        Optional<PositionalPaging> positional = connector.capability(PositionalPaging.class);
        Optional<RoleDirectory> roles = connector.capability(RoleDirectory.class);
        if (roles.isPresent()) {
            RoleDirectory directory = roles.get();
            try {
                // Followed cursor by cursor: positional paging covers users and groups only.
                walk(
                        cursor -> directory.listRoles(RoleQuery.builder()
                                .cursor(cursor)
                                .pageSize(config.pageSize())
                                .includeAssignments(true)
                                .includeRaw(true)
                                .build()),
                        IncomingRecords::roles,
                        null,
                        page -> {
                            check.run();
                            pass.rolesApply(page);
                            progress.run();
                        },
                        pass,
                        run);
            } catch (ConnectorException e) {
                String permission = e.params().get(RoleDirectory.MISSING_PERMISSION);
                if (permission == null) {
                    throw e;
                }
                // Roles are optional: without the permission the run goes on, and the roles stored stay as they were.
                LOG.infof(
                        "Account %s: roles not read, the grant lacks %s; syncing without them",
                        run.accountId(), permission);
                pass.rolesNotReadable();
            }
        }
        Optional<GroupDirectory> groups = connector.capability(GroupDirectory.class);
        if (groups.isPresent()) {
            GroupDirectory directory = groups.get();
            walk(
                    cursor -> directory.listGroups(GroupQuery.builder()
                            .cursor(cursor)
                            .pageSize(config.pageSize())
                            .includeMembers(true)
                            .includeRaw(true)
                            .build()),
                    IncomingRecords::groups,
                    positions(positional, Capability.GROUPS),
                    page -> {
                        check.run();
                        pass.groupsApply(page);
                        progress.run();
                    },
                    pass,
                    run);
        }
        pass.membership().freeze();
    }

    /**
     * Walks one listing to its end: each page fetched with retries, its records built and hashed on the fetching
     * thread (so the sync thread only writes), then applied in order; returns once its last records are written.
     */
    private <T> void walk(
            Function<String, Page<T>> list,
            Function<List<T>, List<SyncPass.Incoming>> build,
            PrefetchingPages.Positions<SyncPass.Incoming> positions,
            Consumer<List<SyncPass.Incoming>> apply,
            SyncPass pass,
            SyncRun run) {
        PrefetchingPages.stream(
                cursor -> {
                    Page<T> page = retry.fetch(pass.provider(), () -> list.apply(cursor));
                    return new Page<>(build.apply(page.items()), page.next());
                },
                positions,
                fetchConcurrency(),
                page -> apply.accept(page.items()),
                prefetch);
        pass.settle();
        runs.progress(run.id(), pass.counts());
    }

    private int fetchConcurrency() {
        return Math.max(1, config.fetchConcurrency());
    }

    /** How pages of a positional listing are predicted; null (follow the cursors) for any other directory. */
    private PrefetchingPages.Positions<SyncPass.Incoming> positions(
            Optional<PositionalPaging> positional, Capability listing) {
        if (positional.isEmpty() || fetchConcurrency() == 1) {
            return null;
        }
        PositionalPaging paging = positional.get();
        int pageSize = config.pageSize();
        return new PrefetchingPages.Positions<>(
                cursor -> paging.cursorAfter(listing, cursor, pageSize),
                (predicted, actual, items) -> paging.answers(
                        listing,
                        predicted,
                        actual,
                        items.stream().map(SyncPass.Incoming::remoteId).toList()));
    }
}
