package dev.keyline.platform.account;

import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.platform.connector.ConnectorContexts;
import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.problem.ApiProblem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * Opens connectors on linked accounts' stored credentials. Accounts in {@code error} still open: the error
 * may have passed, and a failing read reports the provider's current answer better than a stale status.
 */
@ApplicationScoped
public class DefaultAccountConnectors implements AccountConnectors {

    @Inject
    AccountService accounts;

    @Inject
    ConnectorRegistry registry;

    @Inject
    ConnectorContexts contexts;

    @Inject
    CredentialStore credentials;

    @Override
    public Linked open(String tenantId, String accountId) {
        LinkedAccount account =
                QuarkusTransaction.joiningExisting().call(() -> accounts.requireUsable(tenantId, accountId));
        ConnectorFactory factory = registry.find(account.provider)
                .orElseThrow(() -> ApiProblem.of(
                        503,
                        "connector_unavailable",
                        "Connector unavailable",
                        "The connector '" + account.provider + "' is not installed on this Keyline."));
        Map<String, String> values = credentials
                .get(tenantId, account.id)
                .orElseThrow(() -> ApiProblem.conflict(
                        "account_not_active", "This account's credentials are missing. Link it again to use it."));
        ConnectorDescriptor descriptor = factory.descriptor();
        // Stored values were normalized when they were linked.
        ConnectorConfig config = ConnectorConfig.of(descriptor, values);
        Connector connector = factory.create(config, contexts.contextFor(descriptor.id(), config));
        return new Linked(account.id, account.provider, descriptor, connector);
    }
}
