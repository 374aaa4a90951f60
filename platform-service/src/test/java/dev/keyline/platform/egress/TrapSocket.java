package dev.keyline.platform.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/** A loopback socket that the corpus's loopback entries point at, counting every connection that reaches it. */
final class TrapSocket implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket();
    private final AtomicInteger connections = new AtomicInteger();

    TrapSocket(String name) throws IOException {
        this(name, "127.0.0.1");
    }

    TrapSocket(String name, String address) throws IOException {
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        Thread accepter = new Thread(
                () -> {
                    while (!socket.isClosed()) {
                        try (Socket ignored = socket.accept()) {
                            connections.incrementAndGet();
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                name);
        accepter.setDaemon(true);
        accepter.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
