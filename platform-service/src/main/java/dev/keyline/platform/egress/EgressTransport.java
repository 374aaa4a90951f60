package dev.keyline.platform.egress;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.http.HttpRequest;
import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.http.HttpTransport;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import io.vertx.core.Vertx;
import io.vertx.core.net.TrustOptions;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The transport every connector request goes through. Per hop it parses the URL with the {@link EgressPolicy},
 * resolves the host once, judges every resolved address, and connects to the first one only (pinned), so a
 * name that answers differently the second time (DNS rebinding) cannot move the connection. It follows
 * redirects itself, each hop judged the same way; credentials do not follow a redirect to another origin,
 * and an https request is never redirected to plain http. One deadline covers the whole call, redirects
 * included; answers larger than the cap are cut off.
 *
 * <p>It blocks the calling thread, so it must not be called on a Vert.x event loop.
 */
public final class EgressTransport implements HttpTransport, AutoCloseable {

    /**
     * @param connectTimeout for the TCP (and TLS) connection of one hop
     * @param requestTimeout for a whole {@link #send}, redirects included, unless the request sets its own
     */
    public record Limits(Duration connectTimeout, Duration requestTimeout, long maxResponseBytes, int maxRedirects) {
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(5), Duration.ofSeconds(20), 16L << 20, 5);

        public Limits {
            positive(connectTimeout, "connectTimeout");
            positive(requestTimeout, "requestTimeout");
            if (maxResponseBytes < 1) {
                throw new IllegalArgumentException("maxResponseBytes must be positive: " + maxResponseBytes);
            }
            if (maxRedirects < 0) {
                throw new IllegalArgumentException("maxRedirects must not be negative: " + maxRedirects);
            }
        }

        public Limits withRequestTimeout(Duration requestTimeout) {
            return new Limits(connectTimeout, requestTimeout, maxResponseBytes, maxRedirects);
        }

        public Limits withMaxResponseBytes(long maxResponseBytes) {
            return new Limits(connectTimeout, requestTimeout, maxResponseBytes, maxRedirects);
        }

        public Limits withMaxRedirects(int maxRedirects) {
            return new Limits(connectTimeout, requestTimeout, maxResponseBytes, maxRedirects);
        }

        private static void positive(Duration duration, String name) {
            requireNonNull(duration, name + " is null");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + duration);
            }
        }
    }

    /** One hop, ready to go: everything the wire needs, already judged. */
    record Hop(
            String method,
            URI uri,
            Destination destination,
            InetAddress address,
            Map<String, String> headers,
            byte[] body) {
        Hop(String method, URI uri, Destination destination, InetAddress address, Map<String, String> headers) {
            this(method, uri, destination, address, headers, null);
        }

        /** Never the headers (they carry the bearer token) nor the path and query. */
        @Override
        public String toString() {
            return method + " " + destination + " via " + address.getHostAddress();
        }
    }

    /** Performs one judged hop against its pinned address. The seam where tests watch for connection attempts. */
    interface Exchange extends AutoCloseable {
        HttpResponse exchange(Hop hop, long deadlineNanos);

        @Override
        default void close() {}
    }

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    /** Framing and routing headers are the transport's business; the JDK client refuses the same ones. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of(
            "host",
            "connection",
            "content-length",
            "expect",
            "upgrade",
            "transfer-encoding",
            "te",
            "trailer",
            "keep-alive",
            "proxy-connection");

    private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

    private final Supplier<EgressPolicy> policy;
    private final HostResolver resolver;
    private final Exchange exchange;
    private final Limits limits;
    private final boolean ownsExchange;
    private final HostOverrides overrides;
    private final UpstreamObserver observer;

    /**
     * @param trust the certificates to trust, when not the JVM's default trust store (tests)
     */
    public EgressTransport(
            Vertx vertx, EgressPolicy policy, HostResolver resolver, Limits limits, Optional<TrustOptions> trust) {
        this(
                policy,
                resolver,
                new VertxExchange(
                        requireNonNull(vertx, "vertx is null"),
                        requireNonNull(limits, "limits is null"),
                        requireNonNull(trust, "trust is null")),
                limits);
    }

    EgressTransport(EgressPolicy policy, HostResolver resolver, Exchange exchange, Limits limits) {
        this(
                constant(requireNonNull(policy, "policy is null")),
                resolver,
                exchange,
                limits,
                true,
                HostOverrides.NONE,
                UpstreamObserver.NONE);
    }

    private EgressTransport(
            Supplier<EgressPolicy> policy,
            HostResolver resolver,
            Exchange exchange,
            Limits limits,
            boolean owns,
            HostOverrides overrides,
            UpstreamObserver observer) {
        this.policy = requireNonNull(policy, "policy is null");
        this.resolver = requireNonNull(resolver, "resolver is null");
        this.exchange = requireNonNull(exchange, "exchange is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.ownsExchange = owns;
        this.overrides = requireNonNull(overrides, "overrides is null");
        this.observer = requireNonNull(observer, "observer is null");
    }

    /** This transport sending requests for overridden hosts where the operator said; owns what this one owned. */
    public EgressTransport withHostOverrides(HostOverrides other) {
        return new EgressTransport(policy, resolver, exchange, limits, ownsExchange, other, observer);
    }

    /** This transport reporting every request to {@code other} (metrics, traces); owns what this one owned. */
    public EgressTransport withObserver(UpstreamObserver other) {
        return new EgressTransport(policy, resolver, exchange, limits, ownsExchange, overrides, other);
    }

    private static Supplier<EgressPolicy> constant(EgressPolicy policy) {
        return () -> policy;
    }

    /** The policy in force now. */
    public EgressPolicy policy() {
        return policy.get();
    }

    /**
     * This transport under another policy, asked afresh at every request (one tenant's, which an operator may
     * change at any time), sharing the connections; closing it closes nothing.
     */
    public EgressTransport withPolicy(Supplier<EgressPolicy> other) {
        return new EgressTransport(other, resolver, exchange, limits, false, overrides, observer);
    }

    @Override
    public HttpResponse send(HttpRequest request) {
        return send(request, null);
    }

    /**
     * Sends a request with a body, for the platform's own calls (OAuth token endpoints); connectors are read-only
     * and have no such method. The body is never logged; a redirect is not followed (RFC 6749 token endpoints do
     * not redirect, and a body must not travel to a second host).
     */
    public HttpResponse sendWithBody(HttpRequest request, byte[] body) {
        return send(request, requireNonNull(body, "body is null"));
    }

    private HttpResponse send(HttpRequest request, byte[] body) {
        requireNonNull(request, "request is null");
        return observer.observe(request.method(), request.uri(), () -> sendObserved(request, body));
    }

    private HttpResponse sendObserved(HttpRequest request, byte[] body) {
        for (String name : request.headers().keySet()) {
            if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("restricted header name: " + name);
            }
        }
        long deadline = System.nanoTime()
                + request.timeout().orElse(limits.requestTimeout()).toNanos();
        Map<String, String> headers = request.headers();
        URI uri = request.uri();
        EgressPolicy policy = this.policy.get();
        Destination first = null;
        Destination previous = null;
        for (int hop = 0; ; hop++) {
            uri = overrides.apply(uri);
            Destination destination = policy.destination(uri);
            if (first == null) {
                first = destination;
            }
            if (previous != null) {
                if (previous.https() && !destination.https()) {
                    throw EgressPolicy.denied(
                            destination.host(), "the https address " + previous + " redirected to plain http");
                }
                if (!previous.origin().equals(destination.origin())) {
                    headers = withoutCredentials(headers);
                }
            }
            InetAddress address = resolveAndPin(policy, destination, deadline);
            HttpResponse response =
                    exchange.exchange(new Hop(request.method(), uri, destination, address, headers, body), deadline);
            Optional<String> location = response.header("Location");
            boolean follows = body == null
                    && (request.method().equals("GET") || request.method().equals("HEAD"));
            if (!REDIRECTS.contains(response.status()) || !follows || location.isEmpty()) {
                return response;
            }
            if (hop >= limits.maxRedirects()) {
                throw new ConnectorException(ErrorCode.UPSTREAM_ERROR, "Too many redirects starting at " + first + ".");
            }
            uri = redirectTarget(uri, destination, location.get());
            previous = destination;
        }
    }

    private InetAddress resolveAndPin(EgressPolicy policy, Destination destination, long deadline) {
        if (System.nanoTime() - deadline >= 0) {
            throw new ConnectorException(ErrorCode.TIMEOUT, destination.host() + " did not answer in time.");
        }
        List<InetAddress> addresses;
        try {
            if (destination.literal().isPresent()) {
                addresses =
                        List.of(InetAddress.getByAddress(destination.literal().get()));
            } else {
                addresses = resolver.resolve(destination.host());
            }
        } catch (UnknownHostException e) {
            throw hostNotFound(destination, e);
        }
        if (addresses == null || addresses.isEmpty()) {
            throw hostNotFound(destination, null);
        }
        return policy.pin(destination, addresses);
    }

    private static ConnectorException hostNotFound(Destination destination, Exception cause) {
        return new ConnectorException(
                ErrorCode.HOST_NOT_FOUND,
                "The host " + destination.host() + " could not be found. Check the address for typos.",
                cause);
    }

    /** The redirect's target, re-read from text so the policy sees exactly what the next hop will use. */
    private static URI redirectTarget(URI current, Destination from, String location) {
        try {
            // URI.resolve glues a relative reference onto an empty base path without a slash ("http://ab").
            URI base = current.getRawPath() == null || current.getRawPath().isEmpty()
                    ? new URI(current.getScheme() + "://" + current.getRawAuthority() + "/")
                    : current;
            return new URI(base.resolve(new URI(location)).toString());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw EgressPolicy.denied(from.host(), "it redirected to an address that is not a valid URL");
        }
    }

    private static Map<String, String> withoutCredentials(Map<String, String> headers) {
        Map<String, String> kept = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (!CREDENTIAL_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                kept.put(name, value);
            }
        });
        return kept;
    }

    @Override
    public void close() {
        if (ownsExchange) {
            exchange.close();
        }
    }
}
