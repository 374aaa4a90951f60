package dev.keyline.platform.credential;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** Which credential store runs, and how. Vault's address and login are configured as {@code quarkus.vault.*}. */
@ConfigMapping(prefix = "keyline.credentials")
public interface CredentialsConfig {

    /** {@code local} (standalone: encrypted rows in PostgreSQL) or {@code vault} (production). */
    @WithDefault("local")
    Kind store();

    Local local();

    Vault vault();

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
         * How old a stored secret without a live account must be before the start-up sweep deletes it. A link
         * stores the secret a moment before it inserts the account's row, so a younger one may belong to a link
         * still in flight on another replica.
         */
        @WithDefault("10m")
        Duration orphanGrace();
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
