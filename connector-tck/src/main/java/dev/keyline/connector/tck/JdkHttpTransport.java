package dev.keyline.connector.tck;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.http.TransportFailures;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * A transport on the JDK's HTTP client. It follows redirects itself so that every hop passes the
 * {@link DestinationCheck} (the platform plugs its egress policy in there), reads at most
 * {@code maxResponseBytes}, and turns network failures into {@link ConnectorException}s with codes a
 * person can act on.
 */
public final class JdkHttpTransport implements HttpTransport {

    /** Decides whether a destination may be contacted; throws {@code EGRESS_DENIED} when not. */
    @FunctionalInterface
    public interface DestinationCheck {
        void check(URI uri);

        DestinationCheck ALLOW_ALL = uri -> {};
    }

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final HttpClient client;
    private final Duration requestTimeout;
    private final long maxResponseBytes;
    private final int maxRedirects;
    private final DestinationCheck destinationCheck;

    private JdkHttpTransport(Builder builder) {
        HttpClient.Builder client = HttpClient.newBuilder()
                .connectTimeout(builder.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (builder.sslContext != null) {
            client.sslContext(builder.sslContext);
        }
        this.client = client.build();
        this.requestTimeout = builder.requestTimeout;
        this.maxResponseBytes = builder.maxResponseBytes;
        this.maxRedirects = builder.maxRedirects;
        this.destinationCheck = builder.destinationCheck;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public HttpResponse send(HttpRequest request) {
        URI uri = request.uri();
        for (int hop = 0; ; hop++) {
            destinationCheck.check(uri);
            HttpResponse response = exchange(request, uri);
            if (!REDIRECTS.contains(response.status()) || !"GET".equals(request.method())) {
                return response;
            }
            var location = response.header("Location");
            if (location.isEmpty()) {
                return response;
            }
            if (hop >= maxRedirects) {
                throw new ConnectorException(
                        ErrorCode.UPSTREAM_ERROR, "Too many redirects starting at " + safe(request.uri()) + ".");
            }
            uri = uri.resolve(location.get());
        }
    }

    private HttpResponse exchange(HttpRequest request, URI uri) {
        var builder = java.net.http.HttpRequest.newBuilder(uri)
                .method(request.method(), java.net.http.HttpRequest.BodyPublishers.noBody())
                .timeout(request.timeout().orElse(requestTimeout));
        request.headers().forEach(builder::header);
        try {
            var response = client.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = readCapped(in, uri);
            }
            return new HttpResponse(
                    response.statusCode(), uri, response.headers().map(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectorException(ErrorCode.TIMEOUT, "Interrupted while waiting for " + safe(uri) + ".", e);
        } catch (IOException e) {
            throw translate(e, uri);
        }
    }

    private byte[] readCapped(InputStream in, URI uri) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxResponseBytes + 1));
        if (body.length > maxResponseBytes) {
            throw TransportFailures.tooLarge(safe(uri), maxResponseBytes);
        }
        return body;
    }

    /** Maps an I/O failure to the code that tells a person what to check. */
    static ConnectorException translate(IOException e, URI uri) {
        String host = uri.getHost();
        if (e instanceof HttpConnectTimeoutException) {
            return TransportFailures.connectTimeout(host, e);
        }
        if (e instanceof HttpTimeoutException || e instanceof InterruptedIOException) {
            return TransportFailures.answerTimeout(host, e);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
                return TransportFailures.hostNotFound(host, e);
            }
            if (t instanceof SSLException) {
                return TransportFailures.tlsError(host, e);
            }
        }
        if (e instanceof ConnectException) {
            return TransportFailures.refused(host, e);
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("timed out")) {
            return TransportFailures.answerTimeout(host, e);
        }
        return TransportFailures.failed(host, e);
    }

    /** The URI without user info or query, which is where secrets would hide if anywhere. */
    private static String safe(URI uri) {
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return uri.getScheme() + "://" + uri.getHost() + port + (uri.getPath() == null ? "" : uri.getPath());
    }

    public static final class Builder {
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(20);
        private long maxResponseBytes = 16L * 1024 * 1024;
        private int maxRedirects = 5;
        private SSLContext sslContext;
        private DestinationCheck destinationCheck = DestinationCheck.ALLOW_ALL;

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = requireNonNull(connectTimeout);
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requireNonNull(requestTimeout);
            return this;
        }

        public Builder maxResponseBytes(long maxResponseBytes) {
            this.maxResponseBytes = maxResponseBytes;
            return this;
        }

        public Builder maxRedirects(int maxRedirects) {
            this.maxRedirects = maxRedirects;
            return this;
        }

        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = requireNonNull(sslContext);
            return this;
        }

        public Builder destinationCheck(DestinationCheck destinationCheck) {
            this.destinationCheck = requireNonNull(destinationCheck);
            return this;
        }

        public JdkHttpTransport build() {
            return new JdkHttpTransport(this);
        }
    }
}
