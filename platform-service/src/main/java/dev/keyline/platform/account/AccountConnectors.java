package dev.keyline.platform.account;

import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorDescriptor;
import java.util.Objects;

/** Opens a connector on a linked account's stored credentials, for the unified IAM API and sync. */
public interface AccountConnectors {

    /**
     * A connector for the tenant's account, made for this caller alone. Throws a 404 problem when the account
     * does not exist or belongs to another tenant (never 403, so ids cannot be probed), and a 409 problem
     * {@code account_not_active} when it is not usable (unlinked, credentials missing).
     */
    Linked open(String tenantId, String accountId);

    /**
     * A connector for an account the caller has just loaded with {@link AccountLookup#requireUsable}, shared
     * with other callers reading the same account. It is reused while the account row's {@code updated_at} is
     * unchanged — every credential change moves it — so the row the caller loaded decides whether the shared
     * connector is still current, on every replica. Throws a 404 problem when {@code account} is not the
     * tenant's, and the problems of {@link #open} when a new connector cannot be made. Closing the result
     * releases it; the connector itself is closed once it is no longer current and nobody uses it.
     */
    Linked openShared(String tenantId, LinkedAccount account);

    /** An open connector with what the caller needs to know about it. Close it when done. */
    record Linked(
            String accountId, String provider, ConnectorDescriptor descriptor, Connector connector, Runnable release)
            implements AutoCloseable {
        public Linked {
            Objects.requireNonNull(accountId, "accountId is null");
            Objects.requireNonNull(provider, "provider is null");
            Objects.requireNonNull(descriptor, "descriptor is null");
            Objects.requireNonNull(connector, "connector is null");
            Objects.requireNonNull(release, "release is null");
        }

        /** A connector the caller owns: closing this closes it. */
        public Linked(String accountId, String provider, ConnectorDescriptor descriptor, Connector connector) {
            this(accountId, provider, descriptor, connector, connector == null ? () -> {} : connector::close);
        }

        @Override
        public void close() {
            release.run();
        }
    }
}
