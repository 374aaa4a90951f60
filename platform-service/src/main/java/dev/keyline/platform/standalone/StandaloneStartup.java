package dev.keyline.platform.standalone;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.demo.DemoMode;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.HealthType;
import io.smallrye.health.registry.HealthRegistries;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Standalone mode's first-start work (see {@link BootstrapProgress}) in the running service: readiness stays down
 * until it has finished, and stopping waits for it (at most {@link #SHUTDOWN_WAIT}) before Quarkus stops the
 * transaction manager and the connection pool. Outside standalone mode it does nothing.
 */
@ApplicationScoped
public class StandaloneStartup {
    /**
     * How long stopping waits for the work under way. Normally well under a second; the first query after a cold
     * start took 2.7 s on a loaded two-core machine, so the bound leaves room for that and little more.
     */
    static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(StandaloneStartup.class);

    private final StandaloneBootstrap bootstrap;
    private final DemoMode demo;
    // A signal that arrives while Quarkus is still starting stops nothing (there is no application to stop yet);
    // the JVM is shutting down all the same, and the work must not begin.
    private final BootstrapProgress progress = new BootstrapProgress(ApplicationLifecycleManager::isVmShuttingDown);
    private final StandaloneBootstrapReadinessCheck readiness = new StandaloneBootstrapReadinessCheck(progress);

    StandaloneStartup(StandaloneBootstrap bootstrap, DemoMode demo) {
        this.bootstrap = requireNonNull(bootstrap, "bootstrap is null");
        this.demo = requireNonNull(demo, "demo is null");
    }

    // StartupEvent observers run before the HTTP server opens its port, so no request sees readiness without it.
    void onStart(@Observes StartupEvent event) {
        if (StandaloneLauncher.current().isPresent()) {
            registerReadiness();
        }
    }

    /** Adds the {@value StandaloneBootstrapReadinessCheck#NAME} check to {@code /q/health/ready}. */
    void registerReadiness() {
        HealthRegistries.getRegistry(HealthType.READINESS).register(StandaloneBootstrapReadinessCheck.NAME, readiness);
    }

    void unregisterReadiness() {
        HealthRegistries.getRegistry(HealthType.READINESS).remove(StandaloneBootstrapReadinessCheck.NAME);
    }

    /** Runs the first-start work with what the launcher prepared; called once, after Quarkus has started. */
    public void run(StandaloneLauncher launcher) {
        requireNonNull(launcher, "launcher is null");
        progress.run(steps(launcher));
    }

    BootstrapProgress progress() {
        return progress;
    }

    // Before every other observer: the demo's own stops its upstream, which a demo set-up under way still uses.
    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) ShutdownEvent event) {
        if (progress.state() == BootstrapProgress.State.RUNNING) {
            LOG.infof("Stopping: waiting up to %d s for the standalone bootstrap to finish", SHUTDOWN_WAIT.toSeconds());
        }
        try {
            if (progress.stopAndAwait(SHUTDOWN_WAIT) == BootstrapProgress.State.RUNNING) {
                LOG.warnf(
                        "The standalone bootstrap did not finish within %d s; stopping anyway. If it created no"
                                + " tenant, the next start does.",
                        SHUTDOWN_WAIT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private BootstrapProgress.Steps steps(StandaloneLauncher launcher) {
        StandaloneSettings settings = launcher.settings();
        return new BootstrapProgress.Steps() {
            @Override
            public Optional<Banner.FirstTenant> createFirstTenantIfNone() {
                return bootstrap.createFirstTenantIfNone();
            }

            @Override
            public Optional<String> takeNewOperatorKey() {
                return launcher.takeNewOperatorKey();
            }

            @Override
            public String banner(Optional<Banner.FirstTenant> tenant, Optional<String> operatorKey) {
                return Banner.render(
                        settings.httpPort(), settings.dataDir(), launcher.postgresPort(), tenant, operatorKey);
            }

            @Override
            public boolean demoEnabled() {
                return demo.enabled();
            }

            @Override
            public String setUpDemo() {
                return DemoMode.banner(settings.httpPort(), demo.setUp());
            }

            @Override
            public void print(String text) {
                System.out.println(text);
                System.out.flush();
            }
        };
    }
}
