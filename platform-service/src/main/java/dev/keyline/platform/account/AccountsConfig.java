package dev.keyline.platform.account;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How linked accounts are read on the request path. */
@ConfigMapping(prefix = "keyline.accounts")
public interface AccountsConfig {

    /**
     * How long a usable account's row, once read, answers reads (live and synced) without asking PostgreSQL again.
     * A change made on this replica is seen at once; one made on another replica (an unlink, new credentials) is
     * seen here within this time. {@code 0s} reads the row on every request.
     */
    @WithDefault("5s")
    Duration readCacheTtl();
}
