package dev.keyline.platform.sync;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.Document;

/**
 * The MongoDB collections of synced directories. Designed for a server without sessions, transactions or change
 * streams: every write is a single-document or bulk upsert keyed by (tenant, account, remote id), so repeating a
 * half-applied page is harmless.
 */
@ApplicationScoped
public class MongoStore {

    static final String USERS = "sync_users";
    static final String GROUPS = "sync_groups";
    static final String ROLES = "sync_roles";
    /** One document per account: what its syncs learnt of the provider (see {@link MembershipSource}). */
    static final String ACCOUNTS = "sync_accounts";

    /**
     * Top-level fields of each synced user, outside its hashed record, that synced reads filter on: the contract
     * between the sync, which writes them, and the reads.
     */
    public static final List<String> FILTERED_USER_FACTS =
            List.of("is_privileged", "mfa_enrolled", "last_login_at", "user_type", "group_ids", "role_ids");

    /**
     * The facts indexed per account: the selective ones (few admins, a date range, one group's or role's members).
     * `mfa_enrolled` and `user_type` split an account's users into a few large parts, which the account's own index
     * narrows to as well; each index costs every synced page its upkeep (bench, quick, 10k users: a full sync took
     * 1.89 s without any of them and 2.0–2.1 s with four or six, within the run-to-run spread of ±10 %).
     */
    public static final List<String> INDEXED_USER_FACTS =
            List.of("is_privileged", "last_login_at", "group_ids", "role_ids");

    static final String CHANGES = "sync_changes";
    static final String SEQUENCES = "sync_sequences";

    private final SyncConfig config;
    private EmbeddedMongo embedded;
    private MongoClient client;
    private MongoDatabase database;

    public MongoStore(SyncConfig config) {
        this.config = config;
    }

    @PostConstruct
    void connect() {
        String uri = config.mongo().uri();
        if (config.mongo().embeddedFile().isPresent()) {
            embedded = new EmbeddedMongo(config.mongo().embeddedFile().get());
            uri = embedded.uri();
        }
        MongoClientSettings.Builder settings = MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(uri))
                .applyToClusterSettings(c -> c.serverSelectionTimeout(10, TimeUnit.SECONDS));
        if (embedded != null) {
            settings.credential(embedded.credential());
        }
        client = MongoClients.create(settings.build());
        database = client.getDatabase(config.mongo().database());
        createIndexes();
    }

    // @PreDestroy rather than a ShutdownEvent observer: a service that never used the store must not connect
    // to MongoDB just to stop.
    @PreDestroy
    void stop() {
        if (client != null) {
            client.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }

    private void createIndexes() {
        for (String name : new String[] {USERS, GROUPS, ROLES}) {
            MongoCollection<Document> records = database.getCollection(name);
            records.createIndex(
                    Indexes.ascending("tenant_id", "account_id", "remote_id"), new IndexOptions().unique(true));
            // Deletion sweeps look for records of the account not seen in the run.
            records.createIndex(Indexes.ascending("tenant_id", "account_id", "seen_in_run"));
            records.createIndex(Indexes.ascending("tenant_id", "account_id", "changed_at"));
        }
        database.getCollection(USERS).createIndex(Indexes.ascending("tenant_id", "account_id", "emails_lc"));
        database.getCollection(USERS).createIndex(Indexes.ascending("tenant_id", "account_id", "username_lc"));
        // The access-review facts synced reads filter on (top-level fields beside the record, see
        // IncomingRecords#users).
        for (String fact : INDEXED_USER_FACTS) {
            database.getCollection(USERS).createIndex(Indexes.ascending("tenant_id", "account_id", fact));
        }
        database.getCollection(CHANGES)
                .createIndex(Indexes.ascending("tenant_id", "account_id", "sequence"), new IndexOptions().unique(true));
    }

    /**
     * A record's document id: its (tenant, account, remote id) key in one string, so a page's reads and upserts
     * are lookups by id (mongo-java-server scans for anything else). The fields stay on the document, indexed.
     */
    static String docId(String tenantId, String accountId, String remoteId) {
        return tenantId + "|" + accountId + "|" + remoteId;
    }

    public MongoCollection<Document> users() {
        return database.getCollection(USERS);
    }

    public MongoCollection<Document> groups() {
        return database.getCollection(GROUPS);
    }

    public MongoCollection<Document> roles() {
        return database.getCollection(ROLES);
    }

    public MongoCollection<Document> accounts() {
        return database.getCollection(ACCOUNTS);
    }

    public MongoCollection<Document> changes() {
        return database.getCollection(CHANGES);
    }

    public MongoCollection<Document> sequences() {
        return database.getCollection(SEQUENCES);
    }
}
