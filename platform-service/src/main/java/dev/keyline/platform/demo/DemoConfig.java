package dev.keyline.platform.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** `./keyline demo`: a local 1Password-like SCIM upstream, linked to the standalone tenant. */
@ConfigMapping(prefix = "keyline.demo")
public interface DemoConfig {

    @WithDefault("false")
    boolean enabled();

    @WithDefault("250")
    int users();

    @WithDefault("12")
    int groups();

    /** The demo upstream's port on 127.0.0.1; 0 picks a free one. */
    @WithDefault("0")
    int upstreamPort();
}
