package dev.keyline.platform.session;

import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where the connect UI is served: {@code keyline.connect.url} when set, otherwise this Keyline's own listening
 * address ({@code http://<host>:<port>/connect}), so a standalone Keyline on {@code KEYLINE_PORT=9090} hands out
 * links that work. A loopback or wildcard host becomes {@code localhost}, the name a browser on this machine uses.
 */
@ApplicationScoped
public class ConnectBase {
    private static final Set<String> LOCAL_HOSTS = Set.of("0.0.0.0", "::", "[::]", "127.0.0.1", "::1", "[::1]");

    private final ConnectConfig config;

    ConnectBase(ConnectConfig config) {
        this.config = config;
    }

    /** The base URL, without a trailing slash. */
    public String url() {
        Config quarkus = ConfigProvider.getConfig();
        // The port actually bound: Quarkus records a random one (port 0) in these properties once it listens.
        String portProperty = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        int port = quarkus.getOptionalValue(portProperty, Integer.class).orElse(8080);
        String host =
                quarkus.getOptionalValue("quarkus.http.host", String.class).orElse("localhost");
        return derive(config.url(), host, port);
    }

    static String derive(Optional<String> configured, String host, int port) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return configured.get().strip().replaceAll("/+$", "");
        }
        String name = LOCAL_HOSTS.contains(host) ? "localhost" : host;
        return "http://" + name + ":" + port + "/connect";
    }
}
