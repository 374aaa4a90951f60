package dev.keyline.platform.account;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Connector;
import dev.keyline.connector.spi.ConnectorConfig;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorFactory;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import dev.keyline.platform.connector.ConnectorContexts;
import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.connector.LiveSecrets;
import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.oauth.AuthForms;
import dev.keyline.platform.oauth.OAuthValues;
import dev.keyline.platform.reqlog.RequestLogSubject;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens connectors on linked accounts' stored credentials. Accounts in {@code error} still open: the error
 * may have passed, and a failing read reports the provider's current answer better than a stale status.
 *
 * <p>Shared connectors spare live reads a credential read, its decryption and a new connector per request.
 * They are kept per (tenant, account) with the {@code updated_at} of the row they were made from: credentials
 * are written before the row is updated, so a connector made from a row is never older than that row's
 * credentials, and a request that loads a newer row makes a new one.
 */
@ApplicationScoped
public class DefaultAccountConnectors implements AccountConnectors {

    /** How many accounts' connectors are kept; the least recently used beyond it are dropped. */
    static final int MAX_SHARED = 1_000;

    @Inject
    AccountLookup accounts;

    @Inject
    ConnectorRegistry registry;

    @Inject
    ConnectorContexts contexts;

    @Inject
    CredentialStore credentials;

    @Inject
    AccountAuthorizations authorizations;

    private final Map<Key, Shared> shared = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Shared> eldest) {
            if (size() > MAX_SHARED) {
                eldest.getValue().retire();
                return true;
            }
            return false;
        }
    };

    @Override
    public Linked open(String tenantId, String accountId) {
        LinkedAccount account =
                QuarkusTransaction.joiningExisting().call(() -> accounts.requireUsable(tenantId, accountId));
        Made made = make(tenantId, account);
        return new Linked(account.id, account.provider, made.descriptor(), made.connector());
    }

    @Override
    public Linked openShared(String tenantId, LinkedAccount account) {
        Objects.requireNonNull(account, "account is null");
        if (tenantId == null || !tenantId.equals(account.tenantId) || LinkedAccount.UNLINKED.equals(account.status)) {
            // Never reached through AccountLookup.requireUsable; kept so a misuse cannot cross tenants.
            throw KeylineException.notFound("Account " + account.id);
        }
        Key key = new Key(tenantId, account.id);
        synchronized (shared) {
            Shared current = shared.get(key);
            if (current != null && current.madeFrom(account) && current.acquire()) {
                return current.linked();
            }
        }
        // Made outside the lock: the credential store may be remote (Vault).
        Made made = make(tenantId, account);
        Shared fresh = new Shared(account.id, account.provider, account.updatedAt, made);
        fresh.acquire();
        synchronized (shared) {
            Shared current = shared.get(key);
            if (current != null && current.madeFrom(account) && current.acquire()) {
                // Another request made the same one meanwhile; keep a single one.
                fresh.retire();
                fresh.release();
                return current.linked();
            }
            Shared replaced = shared.put(key, fresh);
            if (replaced != null) {
                replaced.retire();
            }
        }
        return fresh.linked();
    }

    /** Whether a shared connector is held for the account, for tests and diagnostics. */
    public boolean holdsShared(String tenantId, String accountId) {
        synchronized (shared) {
            return shared.containsKey(new Key(tenantId, accountId));
        }
    }

    void onLinked(@Observes AccountLinked event) {
        drop(event.tenantId(), event.accountId());
    }

    void onUnlinked(@Observes AccountUnlinked event) {
        drop(event.tenantId(), event.accountId());
    }

    void onStatusChanged(@Observes AccountStatusChanged event) {
        drop(event.tenantId(), event.accountId());
    }

    private void drop(String tenantId, String accountId) {
        Shared removed;
        synchronized (shared) {
            removed = shared.remove(new Key(tenantId, accountId));
        }
        if (removed != null) {
            removed.retire();
        }
    }

    private Made make(String tenantId, LinkedAccount account) {
        ConnectorFactory factory = registry.find(account.provider)
                .orElseThrow(() -> KeylineException.of(
                        Kind.UNAVAILABLE,
                        FailureCode.CONNECTOR_UNAVAILABLE,
                        "Connector unavailable",
                        "The connector '" + account.provider + "' is not installed on this Keyline."));
        Map<String, String> values = credentials
                .get(tenantId, account.id)
                .orElseThrow(() -> KeylineException.conflict(
                        FailureCode.ACCOUNT_NOT_ACTIVE,
                        "This account's credentials are missing. Link it again to use it."));
        ConnectorDescriptor descriptor = factory.descriptor();
        // Stored values were normalized when they were linked; the platform's auth.* entries never reach a connector.
        ConnectorConfig config = ConnectorConfig.of(descriptor, OAuthValues.connectorValues(values));
        contexts.screenUrls(tenantId, descriptor, config);
        RequestLogSubject subject = RequestLogSubject.account(tenantId, account.id);
        if (OAuthValues.kind(values) == AuthKind.Type.FIELDS) {
            return new Made(descriptor, factory.create(config, contexts.contextFor(subject, descriptor.id(), config)));
        }
        Set<String> secrets = new HashSet<>(config.secretValues());
        secrets.addAll(AuthForms.secretValues(values));
        // The account's access token changes while the connector lives: its logger learns each renewed one before
        // the connector is handed it.
        LiveSecrets live = new LiveSecrets(secrets);
        ConnectorConfig authorized = config.withAuthorization(
                authorizations.forAccount(tenantId, account.id, descriptor, values, live::add));
        Connector connector =
                factory.create(authorized, contexts.contextFor(subject, descriptor.id(), authorized, live));
        return new Made(descriptor, connector);
    }

    private record Key(String tenantId, String accountId) {}

    private record Made(ConnectorDescriptor descriptor, Connector connector) {}

    /** A shared connector, closed once it is retired and its last user has released it. */
    private static final class Shared {
        private final String accountId;
        private final String provider;
        private final Instant version;
        private final Made made;
        private int users;
        private boolean retired;

        Shared(String accountId, String provider, Instant version, Made made) {
            this.accountId = accountId;
            this.provider = provider;
            this.version = version;
            this.made = made;
        }

        boolean madeFrom(LinkedAccount account) {
            return version != null && version.equals(account.updatedAt) && provider.equals(account.provider);
        }

        synchronized boolean acquire() {
            if (retired) {
                return false;
            }
            users++;
            return true;
        }

        synchronized void release() {
            users--;
            closeIfIdle();
        }

        synchronized void retire() {
            retired = true;
            closeIfIdle();
        }

        private void closeIfIdle() {
            if (retired && users == 0) {
                made.connector().close();
            }
        }

        /** A handle whose close releases this once, however often it is called. */
        Linked linked() {
            AtomicBoolean released = new AtomicBoolean();
            return new Linked(accountId, provider, made.descriptor(), made.connector(), () -> {
                if (released.compareAndSet(false, true)) {
                    release();
                }
            });
        }
    }
}
