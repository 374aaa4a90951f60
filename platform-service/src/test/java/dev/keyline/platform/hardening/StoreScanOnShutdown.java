package dev.keyline.platform.hardening;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Test-only: each test application scans its own PostgreSQL and MongoDB as it shuts down (each test profile
 * gets a fresh application, and with it fresh databases), and leaves the result for the end-of-run check.
 */
@ApplicationScoped
public class StoreScanOnShutdown {

    @Inject
    Instance<DataSource> dataSource;

    @ConfigProperty(name = "keyline.sync.mongo.uri")
    String mongoUri;

    @ConfigProperty(name = "keyline.sync.mongo.database")
    String mongoDatabase;

    @ConfigProperty(name = "quarkus.profile", defaultValue = "test")
    String profile;

    // Early, while the datasource is still open.
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        if (!dataSource.isResolvable()) {
            return;
        }
        StoreScan scan = StoreScan.run(dataSource.get(), mongoUri, mongoDatabase, SecretHygieneTest.scanner());
        ObjectNode line = ApiOperations.JSON.createObjectNode();
        line.put("application", profile + "@" + System.identityHashCode(this));
        line.put("tables", scan.tables);
        line.put("rows", scan.rows);
        line.put("collections", scan.collections);
        line.put("documents", scan.documents);
        scan.hits.forEach(line.withArray("hits")::add);
        scan.errors.forEach(line.withArray("errors")::add);
        HygieneFiles.append(HygieneFiles.STORE_SCANS, line.toString());
    }
}
