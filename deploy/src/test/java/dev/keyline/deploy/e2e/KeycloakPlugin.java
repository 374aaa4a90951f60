package dev.keyline.deploy.e2e;

import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.connector.spi.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * The built {@code connector-keycloak} plugin jar ({@code connector-keycloak/target/*-plugin.jar}, ordered before this
 * module by its test-scoped dependency, which surefire keeps off the class path): copied into a plugins directory
 * for a Keyline process, or loaded here in its own class loader the way the platform loads plugins.
 */
final class KeycloakPlugin {
    private KeycloakPlugin() {}

    static Path jar() {
        Path target = Path.of(System.getProperty("keyline.e2e.keycloak-plugin-dir", "../connector-keycloak/target"))
                .toAbsolutePath()
                .normalize();
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(
                            p -> p.getFileName().toString().matches("connector-keycloak-.*-plugin\\.jar"))
                    .toList();
            if (jars.size() != 1) {
                throw new AssertionError("expected one connector-keycloak plugin jar in " + target + ", found " + jars
                        + " (built by connector-keycloak's package phase)");
            }
            return jars.get(0);
        } catch (IOException e) {
            throw new AssertionError("no connector-keycloak build at " + target, e);
        }
    }

    /** A fresh plugins directory holding only the Keycloak plugin. */
    static Path pluginsDir(String name) {
        try {
            Path dir = Files.createDirectories(E2e.logDir().resolve(name));
            Files.copy(jar(), dir.resolve(jar().getFileName()), StandardCopyOption.REPLACE_EXISTING);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The plugin's factory, from the jar, in a class loader whose parent holds only what the platform shares. */
    static ConnectorFactory load() {
        try {
            URLClassLoader loader = new URLClassLoader(
                    "keycloak-plugin", new URL[] {jar().toUri().toURL()}, ConnectorFactory.class.getClassLoader());
            return ServiceLoader.load(ConnectorFactory.class, loader).stream()
                    .map(ServiceLoader.Provider::get)
                    .filter(f -> f.id().equals("keycloak"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no keycloak ConnectorFactory in " + jar()));
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plain JDK transport for calling the connector outside the platform (no egress policy: loopback only). */
    static HttpTransport transport() {
        HttpClient client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        return request -> {
            HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                    .timeout(request.timeout().orElse(Duration.ofSeconds(30)))
                    .method(request.method(), HttpRequest.BodyPublishers.noBody());
            request.headers().forEach(builder::header);
            try {
                java.net.http.HttpResponse<byte[]> response =
                        client.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                return new HttpResponse(
                        response.statusCode(), request.uri(), response.headers().map(), response.body());
            } catch (IOException e) {
                throw new ConnectorException(
                        ErrorCode.CONNECTION_FAILED,
                        "no answer from " + request.uri().getHost());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectorException(ErrorCode.TIMEOUT, "interrupted");
            }
        };
    }
}
