package dev.keyline.platform.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.mongodb.MongoDBContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The core sync scenario against a real MongoDB in a container, where a Docker engine exists; skipped without one
 * (the build machines have none, so mongo-java-server in {@link SyncTest} is what runs there).
 */
@QuarkusTest
@TestProfile(RealMongoSyncTest.RealMongo.class)
@Testcontainers(disabledWithoutDocker = true)
class RealMongoSyncTest extends SyncScenarios {

    /** Puts the sync store on the container; PostgreSQL and auth stay the shared embedded resources. */
    public static class RealMongo implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MongoContainer.class));
        }
    }

    public static class MongoContainer implements QuarkusTestResourceLifecycleManager {
        static volatile String uri;
        private MongoDBContainer container;

        @Override
        public Map<String, String> start() {
            container = new MongoDBContainer(DockerImageName.parse("mongo:7.0"));
            container.start();
            uri = container.getConnectionString();
            return Map.of("keyline.sync.mongo.uri", uri);
        }

        @Override
        public void stop() {
            if (container != null) {
                container.stop();
            }
        }

        // Started after the shared resources, so this URI wins over mongo-java-server's.
        @Override
        public int order() {
            return Integer.MAX_VALUE;
        }
    }

    @Test
    void theStoreIsTheContainersMongoDb() {
        // Guards the scenario above against silently running on mongo-java-server.
        assertThat(config.mongo().uri()).isEqualTo(MongoContainer.uri);
    }
}
