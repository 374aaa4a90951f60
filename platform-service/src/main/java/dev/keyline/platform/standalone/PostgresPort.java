package dev.keyline.platform.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * The embedded PostgreSQL's port: the configured one, else the one remembered from the last start (so people
 * who connect with {@code psql} find it again), else a free one, which is then remembered.
 */
final class PostgresPort {
    private PostgresPort() {}

    static int choose(Path memory, OptionalInt configured) {
        if (configured.isPresent()) {
            return remember(memory, configured.getAsInt());
        }
        OptionalInt remembered = read(memory);
        if (remembered.isPresent() && isFree(remembered.getAsInt())) {
            return remembered.getAsInt();
        }
        return remember(memory, freePort());
    }

    static OptionalInt read(Path memory) {
        try {
            if (Files.isRegularFile(memory)) {
                int port = Integer.parseInt(
                        Files.readString(memory, StandardCharsets.US_ASCII).strip());
                if (port > 0 && port < 65536) {
                    return OptionalInt.of(port);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // A damaged memory only costs the remembered port.
        }
        return OptionalInt.empty();
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for the embedded PostgreSQL", e);
        }
    }

    private static int remember(Path memory, int port) {
        try {
            Files.writeString(memory, port + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + memory, e);
        }
        return port;
    }
}
