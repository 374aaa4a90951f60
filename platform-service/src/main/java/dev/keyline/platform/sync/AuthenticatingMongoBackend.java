package dev.keyline.platform.sync;

import static java.util.Objects.requireNonNull;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import de.bwaldvogel.mongo.wire.message.MongoQuery;
import io.netty.channel.Channel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * mongo-java-server has no authentication, and its loopback port is open to every local user; this backend adds
 * the SASL {@code PLAIN} exchange the MongoDB driver speaks and refuses every other command on a connection that
 * has not completed it. Only the connection handshake ({@code hello}) and the exchange itself pass before.
 */
final class AuthenticatingMongoBackend implements MongoBackend {
    static final String USER = "keyline";
    static final String SOURCE = "$external";
    private static final int UNAUTHORIZED = 13;
    private static final int AUTHENTICATION_FAILED = 18;
    private static final Set<String> BEFORE_LOGIN = Set.of("hello", "ismaster", "buildinfo", "saslstart", "ping");

    private final MongoBackend delegate;
    private final byte[] expected;
    private final Set<Channel> authenticated = ConcurrentHashMap.newKeySet();

    AuthenticatingMongoBackend(MongoBackend delegate, char[] password) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        requireNonNull(password, "password is null");
        // PLAIN's payload after the authorization id: NUL, user, NUL, password.
        expected = ("\0" + USER + "\0" + new String(password)).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Document handleMessage(MongoMessage message) {
        Document document = message.getDocument();
        String command = document.isEmpty() ? "" : document.keySet().iterator().next();
        if (command.equalsIgnoreCase("saslStart")) {
            return saslStart(message.getChannel(), document);
        }
        require(message.getChannel(), command);
        return delegate.handleMessage(message);
    }

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
        if (command.equalsIgnoreCase("saslStart")) {
            return saslStart(channel, query);
        }
        require(channel, command);
        return delegate.handleCommand(channel, database, command, query);
    }

    @Override
    public QueryResult handleQuery(MongoQuery query) {
        require(query.getChannel(), "find");
        return delegate.handleQuery(query);
    }

    @Override
    public Collection<Document> getCurrentOperations(MongoQuery query) {
        require(query.getChannel(), "currentOp");
        return delegate.getCurrentOperations(query);
    }

    @Override
    public void handleClose(Channel channel) {
        authenticated.remove(channel);
        delegate.handleClose(channel);
    }

    private Document saslStart(Channel channel, Document command) {
        byte[] payload = payload(command.get("payload"));
        try {
            if (!"PLAIN".equals(command.get("mechanism")) || !matches(payload)) {
                authenticated.remove(channel);
                // An error reply rather than a thrown error: the server would log the command, guess included.
                Document refused = new Document();
                refused.put("ok", 0.0);
                refused.put("errmsg", "Authentication failed.");
                refused.put("code", AUTHENTICATION_FAILED);
                refused.put("codeName", "AuthenticationFailed");
                return refused;
            }
        } finally {
            Arrays.fill(payload, (byte) 0);
        }
        authenticated.add(channel);
        Document reply = new Document();
        reply.put("conversationId", 1);
        reply.put("done", true);
        reply.put("payload", new BinData(new byte[0]));
        reply.put("ok", 1.0);
        return reply;
    }

    /** PLAIN's payload is {@code authzid NUL user NUL password}; the driver sends the user as authzid or none. */
    private boolean matches(byte[] payload) {
        int first = indexOf(payload, 0);
        if (first < 0) {
            return false;
        }
        String authorizationId = new String(payload, 0, first, StandardCharsets.UTF_8);
        if (!authorizationId.isEmpty() && !authorizationId.equals(USER)) {
            return false;
        }
        return MessageDigest.isEqual(Arrays.copyOfRange(payload, first, payload.length), expected);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static byte[] payload(Object value) {
        if (value instanceof BinData binary) {
            return binary.getData().clone();
        }
        if (value instanceof byte[] bytes) {
            return bytes.clone();
        }
        return new byte[0];
    }

    private void require(Channel channel, String command) {
        if (channel != null && authenticated.contains(channel)) {
            return;
        }
        if (BEFORE_LOGIN.contains(command.toLowerCase(Locale.ROOT))) {
            return;
        }
        throw new MongoServerError(UNAUTHORIZED, "Unauthorized", "Command " + command + " requires authentication");
    }

    @Override
    public void dropDatabase(String database) {
        delegate.dropDatabase(database);
    }

    @Override
    public Document getServerStatus() {
        return delegate.getServerStatus();
    }

    @Override
    public void close() {
        authenticated.clear();
        delegate.close();
    }

    @Override
    public void closeCursors(List<Long> cursorIds) {
        delegate.closeCursors(cursorIds);
    }

    @Override
    public Clock getClock() {
        return delegate.getClock();
    }

    @Override
    public void enableOplog() {
        delegate.enableOplog();
    }

    @Override
    public void disableOplog() {
        delegate.disableOplog();
    }

    @Override
    public MongoDatabase resolveDatabase(String database) {
        return delegate.resolveDatabase(database);
    }

    @Override
    public MongoBackend version(MongoVersion version) {
        delegate.version(version);
        return this;
    }
}
