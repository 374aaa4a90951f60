package dev.keyline.platform.webhook;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.base.ConnectorFailures;
import dev.keyline.platform.egress.Destination;
import dev.keyline.platform.egress.EgressConfig;
import dev.keyline.platform.egress.EgressPolicy;
import dev.keyline.platform.egress.HostResolver;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * POSTs one webhook attempt under the egress policy. The platform's {@code EgressTransport} carries no request
 * body (connectors only read), so this applies the same rules the same way: the policy parses the URL, the host
 * is resolved once, every address is judged and the connection is pinned to the chosen one (Vert.x
 * {@code setServer}, with the name kept for the Host header, SNI and certificate checks). Redirects are never
 * followed: a 3xx is a failed attempt. The answer's body is read up to a small cap and dropped.
 *
 * <p>Its policy is its own: the operator's {@code keyline.egress.allow-http} and {@code deny-cidrs}, and only the
 * allowances made for webhooks ({@code keyline.webhooks.allow-*}), never those made for connectors, operator-wide
 * or per tenant. A destination it refuses at send time (or whose name no longer resolves) is recorded as
 * {@code not delivered (egress_denied)} and nothing more, whatever the reason, so the delivery log cannot tell a private address that answers from one that
 * refuses or drops a connection (a scan of the network behind Keyline).
 *
 * <p>Errors it reports are short and name at most the origin: a webhook URL's path or query may hold a token.
 */
@ApplicationScoped
public class WebhookSender {
    private static final long MAX_ANSWER_BYTES = 64 * 1024;

    /** What a delivery log says about a destination the policy refused at send time, whatever the reason. */
    static final String REFUSED = "not delivered (" + ConnectorFailures.code(ErrorCode.EGRESS_DENIED) + ")";

    /** One attempt's outcome: the status when an answer came, else a short reason. */
    record Outcome(boolean succeeded, Integer status, String error) {
        boolean gone() {
            return status != null && status == 410;
        }
    }

    private final EgressPolicy policy;
    private final WebhookConfig config;
    private final HostResolver resolver;
    private final HttpClient client;

    @Inject
    public WebhookSender(Vertx vertx, EgressConfig egress, WebhookConfig config) {
        this(vertx, policy(egress, config), config);
    }

    WebhookSender(Vertx vertx, EgressPolicy policy, WebhookConfig config) {
        this.policy = requireNonNull(policy, "policy is null");
        this.config = requireNonNull(config, "config is null");
        this.resolver = HostResolver.SYSTEM;
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int)
                        Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .setVerifyHost(true)
                .setTrustAll(false)
                .setDecompressionSupported(false)
                .setTryUseCompression(false)
                .setKeepAlive(true)
                .setKeepAliveTimeout(30)
                .setMaxRedirects(0);
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(config.threads()));
    }

    private static EgressPolicy policy(EgressConfig egress, WebhookConfig config) {
        try {
            return new EgressPolicy(new EgressPolicy.Rules(
                    egress.allowHttp(),
                    config.allowCidrs().orElse(List.of()),
                    config.allowHosts().orElse(List.of()),
                    egress.denyCidrs().orElse(List.of())));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Invalid keyline.webhooks.allow-* settings: " + e.getMessage(), e);
        }
    }

    /** Checks a URL a person typed as the policy does, resolution included; throws its refusal. */
    Destination check(String url) {
        Destination destination = policy.destination(url);
        policy.pin(destination, resolve(destination));
        return destination;
    }

    Outcome post(String url, Map<String, String> headers, byte[] body) {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        Destination destination;
        InetAddress address;
        try {
            destination = policy.destination(url);
            address = policy.pin(destination, resolve(destination));
        } catch (ConnectorException e) {
            // One answer for every refusal, an unresolvable name included: a reason would say whether the name
            // resolves, and to what kind of address.
            return new Outcome(false, null, REFUSED);
        }
        long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(address, destination.port())))
                .setHost(destination.host())
                .setPort(destination.port())
                .setSsl(destination.https())
                .setURI(destination.target())
                .setFollowRedirects(false)
                .setConnectTimeout(Math.min(config.connectTimeout().toMillis(), remainingMillis))
                .setIdleTimeout(remainingMillis);
        headers.forEach(options::putHeader);

        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        Future<Integer> result = client.request(options).compose(request -> {
            sent.set(request);
            return request.send(Buffer.buffer(body)).compose(WebhookSender::drain);
        });
        int status;
        try {
            status = result.toCompletionStage()
                    .toCompletableFuture()
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            reset(sent.get());
            return new Outcome(false, null, "no answer from " + destination + " within " + config.timeout());
        } catch (InterruptedException e) {
            reset(sent.get());
            Thread.currentThread().interrupt();
            return new Outcome(false, null, "interrupted");
        } catch (ExecutionException e) {
            return new Outcome(false, null, describe(e.getCause(), destination));
        }
        if (status >= 200 && status < 300) {
            return new Outcome(true, status, null);
        }
        if (status >= 300 && status < 400) {
            return new Outcome(false, status, "redirects are not followed (HTTP " + status + ")");
        }
        return new Outcome(false, status, "HTTP " + status);
    }

    /** Reads the answer to its end, or up to the cap and then drops the connection; the status either way. */
    private static Future<Integer> drain(HttpClientResponse response) {
        Promise<Integer> done = Promise.promise();
        long[] read = {0};
        response.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] > MAX_ANSWER_BYTES && done.tryComplete(response.statusCode())) {
                response.request().reset();
            }
        });
        response.exceptionHandler(failure -> done.tryComplete(response.statusCode()));
        response.endHandler(end -> done.tryComplete(response.statusCode()));
        return done.future();
    }

    private List<InetAddress> resolve(Destination destination) {
        try {
            if (destination.literal().isPresent()) {
                return List.of(InetAddress.getByAddress(destination.literal().get()));
            }
            List<InetAddress> addresses = resolver.resolve(destination.host());
            if (addresses == null || addresses.isEmpty()) {
                throw new UnknownHostException(destination.host());
            }
            return addresses;
        } catch (UnknownHostException e) {
            throw new ConnectorException(
                    ErrorCode.HOST_NOT_FOUND,
                    "The host " + destination.host() + " could not be found. Check the address for typos.");
        }
    }

    private static String describe(Throwable failure, Destination destination) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return "TLS handshake with " + destination + " failed";
            }
            if (t instanceof io.netty.channel.ConnectTimeoutException) {
                return "connecting to " + destination + " timed out";
            }
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return "no answer from " + destination + " in time";
            }
            if (t instanceof ConnectException) {
                return "connection to " + destination + " refused";
            }
        }
        return "connection to " + destination + " failed";
    }

    private static void reset(HttpClientRequest request) {
        if (request != null) {
            request.reset();
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
