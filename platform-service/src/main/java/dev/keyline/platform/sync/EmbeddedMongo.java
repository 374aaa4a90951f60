package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.net.InetSocketAddress;
import org.jboss.logging.Logger;

/**
 * Standalone mode's MongoDB: mongo-java-server in this process, on loopback and an ephemeral port, with its H2
 * MVStore backend so synced data survives restarts. Not for production: one process, no replication.
 */
final class EmbeddedMongo implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedMongo.class);

    private final MongoServer server;
    private final String uri;

    EmbeddedMongo(String file) {
        requireNonNull(file, "file is null");
        server = new MongoServer(new H2Backend(file));
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        uri = "mongodb://127.0.0.1:" + address.getPort();
        LOG.infof("Synced directories are kept in an in-process MongoDB persisted in %s", file);
    }

    String uri() {
        return uri;
    }

    @Override
    public void close() {
        // Closes the backend too, which writes the MVStore file out.
        server.shutdownNow();
    }
}
