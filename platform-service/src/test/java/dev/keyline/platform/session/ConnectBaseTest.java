package dev.keyline.platform.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectBaseTest {
    @Test
    void derivedFromTheListeningPortAndHost() {
        assertThat(ConnectBase.derive(Optional.empty(), "127.0.0.1", 9090)).isEqualTo("http://localhost:9090/connect");
        assertThat(ConnectBase.derive(Optional.empty(), "0.0.0.0", 8443)).isEqualTo("http://localhost:8443/connect");
        assertThat(ConnectBase.derive(Optional.empty(), "keyline.internal", 8080))
                .isEqualTo("http://keyline.internal:8080/connect");
        assertThat(ConnectBase.derive(Optional.empty(), "::1", 8080)).isEqualTo("http://localhost:8080/connect");
    }

    @Test
    void anExplicitUrlWins() {
        assertThat(ConnectBase.derive(Optional.of("https://connect.example.com/connect/"), "127.0.0.1", 9090))
                .isEqualTo("https://connect.example.com/connect");
    }
}
