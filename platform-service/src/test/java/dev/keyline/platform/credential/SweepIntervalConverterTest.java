package dev.keyline.platform.credential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.PathConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sweep's settings as the mapping reads them: defaults, {@code off}, and the former local grace key. */
class SweepIntervalConverterTest {

    @Test
    void offAndZeroTurnTheSweepOffAndDurationsReadAsQuarkusReadsThem() {
        SweepIntervalConverter converter = new SweepIntervalConverter();

        assertThat(converter.convert("off")).isZero();
        assertThat(converter.convert(" OFF ")).isZero();
        assertThat(converter.convert("0")).isZero();
        assertThat(converter.convert("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(converter.convert("PT2H")).isEqualTo(Duration.ofHours(2));
        assertThatThrownBy(() -> converter.convert("-5m")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> converter.convert("sometimes")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void defaultsSweepHourlyWithAnHourOfGrace() {
        CredentialsConfig config = config(Map.of());

        assertThat(config.orphanSweepInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(config.effectiveOrphanGrace()).isEqualTo(Duration.ofHours(1));
        assertThat(config.orphanSweepMaxEntries()).isEqualTo(10_000);
    }

    @Test
    void settingsAreRead() {
        CredentialsConfig config = config(Map.of(
                "keyline.credentials.orphan-sweep-interval", "off",
                "keyline.credentials.orphan-grace", "20m",
                "keyline.credentials.orphan-sweep-max-entries", "500"));

        assertThat(config.orphanSweepInterval()).isZero();
        assertThat(config.effectiveOrphanGrace()).isEqualTo(Duration.ofMinutes(20));
        assertThat(config.orphanSweepMaxEntries()).isEqualTo(500);
    }

    @Test
    void theFormerLocalGraceKeyStillWins() {
        CredentialsConfig config = config(
                Map.of("keyline.credentials.orphan-grace", "20m", "keyline.credentials.local.orphan-grace", "2s"));

        assertThat(config.effectiveOrphanGrace()).isEqualTo(Duration.ofSeconds(2));
    }

    private static CredentialsConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(Path.class, 200, new PathConverter())
                .withMapping(CredentialsConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(CredentialsConfig.class);
    }
}
