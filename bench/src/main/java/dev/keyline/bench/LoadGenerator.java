package dev.keyline.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop HTTP load generator: {@code connections} keep-alive connections, each sending its next request as
 * soon as the previous answer has been read. One event loop, so it takes as little of the machine as it can from
 * the server it measures; the same generator measures the service and its ceiling, so the ratio is fair.
 */
final class LoadGenerator {
    // Answers take milliseconds; a connection still open this long after the window is stuck, not slow.
    private static final long STUCK_GRACE_SECONDS = 5;

    private LoadGenerator() {}

    /**
     * What one run gave: answered requests per second and latency percentiles in milliseconds. Only 200 answers
     * within the measured window count towards the throughput; anything else (a 429 of the rate limiter, say, which
     * is cheap) is an error, so errors can never flatter the figure, and a connection stuck past the window neither
     * adds to it nor stretches it.
     */
    record Result(long requests, long errors, double seconds, double throughput, double p50, double p90, double p99) {
        double tailRatio() {
            return p50 == 0 ? Double.NaN : p99 / p50;
        }
    }

    static Result run(
            String host,
            int port,
            String path,
            Map<String, String> headers,
            int connections,
            Duration warmUp,
            Duration measure) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        try {
            HttpClient client = vertx.createHttpClient(
                    new HttpClientOptions()
                            .setKeepAlive(true)
                            .setConnectTimeout(5_000)
                            .setDefaultHost(host)
                            .setDefaultPort(port),
                    new PoolOptions().setHttp1MaxSize(connections));
            if (!warmUp.isZero()) {
                drive(client, path, headers, connections, warmUp, null);
            }
            return drive(client, path, headers, connections, measure, new long[4_000_000]);
        } finally {
            CountDownLatch closed = new CountDownLatch(1);
            vertx.close().onComplete(x -> closed.countDown());
            if (!finished(closed, 30)) {
                System.err.println("[bench] load generator: its client did not close in 30 s; left behind");
            }
        }
    }

    private static Result drive(
            HttpClient client,
            String path,
            Map<String, String> headers,
            int connections,
            Duration duration,
            long[] latencies) {
        AtomicLong count = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong answeredInTime = new AtomicLong();
        CountDownLatch done = new CountDownLatch(connections);
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (int i = 0; i < connections; i++) {
            loop(client, path, headers, deadline, count, errors, answeredInTime, latencies, done);
        }
        if (!finished(done, duration.toSeconds() + STUCK_GRACE_SECONDS)) {
            // Seen twice on a loaded machine: a connection whose answer never came nor timed out. The run ends
            // anyway; the stuck connections count as errors, so the figure says it is unsound.
            errors.addAndGet(done.getCount());
            System.err.println("[bench] load generator: " + done.getCount() + " of " + connections
                    + " connections stuck past the deadline; counted as errors");
        }
        // Throughput is what was answered within the window: a stuck connection did no work in it, and waiting for
        // it must not stretch the window (that once made the ceiling look three times slower than it was).
        double seconds = duration.toNanos() / 1e9;
        long n = Math.min(count.get(), latencies == null ? 0 : latencies.length);
        double[] sorted = latencies == null
                ? new double[0]
                : Arrays.stream(latencies, 0, (int) n)
                        .asDoubleStream()
                        .map(v -> v / 1e6)
                        .sorted()
                        .toArray();
        return new Result(
                count.get(),
                errors.get(),
                seconds,
                answeredInTime.get() / seconds,
                Stats.percentile(sorted, 0.50),
                Stats.percentile(sorted, 0.90),
                Stats.percentile(sorted, 0.99));
    }

    private static void loop(
            HttpClient client,
            String path,
            Map<String, String> headers,
            long deadline,
            AtomicLong count,
            AtomicLong errors,
            AtomicLong answeredInTime,
            long[] latencies,
            CountDownLatch done) {
        if (System.nanoTime() >= deadline) {
            done.countDown();
            return;
        }
        long sent = System.nanoTime();
        // A time-out, so a request lost on a loaded machine counts as an error instead of stalling the run.
        client.request(new RequestOptions()
                        .setMethod(HttpMethod.GET)
                        .setURI(path)
                        .setTimeout(20_000))
                .compose(request -> {
                    headers.forEach(request::putHeader);
                    return request.send();
                })
                .compose(response -> response.body().compose(body -> Future.succeededFuture(response.statusCode())))
                .onComplete(outcome -> {
                    long now = System.nanoTime();
                    long elapsed = now - sent;
                    if (outcome.failed() || outcome.result() != 200) {
                        errors.incrementAndGet();
                    } else if (now <= deadline) {
                        answeredInTime.incrementAndGet();
                    }
                    long i = count.getAndIncrement();
                    if (latencies != null && i < latencies.length) {
                        latencies[(int) i] = elapsed;
                    }
                    loop(client, path, headers, deadline, count, errors, answeredInTime, latencies, done);
                });
    }

    private static boolean finished(CountDownLatch latch, long seconds) {
        try {
            return latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
