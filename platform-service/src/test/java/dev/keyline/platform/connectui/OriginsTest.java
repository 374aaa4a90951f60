package dev.keyline.platform.connectui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginsTest {

    @Test
    void onlyPlainOriginsReachTheFramingPolicy() {
        assertThat(Origins.frameAncestors(List.of(
                        "https://app.example.com",
                        "https://x.test; script-src *",
                        "https://a.test https://b.test",
                        "http://localhost:3000",
                        "https://app.example.com/path",
                        "'self'",
                        "https://[::1]:8443")))
                .isEqualTo("https://app.example.com http://localhost:3000 https://[::1]:8443");
    }

    @Test
    void noUsableOriginMeansNoFraming() {
        assertThat(Origins.frameAncestors(List.of())).isEqualTo("'none'");
        assertThat(Origins.frameAncestors(List.of("*", "null"))).isEqualTo("'none'");
    }

    @Test
    void theConnectUrlsOriginIsSchemeHostAndPort() {
        assertThat(Origins.originOf("http://localhost:8080/connect")).isEqualTo("http://localhost:8080");
        assertThat(Origins.originOf("https://Keyline.Example.com/connect")).isEqualTo("https://keyline.example.com");
        assertThat(Origins.originOf("/connect")).isNull();
        // A browser never sends the scheme's default port, so neither may the origin compared with its header.
        assertThat(Origins.originOf("https://keyline.example.com:443/connect"))
                .isEqualTo("https://keyline.example.com");
        assertThat(Origins.originOf("http://localhost:80/connect")).isEqualTo("http://localhost");
        assertThat(Origins.originOf("http://localhost:443/connect")).isEqualTo("http://localhost:443");
    }
}
