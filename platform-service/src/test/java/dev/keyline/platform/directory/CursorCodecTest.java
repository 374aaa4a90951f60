package dev.keyline.platform.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CursorCodecTest {
    private final CursorCodec codec = new CursorCodec(Optional.of("0123456789abcdef0123456789abcdef"));

    @Test
    void cursorRoundTripsInItsOwnScope() {
        String cursor = codec.encode("t1|a1|users", "startIndex=101");
        assertThat(cursor).doesNotContain("startIndex");
        assertThat(codec.decode("t1|a1|users", cursor)).isEqualTo("startIndex=101");
    }

    @Test
    void cursorFromAnotherAccountOrFilterIsRejected() {
        String cursor = codec.encode("t1|a1|users|", "startIndex=101");
        assertInvalid(() -> codec.decode("t1|a2|users|", cursor));
        assertInvalid(() -> codec.decode("t2|a1|users|", cursor));
        assertInvalid(() -> codec.decode("t1|a1|users|x@example.com", cursor));
    }

    @Test
    void tamperedCursorIsRejected() {
        String cursor = codec.encode("s", "startIndex=101");
        String forgedPayload =
                java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("startIndex=1".getBytes());
        assertInvalid(() -> codec.decode("s", forgedPayload + cursor.substring(cursor.indexOf('.'))));
        assertInvalid(() -> codec.decode("s", cursor + "A"));
        assertInvalid(() -> codec.decode("s", "no-dot"));
        assertInvalid(() -> codec.decode("s", "."));
        assertInvalid(() -> codec.decode("s", "%%%.%%%"));
    }

    @Test
    void cursorsFromAnotherKeyAreRejected() {
        CursorCodec other = new CursorCodec(Optional.of("fedcba9876543210fedcba9876543210"));
        assertInvalid(() -> codec.decode("s", other.encode("s", "x")));
    }

    @Test
    void shortKeysAreRefused() {
        assertThatThrownBy(() -> new CursorCodec(Optional.of("short")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least 32");
    }

    private static void assertInvalid(Runnable decode) {
        assertThatThrownBy(decode::run).isInstanceOfSatisfying(KeylineException.class, p -> {
            assertThat(p.code()).isEqualTo("invalid_cursor");
            assertThat(p.kind()).isEqualTo(Kind.INVALID);
        });
    }
}
