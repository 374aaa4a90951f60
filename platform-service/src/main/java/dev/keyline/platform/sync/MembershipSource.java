package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.util.Optional;
import org.bson.Document;

/**
 * Where an account's provider lists group membership, as its last successful sync saw it. Many SCIM servers list
 * members only on groups and leave each user's {@code groups} out; a live user read then cannot tell "no groups"
 * from "not listed here", so it says which it is from this.
 */
public final class MembershipSource {
    /** Groups listed members, and no user carried a group of its own. */
    public static final String ON_GROUPS_ONLY = "on_groups_only";
    /** Users carried their groups (or nobody belongs to any group). */
    public static final String ON_USERS = "on_users";

    private MembershipSource() {}

    /** Records what a successful sync saw. */
    static void record(MongoStore store, String tenantId, String accountId, String source) {
        // Set, not replaced: the account's document holds its change-feed watermark too (UserWatermarks).
        store.accounts()
                .updateOne(
                        eq("_id", MongoStore.docId(tenantId, accountId, "")),
                        Updates.combine(
                                Updates.set("tenant_id", tenantId),
                                Updates.set("account_id", accountId),
                                Updates.set("membership", source)),
                        new UpdateOptions().upsert(true));
    }

    /** What the account's last successful sync saw, or empty before one. */
    public static Optional<String> of(MongoStore store, String tenantId, String accountId) {
        Document doc = store.accounts()
                .find(eq("_id", MongoStore.docId(tenantId, accountId, "")))
                .first();
        return Optional.ofNullable(doc == null ? null : doc.getString("membership"));
    }
}
