package dev.keyline.platform.people;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static java.util.Objects.requireNonNull;

import com.mongodb.client.MongoCursor;
import com.mongodb.client.model.Projections;
import dev.keyline.platform.sync.MongoStore;
import dev.keyline.platform.sync.SyncedReads;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.bson.Document;

/**
 * An account's synced users, deleted ones included, read from the store with a cursor a batch at a time and
 * reduced at once to {@link AccountUser}s: memory holds the owner's users in that small form, never raw payloads.
 */
@ApplicationScoped
class OwnerUsers {
    /** Records fetched per cursor round trip. */
    static final int BATCH = 500;

    private final MongoStore store;

    OwnerUsers(MongoStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** Adds the account's users to {@code into}, in remote-id order. */
    void read(String tenantId, OwnerAccount account, List<AccountUser> into) {
        try (MongoCursor<Document> cursor = store.users()
                .find(and(eq("tenant_id", tenantId), eq("account_id", account.id())))
                .projection(Projections.exclude("raw_json"))
                .sort(new Document("remote_id", 1))
                .batchSize(BATCH)
                .iterator()) {
            while (cursor.hasNext()) {
                into.add(AccountUser.of(account, SyncedReads.user(cursor.next(), false)));
            }
        }
    }
}
