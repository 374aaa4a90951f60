package dev.keyline.platform.egress;

import dev.keyline.connector.http.HttpResponse;
import java.net.URI;
import java.util.function.Supplier;

/**
 * Watches each request the {@link EgressTransport} sends (metrics, a trace span): it runs {@code send} and returns or
 * rethrows what it did. It sees the method and the first hop's URI (for the host), never headers or bodies.
 */
@FunctionalInterface
public interface UpstreamObserver {
    UpstreamObserver NONE = (method, uri, send) -> send.get();

    HttpResponse observe(String method, URI uri, Supplier<HttpResponse> send);
}
