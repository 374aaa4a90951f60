package dev.keyline.platform.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoSecurityException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedMongoTest {

    @Test
    void standaloneSyncedDataSurvivesARestart(@TempDir Path dir) {
        String file = dir.resolve("mongo.mv").toString();
        try (EmbeddedMongo mongo = new EmbeddedMongo(file);
                MongoClient client = authenticated(mongo)) {
            client.getDatabase("keyline").getCollection("sync_users").insertOne(new Document("_id", "t|a|u1"));
        }
        try (EmbeddedMongo mongo = new EmbeddedMongo(file);
                MongoClient client = authenticated(mongo)) {
            assertThat(client.getDatabase("keyline").getCollection("sync_users").countDocuments())
                    .isEqualTo(1);
        }
    }

    @Test
    void aClientWithoutThePasswordIsRefused(@TempDir Path dir) {
        String file = dir.resolve("mongo.mv").toString();
        try (EmbeddedMongo mongo = new EmbeddedMongo(file);
                MongoClient client = MongoClients.create(mongo.uri())) {
            MongoDatabase database = client.getDatabase("keyline");
            assertThatThrownBy(() -> database.getCollection("sync_users").insertOne(new Document("_id", "x")))
                    .isInstanceOfSatisfying(
                            MongoCommandException.class,
                            e -> assertThat(e.getErrorCode()).isEqualTo(13));
            assertThatThrownBy(() -> database.getCollection("sync_users").countDocuments())
                    .isInstanceOf(MongoCommandException.class);
            assertThatThrownBy(() -> client.listDatabaseNames().first()).isInstanceOf(MongoCommandException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefusedAndTheRightOneWorks(@TempDir Path dir) {
        try (EmbeddedMongo mongo = new EmbeddedMongo(dir.resolve("mongo.mv").toString());
                MongoClient wrong = MongoClients.create(MongoClientSettings.builder()
                        .applyConnectionString(new ConnectionString(mongo.uri()))
                        .credential(MongoCredential.createPlainCredential(
                                mongo.credential().getUserName(),
                                mongo.credential().getSource(),
                                "guessed".toCharArray()))
                        .build());
                MongoClient right = authenticated(mongo)) {
            assertThatThrownBy(() -> wrong.getDatabase("keyline")
                            .getCollection("sync_users")
                            .countDocuments())
                    .isInstanceOf(MongoSecurityException.class);
            right.getDatabase("keyline").getCollection("sync_users").insertOne(new Document("_id", "t|a|u1"));
            assertThat(right.getDatabase("keyline").getCollection("sync_users").countDocuments())
                    .isEqualTo(1);
        }
    }

    @Test
    void everyStartHasItsOwnPassword(@TempDir Path dir) {
        String file = dir.resolve("mongo.mv").toString();
        String first;
        try (EmbeddedMongo mongo = new EmbeddedMongo(file)) {
            first = new String(mongo.credential().getPassword());
        }
        try (EmbeddedMongo mongo = new EmbeddedMongo(file)) {
            assertThat(new String(mongo.credential().getPassword()))
                    .isNotEqualTo(first)
                    .hasSizeGreaterThan(30);
        }
    }

    private static MongoClient authenticated(EmbeddedMongo mongo) {
        return MongoClients.create(MongoClientSettings.builder()
                .applyConnectionString(new ConnectionString(mongo.uri()))
                .credential(mongo.credential())
                .build());
    }
}
