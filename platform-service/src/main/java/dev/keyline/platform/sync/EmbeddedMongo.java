package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import com.mongodb.MongoCredential;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Base64;
import org.jboss.logging.Logger;

/**
 * Standalone mode's MongoDB: mongo-java-server in this process, on loopback and an ephemeral port, with its H2
 * MVStore backend so synced data survives restarts. Not for production: one process, no replication.
 *
 * <p>The port is reachable by every local user, so every connection must authenticate (see
 * {@link AuthenticatingMongoBackend}) with a password made for this process alone: client and server live in the
 * same JVM, so it is never written anywhere.
 */
final class EmbeddedMongo implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedMongo.class);

    private final MongoServer server;
    private final String uri;
    private final MongoCredential credential;

    EmbeddedMongo(String file) {
        requireNonNull(file, "file is null");
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        char[] password =
                Base64.getUrlEncoder().withoutPadding().encodeToString(random).toCharArray();
        server = new MongoServer(new AuthenticatingMongoBackend(new H2Backend(file), password));
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        uri = "mongodb://127.0.0.1:" + address.getPort();
        credential = MongoCredential.createPlainCredential(
                AuthenticatingMongoBackend.USER, AuthenticatingMongoBackend.SOURCE, password);
        LOG.infof("Synced directories are kept in an in-process MongoDB persisted in %s", file);
    }

    /** The server's address, without credentials: connect with {@link #credential()}. */
    String uri() {
        return uri;
    }

    /** The only credential the server accepts. */
    MongoCredential credential() {
        return credential;
    }

    @Override
    public void close() {
        // Closes the backend too, which writes the MVStore file out.
        server.shutdownNow();
    }
}
