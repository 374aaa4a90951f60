package dev.keyline.platform.base.backedge;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Test-only: a hand-made timer, which the architecture test must reject. */
public final class HandMadeTimerFixture {
    private HandMadeTimerFixture() {}

    public static ScheduledExecutorService tick(Runnable task) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        timer.scheduleWithFixedDelay(task, 1, 1, TimeUnit.SECONDS);
        return timer;
    }
}
