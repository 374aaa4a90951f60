package dev.keyline.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorKeyTest {
    @TempDir
    Path dir;

    @Test
    void firstStartCreatesAKeyAndStoresOnlyItsHashOnceShown() throws Exception {
        Path file = dir.resolve("operator-key.sha256");

        OperatorKey.Loaded loaded = OperatorKey.loadOrCreate(file);

        String key = loaded.newKey().orElseThrow();
        assertThat(key).startsWith("kl_op_").doesNotContain(".");
        assertThat(loaded.sha256()).isEqualTo(OperatorKey.sha256(key)).hasSize(64);
        assertThat(file).doesNotExist();

        OperatorKey.persist(file, loaded.sha256());

        assertThat(Files.readString(file)).doesNotContain(key).contains(loaded.sha256());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void laterStartsReuseTheHashAndShowNoKey() {
        Path file = dir.resolve("operator-key.sha256");
        OperatorKey.Loaded first = OperatorKey.loadOrCreate(file);
        OperatorKey.persist(file, first.sha256());

        OperatorKey.Loaded second = OperatorKey.loadOrCreate(file);

        assertThat(second.newKey()).isEmpty();
        assertThat(second.sha256()).isEqualTo(first.sha256());
    }

    @Test
    void aKeyNeverShownIsNotKept() {
        // A start that fails before the banner must not leave a hash whose key nobody saw.
        Path file = dir.resolve("operator-key.sha256");
        OperatorKey.Loaded failedStart = OperatorKey.loadOrCreate(file);

        OperatorKey.Loaded nextStart = OperatorKey.loadOrCreate(file);

        assertThat(nextStart.newKey()).isPresent().isNotEqualTo(failedStart.newKey());
    }

    @Test
    void hashMatchesShaSumOfTheKey() {
        // printf %s abc | sha256sum
        assertThat(OperatorKey.sha256("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aDamagedHashFileIsRefusedWithTheWayOut() throws Exception {
        Path file = dir.resolve("operator-key.sha256");
        Files.writeString(file, "garbage");

        assertThatThrownBy(() -> OperatorKey.loadOrCreate(file)).hasMessageContaining("delete it and restart");
    }
}
