package dev.keyline.platform.standalone;

import dev.keyline.platform.demo.DemoMode;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * Runs once Quarkus has started: in standalone mode it creates the bootstrap tenant on a fresh installation and
 * prints where things are (and, that one time, the keys), then waits for Ctrl-C.
 */
public class KeylineApplication implements QuarkusApplication {

    @Inject
    StandaloneBootstrap bootstrap;

    @Inject
    DemoMode demo;

    @Override
    public int run(String... args) {
        Optional<StandaloneLauncher> standalone = StandaloneLauncher.current();
        if (standalone.isPresent()) {
            StandaloneLauncher launcher = standalone.get();
            Optional<Banner.FirstTenant> tenant = bootstrap.createFirstTenantIfNone();
            Optional<String> operatorKey = launcher.takeNewOperatorKey();
            StandaloneSettings settings = launcher.settings();
            // System.out, not the log: keys must reach the operator's terminal but no log file or collector.
            System.out.println(Banner.render(
                    settings.httpPort(), settings.dataDir(), launcher.postgresPort(), tenant, operatorKey));
            if (demo.enabled()) {
                System.out.println(DemoMode.banner(settings.httpPort(), demo.setUp()));
            }
            System.out.flush();
        }
        Quarkus.waitForExit();
        return 0;
    }
}
