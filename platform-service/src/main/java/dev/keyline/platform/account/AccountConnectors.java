package dev.keyline.platform.account;

import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorDescriptor;
import java.util.Objects;

/** Opens a connector on a linked account's stored credentials, for the unified IAM API and sync. */
public interface AccountConnectors {

    /**
     * A connector for the tenant's account. Throws a 404 problem when the account does not exist or belongs
     * to another tenant (never 403, so ids cannot be probed), and a 409 problem {@code account_not_active}
     * when it is not usable (unlinked, credentials missing).
     */
    Linked open(String tenantId, String accountId);

    /** An open connector with what the caller needs to know about it. Close it when done. */
    record Linked(String accountId, String provider, ConnectorDescriptor descriptor, Connector connector)
            implements AutoCloseable {
        public Linked {
            Objects.requireNonNull(accountId, "accountId is null");
            Objects.requireNonNull(provider, "provider is null");
            Objects.requireNonNull(descriptor, "descriptor is null");
            Objects.requireNonNull(connector, "connector is null");
        }

        @Override
        public void close() {
            connector.close();
        }
    }
}
