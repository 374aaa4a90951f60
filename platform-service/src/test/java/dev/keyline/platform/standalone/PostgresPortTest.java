package dev.keyline.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresPortTest {
    @TempDir
    Path dir;

    @Test
    void aChosenPortIsRememberedAndReused() {
        Path memory = dir.resolve("pg.port");

        int first = PostgresPort.choose(memory, OptionalInt.empty());
        int second = PostgresPort.choose(memory, OptionalInt.empty());

        assertThat(second).isEqualTo(first);
        assertThat(PostgresPort.read(memory)).hasValue(first);
    }

    @Test
    void aConfiguredPortWinsAndIsRemembered() {
        Path memory = dir.resolve("pg.port");

        assertThat(PostgresPort.choose(memory, OptionalInt.of(15433))).isEqualTo(15433);
        assertThat(PostgresPort.read(memory)).hasValue(15433);
    }

    @Test
    void aRememberedPortInUseIsReplaced() throws Exception {
        Path memory = dir.resolve("pg.port");
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Files.writeString(memory, busy.getLocalPort() + "\n");

            int chosen = PostgresPort.choose(memory, OptionalInt.empty());

            assertThat(chosen).isNotEqualTo(busy.getLocalPort());
            assertThat(PostgresPort.read(memory)).hasValue(chosen);
        }
    }

    @Test
    void aDamagedMemoryIsIgnored() throws Exception {
        Path memory = dir.resolve("pg.port");
        Files.writeString(memory, "not a port");

        assertThat(PostgresPort.choose(memory, OptionalInt.empty())).isPositive();
    }
}
