package dev.keyline.platform.base.backedge;

import dev.keyline.platform.sync.SyncRun;

/** Test-only: a class in {@code base} that depends on {@code sync}, which the architecture test must reject. */
public final class BackEdgeFixture {
    private BackEdgeFixture() {}

    public static Class<?> uses() {
        return SyncRun.class;
    }
}
