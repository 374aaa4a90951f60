package dev.keyline.platform.sync;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;

/**
 * Where an account's user change feed continues ({@link dev.keyline.connector.spi.UserChangeFeed}): the watermark
 * the last successful run left, and when the last full sync was. Kept beside the membership source in the account's
 * document; written only at the end of a successful run, so a failed one leaves the previous watermark in force.
 */
final class UserWatermarks {
    static final String WATERMARK = "users_watermark";
    static final String FULL_SYNC_AT = "full_sync_at";

    /** The feed's position and the time of the full sync it started from. */
    record Mark(String watermark, Instant fullSyncAt) {}

    private UserWatermarks() {}

    /** Where an incremental run may start now, or empty when the next run has to be a full one. */
    static Optional<Mark> incrementalFrom(
            MongoStore store, String tenantId, String accountId, Instant now, Duration fullSyncEvery) {
        Document doc = store.accounts()
                .find(eq("_id", MongoStore.docId(tenantId, accountId, "")))
                .first();
        if (doc == null || doc.getString(WATERMARK) == null || doc.getDate(FULL_SYNC_AT) == null) {
            return Optional.empty();
        }
        Instant full = doc.getDate(FULL_SYNC_AT).toInstant();
        if (!full.plus(fullSyncEvery).isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(new Mark(doc.getString(WATERMARK), full));
    }

    /** After a successful full sync: the watermark taken before it began. */
    static void afterFull(MongoStore store, String tenantId, String accountId, String watermark, Instant now) {
        set(
                store,
                tenantId,
                accountId,
                Updates.combine(Updates.set(WATERMARK, watermark), Updates.set(FULL_SYNC_AT, Date.from(now))));
    }

    /** After a successful incremental run: where the feed ended. */
    static void advance(MongoStore store, String tenantId, String accountId, String watermark) {
        set(store, tenantId, accountId, Updates.set(WATERMARK, watermark));
    }

    private static void set(MongoStore store, String tenantId, String accountId, org.bson.conversions.Bson update) {
        store.accounts()
                .updateOne(
                        eq("_id", MongoStore.docId(tenantId, accountId, "")),
                        Updates.combine(
                                Updates.set("tenant_id", tenantId), Updates.set("account_id", accountId), update),
                        new UpdateOptions().upsert(true));
    }
}
