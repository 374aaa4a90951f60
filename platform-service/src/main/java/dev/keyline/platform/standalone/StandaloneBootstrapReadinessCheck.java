package dev.keyline.platform.standalone;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Ready once standalone mode's first-start work has finished (see {@link BootstrapProgress}): before that the API
 * may have no tenant yet. Registered only in standalone mode ({@link StandaloneStartup}); a server or container
 * deployment has no such check. The endpoint is unauthenticated, so the response names only the state.
 */
final class StandaloneBootstrapReadinessCheck implements HealthCheck {
    static final String NAME = "standalone-bootstrap";

    private final BootstrapProgress progress;

    StandaloneBootstrapReadinessCheck(BootstrapProgress progress) {
        this.progress = requireNonNull(progress, "progress is null");
    }

    @Override
    public HealthCheckResponse call() {
        BootstrapProgress.State state = progress.state();
        return HealthCheckResponse.named(NAME)
                .status(state == BootstrapProgress.State.DONE)
                .withData("state", state.name().toLowerCase(Locale.ROOT))
                .build();
    }
}
