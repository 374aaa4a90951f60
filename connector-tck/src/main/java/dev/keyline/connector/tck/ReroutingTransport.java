package dev.keyline.connector.tck;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.http.HttpTransport;
import java.net.URI;
import java.util.Locale;

/**
 * Lets a loopback double stand in for a provider's fixed host: requests for one origin ({@code https://host}) go to
 * another ({@code http://127.0.0.1:port}), and answers come back as if from the first, so the connector under test
 * sees only the address it was given. Requests for any other origin pass through unchanged.
 */
public final class ReroutingTransport implements HttpTransport {
    private final HttpTransport delegate;
    private final URI from;
    private final URI to;

    /**
     * @param from the origin the connector is configured with, such as {@code https://provisioning.1password.com}
     * @param to the origin of the double, such as {@code http://127.0.0.1:54321}
     */
    public ReroutingTransport(HttpTransport delegate, URI from, URI to) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.from = origin(requireNonNull(from, "from is null"));
        this.to = origin(requireNonNull(to, "to is null"));
    }

    @Override
    public HttpResponse send(HttpRequest request) {
        requireNonNull(request, "request is null");
        if (!origin(request.uri()).equals(from)) {
            return delegate.send(request);
        }
        HttpRequest rerouted =
                new HttpRequest(request.method(), moved(request.uri(), to), request.headers(), request.timeout());
        HttpResponse response = delegate.send(rerouted);
        URI seen = origin(response.uri()).equals(to) ? moved(response.uri(), from) : response.uri();
        return new HttpResponse(response.status(), seen, response.headers(), response.body());
    }

    private static URI moved(URI uri, URI origin) {
        String rest = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            rest += "?" + uri.getRawQuery();
        }
        return URI.create(origin + rest);
    }

    /** {@code scheme://host[:port]}, lower case, the default port left out. */
    private static URI origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort =
                port == -1 || (scheme.equals("https") && port == 443) || (scheme.equals("http") && port == 80);
        return URI.create(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
    }
}
