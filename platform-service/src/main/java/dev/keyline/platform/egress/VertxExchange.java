package dev.keyline.platform.egress;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.http.HttpResponse;
import dev.keyline.connector.http.TransportFailures;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import io.vertx.core.Context;
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
import io.vertx.core.net.TrustOptions;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;

/**
 * One hop on Vert.x core's HTTP client, which (unlike the JDK 17 client) lets us say which address to connect
 * to: {@link RequestOptions#setServer} gets the pinned IP, while {@link RequestOptions#setHost} keeps the name
 * for the {@code Host} header, SNI and certificate verification ({@code verifyHost}). Vert.x keys its
 * connection pool by both, so a pooled connection is only reused for the same name at the same pinned IP.
 *
 * <p>The caller's (worker) thread blocks on the result with the hop's deadline; on time-out the request is
 * reset, which closes its HTTP/1.1 connection.
 */
final class VertxExchange implements EgressTransport.Exchange {

    private final HttpClient client;
    private final long connectTimeoutMillis;
    private final long maxResponseBytes;

    VertxExchange(Vertx vertx, EgressTransport.Limits limits, Optional<TrustOptions> trust) {
        requireNonNull(vertx, "vertx is null");
        this.connectTimeoutMillis = limits.connectTimeout().toMillis();
        this.maxResponseBytes = limits.maxResponseBytes();
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis))
                .setVerifyHost(true)
                .setTrustAll(false)
                // A compressed answer would be inflated past the cap before we could count it.
                .setDecompressionSupported(false)
                .setTryUseCompression(false)
                .setKeepAlive(true)
                .setKeepAliveTimeout(30)
                .setMaxRedirects(0);
        trust.ifPresent(options::setTrustOptions);
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(32));
    }

    @Override
    public HttpResponse exchange(EgressTransport.Hop hop, long deadlineNanos) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("the egress transport blocks; call it from a worker thread");
        }
        Destination destination = hop.destination();
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            throw timedOut(destination);
        }
        long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(remaining));
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.valueOf(hop.method()))
                // The pinned address, without any host name attached, so nothing below resolves again.
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(hop.address(), destination.port())))
                .setHost(destination.host())
                .setPort(destination.port())
                .setSsl(destination.https())
                .setURI(destination.target())
                .setFollowRedirects(false)
                .setConnectTimeout(Math.min(connectTimeoutMillis, remainingMillis))
                .setIdleTimeout(remainingMillis);
        hop.headers().forEach(options::putHeader);

        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        Future<HttpResponse> result = client.request(options).compose(request -> {
            sent.set(request);
            Future<HttpClientResponse> answered =
                    hop.body() == null ? request.send() : request.send(Buffer.buffer(hop.body()));
            return answered.compose(response -> read(response, hop));
        });
        try {
            return result.toCompletionStage().toCompletableFuture().get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abort(sent.get());
            throw timedOut(destination);
        } catch (InterruptedException e) {
            abort(sent.get());
            Thread.currentThread().interrupt();
            throw new ConnectorException(
                    ErrorCode.TIMEOUT, "Interrupted while waiting for " + destination.host() + ".", e);
        } catch (ExecutionException e) {
            throw translate(e.getCause(), destination);
        }
    }

    /** Collects the body, failing (and dropping the connection) as soon as it passes the cap. */
    private Future<HttpResponse> read(HttpClientResponse response, EgressTransport.Hop hop) {
        String declared = response.getHeader("Content-Length");
        if (declared != null && declared.matches("[0-9]{1,18}") && Long.parseLong(declared) > maxResponseBytes) {
            response.request().reset();
            return Future.failedFuture(tooLarge(hop.destination()));
        }
        Promise<HttpResponse> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            if ((long) body.length() + chunk.length() > maxResponseBytes) {
                promise.tryFail(tooLarge(hop.destination()));
                response.request().reset();
                return;
            }
            body.appendBuffer(chunk);
        });
        response.exceptionHandler(promise::tryFail);
        response.endHandler(done -> {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String name : response.headers().names()) {
                headers.put(name, new ArrayList<>(response.headers().getAll(name)));
            }
            promise.tryComplete(new HttpResponse(response.statusCode(), hop.uri(), headers, body.getBytes()));
        });
        return promise.future();
    }

    private ConnectorException tooLarge(Destination destination) {
        return TransportFailures.tooLarge(destination.toString(), maxResponseBytes);
    }

    private static ConnectorException timedOut(Destination destination) {
        return TransportFailures.answerTimeout(destination.host(), null);
    }

    private static void abort(HttpClientRequest request) {
        if (request != null) {
            request.reset();
        }
    }

    /** The same codes as {@code JdkHttpTransport.translate}, for Vert.x's and Netty's failures. */
    static ConnectorException translate(Throwable failure, Destination destination) {
        if (failure instanceof ConnectorException known) {
            return known;
        }
        String host = destination.host();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return TransportFailures.tlsError(host, failure);
            }
            // Netty's ConnectTimeoutException is a ConnectException, so time-outs are checked first.
            if (t instanceof io.netty.channel.ConnectTimeoutException) {
                return TransportFailures.connectTimeout(host, failure);
            }
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
                return TransportFailures.answerTimeout(host, failure);
            }
            if (t instanceof UnknownHostException) {
                return TransportFailures.hostNotFound(host, failure);
            }
            if (t instanceof ConnectException) {
                return TransportFailures.refused(host, failure);
            }
        }
        return TransportFailures.failed(host, failure);
    }

    @Override
    public void close() {
        client.close();
    }
}
