package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;

import dev.keyline.platform.account.AccountUnlinked;
import dev.keyline.platform.base.FailureCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.bson.conversions.Bson;
import org.jboss.logging.Logger;

/**
 * Drops what the sync holds for an account once it is unlinked (or its tenant deleted): its synced users,
 * groups and roles, what its syncs learnt of the provider, its change log and sequence in MongoDB, and its lease and schedule in PostgreSQL. Dropping the lease also
 * stops a sync of the account that is still running: its next page finds the lease gone and fails without writing.
 */
@ApplicationScoped
public class SyncPurger {
    private static final Logger LOG = Logger.getLogger(SyncPurger.class);

    private final MongoStore store;
    private final SyncRunStore runs;

    public SyncPurger(MongoStore store, SyncRunStore runs) {
        this.store = store;
        this.runs = runs;
    }

    void onUnlinked(@Observes AccountUnlinked event) {
        purge(event.tenantId(), event.accountId());
    }

    /** Idempotent: purging a purged account finds nothing to drop. */
    public void purge(String tenantId, String accountId) {
        runs.dropLease(accountId);
        runs.failQueued(
                accountId,
                FailureCode.ACCOUNT_UNLINKED.wire(),
                "The account was unlinked before this sync started; it did not run.");
        Bson account = and(eq("tenant_id", tenantId), eq("account_id", accountId));
        long users = store.users().deleteMany(account).getDeletedCount();
        long groups = store.groups().deleteMany(account).getDeletedCount();
        long roles = store.roles().deleteMany(account).getDeletedCount();
        store.accounts().deleteMany(account);
        long changes = store.changes().deleteMany(account).getDeletedCount();
        store.sequences().deleteOne(eq("_id", tenantId + "|" + accountId));
        LOG.infof(
                "Account %s: purged %d synced users, %d groups, %d roles and %d change-log entries",
                accountId, users, groups, roles, changes);
    }
}
