package dev.keyline.platform.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

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

    /**
     * The conformance kit's jar, whose Okta double stands in for the demo's identity provider (`./keyline demo` sets it
     * to the one the build made); the service itself never carries the kit.
     */
    Optional<Path> kitJar();
}
