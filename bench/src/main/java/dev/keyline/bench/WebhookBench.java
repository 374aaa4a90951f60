package dev.keyline.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scenario 7, webhook delivery: how many deliveries per second reach a local receiver, and how long a small tenant's
 * test delivery waits while another tenant's backlog drains to a slow receiver. Both are read against a baseline
 * from the same run: the bench's own sequential POSTs to the same receiver, and the small tenant's wait with no
 * backlog at all.
 *
 * <p>A backlog is queued while its subscription is disabled (test deliveries, which a disabled subscription keeps),
 * then released at once by enabling it, so every repeat starts from the same queue.
 */
final class WebhookBench {
    /** How long the slow receiver takes to answer each delivery of the large tenant's backlog. */
    private static final Duration SLOW_ANSWER = Duration.ofMillis(20);

    private final Http http;
    private final String base;
    private final String operatorKey;
    private final Report report;
    private final int backlog;
    private final int repeats;
    private final Duration patience;

    WebhookBench(Http http, String base, String operatorKey, Report report, boolean quick, int repeats) {
        this.http = http;
        this.base = base;
        this.operatorKey = operatorKey;
        this.report = report;
        this.backlog = quick ? 1_000 : 5_000;
        this.repeats = repeats;
        this.patience = Duration.ofMinutes(quick ? 3 : 10);
    }

    void run() throws Exception {
        Vertx vertx = Vertx.vertx();
        Receiver receiver = new Receiver(vertx);
        try {
            KeylineApi large = new KeylineApi(http, base, operatorKey);
            large.createTenant("Bench webhooks large");
            KeylineApi small = new KeylineApi(http, base, operatorKey);
            small.createTenant("Bench webhooks small");
            throughput(large, receiver);
            fairness(large, small, receiver);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Deliveries per second of a released backlog to a receiver that answers at once, vs direct POSTs. */
    private void throughput(KeylineApi tenant, Receiver receiver) {
        Bench.log("7) webhooks: " + backlog + " deliveries to a local receiver, " + repeats + " repeats");
        List<Double> rates = new ArrayList<>();
        List<Double> direct = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            String path = "/fast-" + i;
            String subscription = subscribe(tenant, receiver.url(path));
            queue(tenant, subscription, backlog);
            long start = System.nanoTime();
            enable(tenant, subscription, true);
            receiver.await(path, backlog, patience);
            double seconds = (System.nanoTime() - start) / 1e9;
            delete(tenant, subscription);
            double rate = backlog / seconds;

            String body = "{\"type\":\"webhook.test\",\"data\":{\"message\":\"the same size as a test event\"}}";
            long bare = System.nanoTime();
            for (int j = 0; j < backlog; j++) {
                http.post(receiver.url("/direct"), Map.of(), Map.of("body", body))
                        .expect(200);
            }
            double directRate = backlog / ((System.nanoTime() - bare) / 1e9);
            rates.add(rate);
            direct.add(directRate);
            ratios.add(rate / directRate);
        }
        report.info(
                "7",
                "webhook deliveries/s to a local receiver (a released backlog of " + backlog
                        + ") vs the bench's own sequential POSTs to it",
                Stats.of(rates),
                Stats.of(direct),
                "1/s",
                Stats.of(ratios),
                null);
    }

    /**
     * The small tenant's test delivery, queued right after the large tenant's backlog (to a receiver taking
     * {@link #SLOW_ANSWER} per delivery) was released: its wait vs the same wait with nothing else queued, and how
     * much of the backlog was still undelivered when it arrived.
     */
    private void fairness(KeylineApi large, KeylineApi small, Receiver receiver) {
        Bench.log("7) webhooks: a small tenant's test delivery behind another tenant's " + backlog
                + " deliveries to a slow receiver");
        String smallSubscription = subscribe(small, receiver.url("/small"));
        List<Double> idle = new ArrayList<>();
        List<Double> behind = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> left = new ArrayList<>();
        for (int i = 0; i < repeats; i++) {
            idle.add(testWait(small, smallSubscription, receiver));
        }
        for (int i = 0; i < repeats; i++) {
            String path = "/slow-" + i;
            receiver.slow(path);
            String subscription = subscribe(large, receiver.url(path));
            queue(large, subscription, backlog);
            enable(large, subscription, true);
            double wait = testWait(small, smallSubscription, receiver);
            int delivered = receiver.count(path);
            delete(large, subscription);
            behind.add(wait);
            left.add((backlog - delivered) / (double) backlog);
            ratios.add(wait / idle.get(i));
        }
        report.info(
                "7",
                "a small tenant's test delivery, queued behind another tenant's " + backlog
                        + " deliveries to a receiver" + " taking " + SLOW_ANSWER.toMillis()
                        + " ms each, vs with nothing queued",
                Stats.of(behind),
                Stats.of(idle),
                "ms",
                Stats.of(ratios),
                "share of the backlog still undelivered when it arrived: "
                        + Report.fmt(Stats.of(left).median()));
    }

    /** Milliseconds from the test call's answer to the delivery's arrival. */
    private double testWait(KeylineApi tenant, String subscription, Receiver receiver) {
        int before = receiver.count("/small");
        long start = System.nanoTime();
        http.post(base + "/v1/webhooks/" + subscription + "/test", KeylineApi.bearer(tenant.apiKey()), null)
                .expect(202);
        receiver.await("/small", before + 1, patience);
        return (System.nanoTime() - start) / 1e6;
    }

    private String subscribe(KeylineApi tenant, String url) {
        return http.post(
                        base + "/v1/webhooks",
                        KeylineApi.bearer(tenant.apiKey()),
                        Map.of("url", url, "events", List.of("sync.completed")))
                .expect(201)
                .json()
                .path("id")
                .asText();
    }

    /** Queues {@code count} test deliveries while the subscription is disabled, so none is sent yet. */
    private void queue(KeylineApi tenant, String subscription, int count) {
        enable(tenant, subscription, false);
        for (int i = 0; i < count; i++) {
            http.post(base + "/v1/webhooks/" + subscription + "/test", KeylineApi.bearer(tenant.apiKey()), null)
                    .expect(202);
        }
    }

    private void enable(KeylineApi tenant, String subscription, boolean enabled) {
        http.patch(
                        base + "/v1/webhooks/" + subscription,
                        KeylineApi.bearer(tenant.apiKey()),
                        Map.of("enabled", enabled))
                .expect(200);
    }

    /** Deleting a subscription deletes its pending deliveries, so the next repeat starts from an empty outbox. */
    private void delete(KeylineApi tenant, String subscription) {
        http.delete(base + "/v1/webhooks/" + subscription, KeylineApi.bearer(tenant.apiKey()))
                .expect(204);
    }

    /** A Vert.x server on loopback counting requests per path; paths marked slow answer after a delay. */
    static final class Receiver {
        private final HttpServer server;
        private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        private final Map<String, Boolean> slow = new ConcurrentHashMap<>();

        Receiver(Vertx vertx) throws Exception {
            server = vertx.createHttpServer()
                    .requestHandler(request -> request.body().onComplete(body -> {
                        String path = request.path();
                        Runnable answer = () -> {
                            counts.computeIfAbsent(path, p -> new AtomicInteger())
                                    .incrementAndGet();
                            request.response().setStatusCode(200).end("ok");
                        };
                        if (slow.containsKey(path)) {
                            vertx.setTimer(SLOW_ANSWER.toMillis(), t -> answer.run());
                        } else {
                            answer.run();
                        }
                    }))
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.actualPort() + path;
        }

        void slow(String path) {
            slow.put(path, true);
        }

        int count(String path) {
            AtomicInteger count = counts.get(path);
            return count == null ? 0 : count.get();
        }

        void await(String path, int count, Duration patience) {
            long deadline = System.nanoTime() + patience.toNanos();
            while (count(path) < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("webhook receiver: " + count(path) + " of " + count
                            + " deliveries on " + path + " after " + patience);
                }
                ServiceProcess.sleep(2);
            }
        }
    }
}
