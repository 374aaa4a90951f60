package dev.keyline.platform.sync;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The synced-read page cache of each replica ({@link SyncedReadCache}). */
@ConfigMapping(prefix = "keyline.sync.read-cache")
public interface ReadCacheConfig {

    /**
     * How many records the cached pages of this replica may hold in all (a page with raw payloads counts four
     * times its size); 0 turns the cache off. About 1.5 KB of heap per record.
     */
    @WithDefault("10000")
    long maxRecords();
}
