package dev.keyline.platform.connector;

import dev.keyline.connector.spi.Redactor;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Prints what the guard costs per plugin call (the hand-off to the connector's thread and back), against calling the
 * same code directly. A figure for the live-read budget (at most 1 ms of overhead per read), not a test: run it with
 * {@code java -cp <test class path> dev.keyline.platform.connector.PluginCallsCost}.
 */
public final class PluginCallsCost {
    private static final int WARM_UP = 20_000;
    private static final int CALLS = 100_000;

    private PluginCallsCost() {}

    public static void main(String[] args) {
        PluginCalls calls = new PluginCalls(Duration.ofSeconds(30), Duration.ofSeconds(30), 16);
        Redactor none = Redactor.of(List.of());
        long sink = 0;
        for (int i = 0; i < WARM_UP; i++) {
            int n = i;
            sink += calls.call("bench", Duration.ofSeconds(30), none, () -> n);
        }
        long started = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            int n = i;
            sink += calls.call("bench", Duration.ofSeconds(30), none, () -> n);
        }
        long guarded = System.nanoTime() - started;
        started = System.nanoTime();
        for (int i = 0; i < CALLS; i++) {
            int n = i;
            java.util.concurrent.Callable<Integer> direct = () -> n;
            try {
                sink += direct.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        long direct = System.nanoTime() - started;
        calls.stop();
        System.out.printf(
                Locale.ROOT,
                "plugin call guard on Java %s: %.1f us per guarded call, %.3f us direct (%d calls; checksum %d)%n",
                Runtime.version().feature(),
                guarded / 1e3 / CALLS,
                direct / 1e3 / CALLS,
                CALLS,
                sink);
    }
}
