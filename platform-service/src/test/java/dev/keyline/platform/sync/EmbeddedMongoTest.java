package dev.keyline.platform.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedMongoTest {

    @Test
    void standaloneSyncedDataSurvivesARestart(@TempDir Path dir) {
        String file = dir.resolve("mongo.mv").toString();
        try (EmbeddedMongo mongo = new EmbeddedMongo(file);
                MongoClient client = MongoClients.create(mongo.uri())) {
            client.getDatabase("keyline").getCollection("sync_users").insertOne(new Document("_id", "t|a|u1"));
        }
        try (EmbeddedMongo mongo = new EmbeddedMongo(file);
                MongoClient client = MongoClients.create(mongo.uri())) {
            assertThat(client.getDatabase("keyline").getCollection("sync_users").countDocuments())
                    .isEqualTo(1);
        }
    }
}
