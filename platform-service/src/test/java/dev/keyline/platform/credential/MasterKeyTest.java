package dev.keyline.platform.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MasterKeyTest {
    @TempDir
    Path dir;

    @Test
    void absentFileIsCreatedOwnerOnlyWithARandomKey() throws Exception {
        Path file = dir.resolve("nested/master.key");

        byte[] key = MasterKey.load(null, "KEYLINE_MASTER_KEY", file);

        assertThat(key).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(Base64.getDecoder()
                        .decode(Files.readString(file, StandardCharsets.US_ASCII)
                                .strip()))
                .isEqualTo(key);
        assertThat(MasterKey.load(null, "KEYLINE_MASTER_KEY", file)).isEqualTo(key);
    }

    @Test
    void fileReadableByOthersIsRefused() throws Exception {
        Path file = dir.resolve("master.key");
        MasterKey.load(null, "KEYLINE_MASTER_KEY", file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> MasterKey.load(null, "KEYLINE_MASTER_KEY", file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("rw-r--r--")
                .hasMessageContaining("chmod 600");
    }

    @Test
    void fileWritableByGroupIsRefused() throws Exception {
        Path file = dir.resolve("master.key");
        MasterKey.load(null, "KEYLINE_MASTER_KEY", file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw--w----"));

        assertThatThrownBy(() -> MasterKey.load(null, "KEYLINE_MASTER_KEY", file))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void readOnlyOwnerFileIsAccepted() throws Exception {
        Path file = dir.resolve("master.key");
        byte[] key = MasterKey.load(null, "KEYLINE_MASTER_KEY", file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));

        assertThat(MasterKey.load(null, "KEYLINE_MASTER_KEY", file)).isEqualTo(key);
    }

    @Test
    void environmentVariableWinsAndNoFileIsWritten() {
        String encoded = MasterKey.generateEncoded();
        Path file = dir.resolve("master.key");

        byte[] key = MasterKey.load(encoded, "KEYLINE_MASTER_KEY", file);

        assertThat(key).isEqualTo(Base64.getDecoder().decode(encoded));
        assertThat(file).doesNotExist();
    }

    @Test
    void shortKeyInTheEnvironmentIsRefusedWithoutEchoingIt() {
        String tooShort = Base64.getEncoder().encodeToString("sixteen-byte-key".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> MasterKey.load(tooShort, "KEYLINE_MASTER_KEY", dir.resolve("master.key")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("KEYLINE_MASTER_KEY")
                .hasMessageContaining("32 bytes")
                .hasMessageNotContaining(tooShort);
    }

    @Test
    void garbageInTheEnvironmentIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> MasterKey.load("not base64 at all!", "KEYLINE_MASTER_KEY", dir.resolve("k")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not valid base64")
                .hasMessageNotContaining("not base64 at all");
    }
}
