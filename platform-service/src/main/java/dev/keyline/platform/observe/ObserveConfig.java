package dev.keyline.platform.observe;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How Keyline reports on itself (docs/operations.md, "Watching Keyline"). */
@ConfigMapping(prefix = "keyline.observe")
public interface ObserveConfig {
    /** One JSON object per console log line ({@code KEYLINE_OBSERVE_JSON_LOGS=true}); plain text by default. */
    @WithDefault("false")
    boolean jsonLogs();

    /** How long gauges read from the database (accounts by status, webhook backlog) are kept between scrapes. */
    @WithDefault("30s")
    Duration gaugeTtl();
}
