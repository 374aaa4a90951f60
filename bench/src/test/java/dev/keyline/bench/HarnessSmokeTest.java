package dev.keyline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.scimdouble.ScimUpstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's own parts on tiny sizes (no packaged service, no timings asserted): statistics, the bare fetcher,
 * the load generator's counting and the report files. The scenarios themselves run only under ./keyline bench.
 */
class HarnessSmokeTest {

    @Test
    void statisticsAreMediansAndNearestRankPercentiles() {
        Stats odd = Stats.of(List.of(5.0, 1.0, 3.0));
        assertThat(odd.median()).isEqualTo(3.0);
        assertThat(odd.min()).isEqualTo(1.0);
        assertThat(odd.max()).isEqualTo(5.0);
        assertThat(odd.spread()).isEqualTo(4.0 / 3.0);
        assertThat(Stats.of(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(Stats.percentile(sorted, 0.5)).isEqualTo(5);
        assertThat(Stats.percentile(sorted, 0.99)).isEqualTo(10);
        assertThat(Stats.of(List.of()).n()).isZero();
    }

    @Test
    void aPartialRunNamesItsScenariosAndKeepsTheFullRunsFiles() {
        Bench.Config all = Bench.Config.parse(new String[] {"--root", "/tmp/k"});
        assertThat(all.partial()).isFalse();
        assertThat(all.out()).isEqualTo(Path.of("/tmp/k/bench/results"));

        Bench.Config some = Bench.Config.parse(new String[] {"--root", "/tmp/k", "--scenarios", "2"});
        assertThat(some.scenarios()).containsExactlyInAnyOrder(2, 4, 5);
        assertThat(some.runs(2)).isTrue();
        assertThat(some.runs(1)).isFalse();
        assertThat(some.out()).isEqualTo(Path.of("/tmp/k/bench/results/partial"));

        assertThatThrownBy(() -> Bench.Config.parse(new String[] {"--scenarios", "3"}))
                .hasMessageContaining("add 1");
        Bench.Config webhooks = Bench.Config.parse(new String[] {"--root", "/tmp/k", "--scenarios", "7"});
        assertThat(webhooks.scenarios()).containsExactlyInAnyOrder(4, 5, 7);
        assertThat(webhooks.partial()).isTrue();
        assertThat(all.runs(7)).isTrue();

        assertThatThrownBy(() -> Bench.Config.parse(new String[] {"--scenarios", "8"}))
                .hasMessageContaining("no scenario 8");
        assertThatThrownBy(() -> Bench.Config.parse(new String[] {"--scenarios", "two"}))
                .hasMessageContaining("numbers 1 to 7");
    }

    @Test
    void liveSamplesCanBeRaisedForAStepByStepComparison() {
        assertThat(Bench.Config.parse(new String[] {"--quick"}).liveSamples()).isEqualTo(60);
        assertThat(Bench.Config.parse(new String[] {}).liveSamples()).isEqualTo(200);
        assertThat(Bench.Config.parse(new String[] {"--quick", "--live-samples", "400"})
                        .liveSamples())
                .isEqualTo(400);
        assertThatThrownBy(() -> Bench.Config.parse(new String[] {"--live-samples", "0"}))
                .hasMessageContaining("positive");
    }

    @Test
    void theServiceCanRunOnAnotherJdkThanTheHarness(@TempDir Path jdk) throws Exception {
        Files.createDirectories(jdk.resolve("bin"));
        assertThat(Files.createFile(jdk.resolve("bin/java")).toFile().setExecutable(true))
                .isTrue();
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"25.0.3\"\n");

        Bench.Config config = Bench.Config.parse(new String[] {"--service-java", jdk.toString()});
        ServiceProcess.Options other = new ServiceProcess.Options(
                Path.of("/k/quarkus-run.jar"), jdk, "", "", "256m", List.of(), config.serviceJava());
        assertThat(other.java()).isEqualTo(jdk.resolve("bin/java"));
        assertThat(other.javaFeature()).isEqualTo(25);
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"1.8.0_392\"\n");
        assertThat(ServiceProcess.feature(jdk)).isEqualTo(8);

        ServiceProcess.Options own = new ServiceProcess.Options(
                Path.of("/k/quarkus-run.jar"),
                jdk,
                "",
                "",
                "256m",
                List.of(),
                Bench.Config.parse(new String[] {}).serviceJava());
        assertThat(own.java()).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"));
        assertThat(own.javaFeature()).isEqualTo(Runtime.version().feature());
        assertThatThrownBy(() -> Bench.Config.parse(
                        new String[] {"--service-java", jdk.resolve("none").toString()}))
                .hasMessageContaining("no bin/java");
    }

    @Test
    void bareFetchGetsEveryPageSequentiallyAndConcurrently() {
        try (ScimUpstream upstream =
                ScimUpstream.builder().users(250).groups(5).seed(1).start()) {
            List<String> pages = List.of(
                    upstream.bridgeBaseUrl() + "/Users?startIndex=1&count=100",
                    upstream.bridgeBaseUrl() + "/Users?startIndex=101&count=100",
                    upstream.bridgeBaseUrl() + "/Users?startIndex=201&count=100");
            Map<String, String> auth = Map.of("Authorization", "Bearer " + upstream.token());
            Http http = new Http();
            long mark = upstream.requests().mark();
            assertThat(http.fetchAll(pages, auth, 1)).isPositive();
            assertThat(http.fetchAll(pages, auth, 4)).isPositive();
            assertThat(upstream.requests().since(mark))
                    .hasSize(6)
                    .allSatisfy(r -> assertThat(r.authorized()).isTrue());
        }
    }

    @Test
    void loadGeneratorCountsWhatTheServerAnswered() throws Exception {
        Vertx vertx = Vertx.vertx();
        AtomicInteger served = new AtomicInteger();
        try {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(request -> {
                        served.incrementAndGet();
                        boolean authorized = "yes".equals(request.getHeader("x-test"));
                        request.response().setStatusCode(authorized ? 200 : 401).end("{}");
                    })
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get();
            LoadGenerator.Result ok = LoadGenerator.run(
                    "127.0.0.1",
                    server.actualPort(),
                    "/",
                    Map.of("x-test", "yes"),
                    4,
                    Duration.ZERO,
                    Duration.ofMillis(300));
            assertThat(ok.requests()).isPositive().isEqualTo(served.get());
            assertThat(ok.errors()).isZero();
            assertThat(ok.p99()).isGreaterThanOrEqualTo(ok.p50()).isPositive();
            // Counted over the measured window only: the requests of the 4 connections still in flight at its end
            // may be answered after it and do not count.
            assertThat(ok.seconds()).isEqualTo(0.3);
            assertThat(ok.throughput()).isBetween((ok.requests() - 4) / 0.3, ok.requests() / 0.3);

            LoadGenerator.Result refused = LoadGenerator.run(
                    "127.0.0.1", server.actualPort(), "/", Map.of(), 2, Duration.ZERO, Duration.ofMillis(100));
            assertThat(refused.errors()).isEqualTo(refused.requests()).isPositive();
            // Refused requests are cheap; they must not count as throughput.
            assertThat(refused.throughput()).isZero();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void reportWritesJsonAndATableThatSaysWhichTargetsAreMissed(@TempDir Path dir) throws Exception {
        Report report = new Report(Machine.describe(), "quick");
        report.atMost(
                "1",
                "met figure",
                Stats.of(List.of(1.1)),
                Stats.of(List.of(1.0)),
                "s",
                Stats.of(List.of(1.1)),
                1.25,
                null);
        report.atLeast(
                "3",
                "missed figure",
                Stats.of(List.of(10.0)),
                Stats.of(List.of(100.0)),
                "req/s",
                Stats.of(List.of(0.1)),
                0.5,
                "a note");
        report.write(dir, 1.0);

        JsonNode json = Http.JSON.readTree(dir.resolve("latest.json").toFile());
        assertThat(json.path("machine").path("cores").asInt()).isPositive();
        assertThat(json.path("figures")).hasSize(2);
        assertThat(json.path("figures").get(0).path("met").asBoolean()).isTrue();
        assertThat(json.path("figures").get(1).path("met").asBoolean()).isFalse();
        assertThat(json.path("figures").get(1).path("ratio").path("median").asDouble())
                .isEqualTo(0.1);
        String md = Files.readString(dir.resolve("latest.md"));
        assertThat(md).contains("| 1 | met figure | 1.10 s | 1.00 s | 1.10× | ≤ 1.25 | yes |");
        assertThat(md).contains("missed figure — a note").contains("| ≥ 0.50 | **no** |");
    }
}
