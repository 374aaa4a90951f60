package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.ReplaceOptions;
import dev.keyline.connector.model.Role;
import dev.keyline.connector.model.User;
import dev.keyline.platform.directory.Privilege;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * Writes what a sync stores for the access-review reads (role records, the facts beside each user, an account's
 * membership source) as the sync writes them, through the store's own codec, for read-side tests that must not
 * depend on which sync does it. Writing a value the sync already wrote changes nothing.
 */
public final class ReviewStoreFixtures {
    private ReviewStoreFixtures() {}

    /** The role's record, as a sync that saw it now would store it. */
    public static void role(MongoStore store, String tenantId, String accountId, Role role) {
        String id = MongoStore.docId(tenantId, accountId, role.remoteId());
        Date now = new Date();
        Document doc = new Document("_id", id)
                .append("tenant_id", tenantId)
                .append("account_id", accountId)
                .append("remote_id", role.remoteId())
                .append("record", RecordCodec.role(role))
                .append("raw_json", null)
                .append("remote_was_deleted", false)
                .append("first_seen_at", now)
                .append("last_seen_at", now)
                .append("changed_at", now)
                .append("name_lc", role.name() == null ? null : RecordCodec.lower(role.name()));
        store.roles().replaceOne(eq("_id", id), doc, new ReplaceOptions().upsert(true));
    }

    /**
     * The facts the sync keeps beside a stored user's record; {@code groupIds} and {@code roleIds} are the provider
     * ids of every group and role the user holds, from either side of the membership.
     */
    public static void userFacts(
            MongoStore store,
            String tenantId,
            String accountId,
            User user,
            Collection<String> groupIds,
            Collection<String> roleIds) {
        Document facts = new Document("is_privileged", Privilege.of(user))
                .append("mfa_enrolled", user.mfa().enrolled())
                .append("last_login_at", user.lastLoginAt() == null ? null : Date.from(user.lastLoginAt()))
                .append(
                        "user_type",
                        user.type() == null ? null : user.type().value().wireName())
                .append("group_ids", List.copyOf(groupIds))
                .append("role_ids", List.copyOf(roleIds));
        long matched = store.users()
                .updateOne(
                        eq("_id", MongoStore.docId(tenantId, accountId, user.remoteId())), new Document("$set", facts))
                .getMatchedCount();
        if (matched != 1) {
            throw new AssertionError("no synced user " + user.remoteId() + " to set facts on");
        }
    }

    public static void membership(MongoStore store, String tenantId, String accountId, String source) {
        MembershipSource.record(store, tenantId, accountId, source);
    }
}
