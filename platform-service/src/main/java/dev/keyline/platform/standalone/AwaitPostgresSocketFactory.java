package dev.keyline.platform.standalone;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * The PostgreSQL driver's sockets in standalone mode (named by the JDBC URL's {@code socketFactory}): plain sockets,
 * handed out once the embedded PostgreSQL accepts connections. The database starts while Quarkus boots, so the
 * first connection (Flyway's) waits here for what is left of its start instead of the whole start-up waiting for
 * it; every later connection passes straight through.
 */
public final class AwaitPostgresSocketFactory extends SocketFactory {
    /** Instantiated by the driver, by name. */
    public AwaitPostgresSocketFactory() {}

    @Override
    public Socket createSocket() throws IOException {
        StandaloneLauncher.awaitPostgres();
        return new Socket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        StandaloneLauncher.awaitPostgres();
        return new Socket(host, port);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        StandaloneLauncher.awaitPostgres();
        return new Socket(host, port, localHost, localPort);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        StandaloneLauncher.awaitPostgres();
        return new Socket(host, port);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        StandaloneLauncher.awaitPostgres();
        return new Socket(address, port, localAddress, localPort);
    }
}
