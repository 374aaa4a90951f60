package dev.keyline.platform.standalone;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;

/**
 * Runs once Quarkus has started: in standalone mode it does the first-start work (the bootstrap tenant on a fresh
 * installation, the banner with where things are and, that one time, the keys; see {@link StandaloneStartup}),
 * then waits for Ctrl-C.
 */
public class KeylineApplication implements QuarkusApplication {

    @Inject
    StandaloneStartup startup;

    @Override
    public int run(String... args) {
        StandaloneLauncher.current().ifPresent(startup::run);
        Quarkus.waitForExit();
        return 0;
    }
}
