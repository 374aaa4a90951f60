package dev.keyline.connector.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void knownSecretsAndBearerTokensAreMasked() {
        Redactor redactor = Redactor.of(List.of("s3cr3t-token-value"));
        assertThat(redactor.redact("token s3cr3t-token-value failed; Authorization: Bearer abc.def-ghi-jkl-mno-pqr"))
                .doesNotContain("s3cr3t-token-value")
                .doesNotContain("abc.def-ghi-jkl-mno-pqr")
                .contains(Redactor.MASK);
    }

    @Test
    void proseAboutBearerTokensStaysReadable() {
        assertThat(Redactor.of(List.of()).redact("Paste the bearer token from the admin console."))
                .isEqualTo("Paste the bearer token from the admin console.");
    }

    @Test
    void aSecretContainingAnotherIsMaskedWhole() {
        Redactor redactor = Redactor.of(List.of("abcdef", "abcdefghij"));
        assertThat(redactor.redact("x abcdefghij y")).isEqualTo("x " + Redactor.MASK + " y");
    }

    @Test
    void configToStringMasksSecretFields() {
        ConnectorConfig config = new ConnectorConfig(
                Map.of("scim_url", "https://scim.example.com", "bearer_token", "very-secret-token"),
                Set.of("bearer_token"));
        assertThat(config.toString()).contains("https://scim.example.com").doesNotContain("very-secret-token");
        assertThat(config.secretValues()).containsExactly("very-secret-token");
    }

    @Test
    void requireNamesTheMissingField() {
        ConnectorConfig config = new ConnectorConfig(Map.of("scim_url", "  "), Set.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> config.require("scim_url", "SCIM URL"))
                .isInstanceOfSatisfying(ConnectorException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
                    assertThat(e.field()).contains("scim_url");
                    assertThat(e.getMessage()).isEqualTo("SCIM URL is required.");
                });
    }
}
