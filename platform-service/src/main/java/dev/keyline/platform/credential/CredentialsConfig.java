package dev.keyline.platform.credential;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Which credential store runs, and how. Vault's address and login are configured as {@code quarkus.vault.*}. */
@ConfigMapping(prefix = "keyline.credentials")
public interface CredentialsConfig {

    /** {@code local} (standalone: encrypted rows in PostgreSQL) or {@code vault} (production). */
    @WithDefault("local")
    Kind store();

    Local local();

    Vault vault();

    /**
     * How long a stored credential without a usable account (no row of that tenant and id, or an unlinked one)
     * is left before the orphan sweep destroys it, counted from when it was last written. A link stores the
     * credential a moment before it inserts the account's row, so a younger one may belong to a link still in
     * flight on some replica. Credentials of unlinked accounts do not wait: an unlink is final and meant to
     * destroy them.
     */
    @WithDefault("1h")
    Duration orphanGrace();

    /**
     * How often the orphan sweep runs (its first run is at start-up); {@code 0} or {@code off} turns it off. One
     * replica sweeps at a time (a PostgreSQL advisory lock).
     */
    @WithDefault("1h")
    @WithConverter(SweepIntervalConverter.class)
    Duration orphanSweepInterval();

    /**
     * At most this many entries are examined per sweep run; a larger store is covered over several runs, each
     * resuming where the previous one stopped.
     */
    @WithDefault("10000")
    int orphanSweepMaxEntries();

    /** The grace in effect: the deprecated local key when set, otherwise {@link #orphanGrace()}. */
    default Duration effectiveOrphanGrace() {
        return local().orphanGrace().orElse(orphanGrace());
    }

    enum Kind {
        LOCAL,
        VAULT
    }

    interface Local {
        /**
         * The file holding the base64 master key; created with owner-only permissions when absent. Used when
         * the environment variable named by {@link #masterKeyEnv()} is not set.
         */
        @WithDefault("data/master.key")
        Path masterKeyFile();

        /** The environment variable that may hold the base64 master key instead of the file. */
        @WithDefault("KEYLINE_MASTER_KEY")
        String masterKeyEnv();

        /**
         * The version written into new ciphertexts. A later rotation adds a new key under a higher version while
         * the old one still decrypts what it sealed.
         */
        @WithDefault("1")
        int keyVersion();

        /**
         * Set by {@code ./keyline start --reset-credentials}: when the master key cannot open the stored credentials
         * (it was lost and replaced), destroy those credentials, put their accounts in {@code error}
         * ({@code reauthorization_required}) and make this key current, instead of refusing to start.
         */
        @WithDefault("false")
        boolean resetCredentials();

        /**
         * Deprecated: the former name of {@link CredentialsConfig#orphanGrace()}, from when only the local store was
         * swept (at start-up). Still honoured, and wins when set.
         */
        @Deprecated
        Optional<Duration> orphanGrace();
    }

    interface Vault {
        /** The KV v2 mount. */
        @WithDefault("secret")
        String mount();

        /** The path under the mount below which {@code tenants/<tenant>/accounts/<account>} live. */
        @WithDefault("keyline")
        String pathPrefix();
    }
}
