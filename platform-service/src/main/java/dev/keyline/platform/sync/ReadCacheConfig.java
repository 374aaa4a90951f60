package dev.keyline.platform.sync;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The synced-read page cache of each replica ({@link SyncedReadCache}). */
@ConfigMapping(prefix = "keyline.sync.read-cache")
public interface ReadCacheConfig {

    /**
     * How many records the cached pages of this replica may hold in all (a page with raw payloads counts four
     * times its size, an empty page one); 0 turns the cache off. About 1.5 KB of heap per record.
     */
    @WithDefault("10000")
    long maxRecords();

    /**
     * How long a page may stay unread before it is dropped. A cached page is never stale (it is keyed by the
     * store's version), so this only returns memory that accounts nobody reads any more would hold; it is applied
     * when the cache is next written or a sync of this replica ends, without a timer of its own.
     */
    @WithDefault("10m")
    Duration maxIdle();
}
