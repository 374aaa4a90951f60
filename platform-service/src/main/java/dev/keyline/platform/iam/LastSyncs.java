package dev.keyline.platform.iam;

import dev.keyline.platform.account.AccountUnlinked;
import dev.keyline.platform.cache.RecentlyRead;
import dev.keyline.platform.sync.MembershipSource;
import dev.keyline.platform.sync.MongoStore;
import dev.keyline.platform.sync.SyncEvents.SyncFinished;
import dev.keyline.platform.sync.SyncRunStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * When each account last synced successfully, as read a moment ago: the IAM reads consult it on every request
 * (to choose between the store and the provider, and for the {@code meta} of live pages). A sync that ends on
 * this replica drops the account's entry once its outcome is stored; one that ends on another replica is seen
 * here within {@link IamConfig#lastSyncCacheTtl()}. Keyed by tenant and account.
 */
@ApplicationScoped
public class LastSyncs {
    private static final int MAX_ACCOUNTS = 10_000;

    private record Key(String tenantId, String accountId) {}

    private final SyncRunStore runs;
    private final BiFunction<String, String, Optional<String>> membershipSource;
    private final RecentlyRead<Key, Optional<Instant>> recent;
    private final RecentlyRead<Key, Optional<String>> membership;

    @Inject
    public LastSyncs(SyncRunStore runs, MongoStore store, IamConfig config) {
        this(runs, (tenantId, accountId) -> MembershipSource.of(store, tenantId, accountId), config);
    }

    /** @param membershipSource what the account's last sync saw of membership, by tenant and account */
    LastSyncs(SyncRunStore runs, BiFunction<String, String, Optional<String>> membershipSource, IamConfig config) {
        this.runs = runs;
        this.membershipSource = membershipSource;
        this.recent = new RecentlyRead<>(config.lastSyncCacheTtl().toNanos(), MAX_ACCOUNTS);
        this.membership = new RecentlyRead<>(config.lastSyncCacheTtl().toNanos(), MAX_ACCOUNTS);
    }

    /** When the tenant's account (already checked to be the tenant's) last synced successfully. */
    public Optional<Instant> lastSuccess(String tenantId, String accountId) {
        return recent.get(new Key(tenantId, accountId), () -> runs.lastSuccess(accountId));
    }

    /**
     * Where the account's provider lists group membership, as its last successful sync saw it: a live user read
     * says so in its {@code meta}. Kept beside the last sync it describes, and dropped with it, so live reads do
     * not ask MongoDB each time; empty before a sync recorded it.
     */
    public Optional<String> membership(String tenantId, String accountId) {
        return membership.get(new Key(tenantId, accountId), () -> membershipSource.apply(tenantId, accountId));
    }

    void onSyncFinished(@Observes SyncFinished event) {
        forget(new Key(event.run().tenantId(), event.run().accountId()));
    }

    void onUnlinked(@Observes AccountUnlinked event) {
        forget(new Key(event.tenantId(), event.accountId()));
    }

    private void forget(Key key) {
        recent.forget(key);
        membership.forget(key);
    }
}
