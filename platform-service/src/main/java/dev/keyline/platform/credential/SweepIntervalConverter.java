package dev.keyline.platform.credential;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.util.Locale;
import org.eclipse.microprofile.config.spi.Converter;

/** A duration as Quarkus reads one ({@code 1h}, {@code PT30M}, {@code 90} seconds), or {@code off}, which is zero. */
public final class SweepIntervalConverter implements Converter<Duration> {
    private static final long serialVersionUID = 1L;

    @Override
    public Duration convert(String value) {
        String trimmed = value == null ? "" : value.strip();
        String word = trimmed.toLowerCase(Locale.ROOT);
        if (word.equals("off") || word.equals("false") || word.equals("disabled")) {
            return Duration.ZERO;
        }
        Duration duration = DurationConverter.parseDuration(trimmed);
        if (duration == null) {
            throw new IllegalArgumentException("not a duration or 'off'");
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("the orphan sweep interval must not be negative");
        }
        return duration;
    }
}
