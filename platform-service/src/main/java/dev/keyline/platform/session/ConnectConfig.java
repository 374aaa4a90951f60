package dev.keyline.platform.session;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "keyline.connect")
public interface ConnectConfig {

    /**
     * Where the connect UI is served; each session's {@code connect_url} is {@code <url>/ui/<session id>}. The
     * token is given to the page separately, never in the URL.
     */
    @WithDefault("http://localhost:8080/connect")
    String url();

    /** Session lifetime when the request does not say. */
    @WithDefault("1800s")
    Duration sessionTtl();

    @WithDefault("60s")
    Duration minSessionTtl();

    @WithDefault("86400s")
    Duration maxSessionTtl();
}
