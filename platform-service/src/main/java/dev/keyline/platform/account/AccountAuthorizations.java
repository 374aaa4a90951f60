package dev.keyline.platform.account;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.Authorization;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.ErrorCode;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.connector.TokenFailureDiagnoses;
import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.oauth.KindGrants;
import dev.keyline.platform.oauth.OAuthConfig;
import dev.keyline.platform.oauth.OAuthValues;
import dev.keyline.platform.oauth.TokenClient;
import dev.keyline.platform.oauth.TokenSet;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The {@link Authorization} of a linked account authorized by an OAuth or service-account kind: its current access
 * token, renewed before it expires and once after the provider rejected it.
 *
 * <p>Each replica keeps the current token per account in memory, seeded from the stored entries; the cache is only a
 * hint. A renewal runs once at a time per account in this process, and once at a time across replicas under {@link
 * TokenRenewals}' lock, inside which the stored entries are read again: a replica that finds them renewed by another
 * uses that token and asks the provider nothing, and every renewal starts from the latest stored refresh token. The
 * new tokens are stored before the lock is released and before anyone is handed the new header, so a rotated refresh
 * token is never lost to a crash between the provider's answer and its use.
 *
 * <p>A renewal the provider refuses for good puts the account in {@code error} with {@code
 * reauthorization_required}, once: the failure is remembered until the stored entries change (a reconnect), and an
 * account already in that state is not marked again.
 */
@ApplicationScoped
public class AccountAuthorizations {
    private static final Logger LOG = Logger.getLogger(AccountAuthorizations.class);
    static final String REAUTHORIZATION_REQUIRED = "auth.reauthorization_required";

    private final TokenRenewals renewals;
    private final CredentialStore credentials;
    private final OAuthConfig config;
    private final AccountStatusTransitions transitions;
    private final ConcurrentMap<Key, Entry> entries = new ConcurrentHashMap<>();

    Clock clock = Clock.systemUTC();

    @Inject
    AccountAuthorizations(
            TokenRenewals renewals,
            CredentialStore credentials,
            OAuthConfig config,
            AccountStatusTransitions transitions) {
        this.renewals = requireNonNull(renewals, "renewals is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
        this.config = requireNonNull(config, "config is null");
        this.transitions = requireNonNull(transitions, "transitions is null");
    }

    /** The authorization the account's connectors use. */
    public Authorization forAccount(
            String tenantId, String accountId, ConnectorDescriptor descriptor, Map<String, String> stored) {
        return forAccount(tenantId, accountId, descriptor, stored, token -> {});
    }

    /**
     * As above, telling {@code issued} each access token before the connector is handed it, so the connector's log
     * redaction can follow renewals.
     */
    public Authorization forAccount(
            String tenantId,
            String accountId,
            ConnectorDescriptor descriptor,
            Map<String, String> stored,
            Consumer<String> issued) {
        requireNonNull(stored, "stored is null");
        requireNonNull(issued, "issued is null");
        AuthKind kind = KindGrants.kindOf(descriptor, stored);
        Key key = new Key(requireNonNull(tenantId, "tenantId is null"), requireNonNull(accountId, "accountId is null"));
        State seen = State.of(stored);
        // The caller read the store just now; whatever it read differs from the cache only after a renewal elsewhere
        // or a reconnect. Seeding with it is safe either way: a renewal never starts from the cache.
        entries.compute(key, (k, current) -> current != null && current.state.sameAs(seen) ? current : new Entry(seen));
        return new AccountAuthorization(key, descriptor, kind, issued);
    }

    void onLinked(@Observes AccountLinked event) {
        entries.remove(new Key(event.tenantId(), event.accountId()));
    }

    void onUnlinked(@Observes AccountUnlinked event) {
        entries.remove(new Key(event.tenantId(), event.accountId()));
    }

    void onStatusChanged(@Observes AccountStatusChanged event) {
        if (FailureCode.REAUTHORIZATION_REQUIRED.wire().equals(event.code())) {
            // Our own mark: keep the remembered failure, so further requests do not ask the provider again.
            return;
        }
        entries.remove(new Key(event.tenantId(), event.accountId()));
    }

    /** Whether this replica holds a token for the account, for tests. */
    boolean caches(String tenantId, String accountId) {
        return entries.containsKey(new Key(tenantId, accountId));
    }

    private Entry entry(Key key) {
        Entry entry = entries.get(key);
        if (entry != null) {
            return entry;
        }
        // Dropped after a reconnect or a status change: start again from what is stored now.
        State stored = State.of(read(key));
        return entries.computeIfAbsent(key, k -> new Entry(stored));
    }

    private Map<String, String> read(Key key) {
        return credentials
                .get(key.tenantId(), key.accountId())
                .orElseThrow(() -> new ConnectorException(
                        ErrorCode.INVALID_CREDENTIALS,
                        "The account's stored authorization is missing; link it again."));
    }

    /** Whether the token can go out now: it is not about to expire and it is not the one the provider rejected. */
    private boolean usable(TokenSet tokens, String rejected) {
        if (tokens == null || (rejected != null && rejected.equals(tokens.header()))) {
            return false;
        }
        return tokens.expiresAt() == null
                || clock.instant().plus(config.refreshSkew()).isBefore(tokens.expiresAt());
    }

    /** The current token, renewing once (in this process and across replicas) when it cannot be used. */
    private TokenSet current(Key key, ConnectorDescriptor descriptor, String rejected) {
        Entry entry = entry(key);
        State state = entry.state;
        if (state.failure == null && usable(state.tokens, rejected)) {
            return state.tokens;
        }
        entry.renewing.lock();
        try {
            // Whoever held the lock before may have renewed already.
            state = entry.state;
            if (state.failure == null && usable(state.tokens, rejected)) {
                return state.tokens;
            }
            if (state.failure != null) {
                State stored = State.of(read(key));
                if (stored.sameAs(state)) {
                    throw state.failure;
                }
                // Reconnected, possibly on another replica: try with what is stored now.
                state = stored;
                entry.state = stored;
                if (usable(stored.tokens, rejected)) {
                    return stored.tokens;
                }
            }
            State renewed = renew(key, descriptor, entry, state, rejected);
            entry.state = renewed;
            return renewed.tokens;
        } finally {
            entry.renewing.unlock();
        }
    }

    private State renew(Key key, ConnectorDescriptor descriptor, Entry entry, State known, String rejected) {
        try {
            return State.of(renewals.renew(key.tenantId(), key.accountId(), descriptor, stored -> {
                State found = State.of(stored);
                // Renewed by another replica (or reconnected) since this one last looked: use that token.
                return !found.sameAs(known) && usable(found.tokens, rejected);
            }));
        } catch (ConnectorException e) {
            if (!TokenClient.permanent(e)) {
                // The provider or the network may recover: nothing about the account changes.
                throw e;
            }
            ConnectorException failure = reauthorizationRequired(key.accountId(), e);
            entry.state = known.failed(failure);
            markReauthorizationRequired(key, failure.getMessage());
            throw failure;
        }
    }

    private static ConnectorException reauthorizationRequired(String accountId, ConnectorException cause) {
        String error = cause.params().getOrDefault("error", cause.messageCode().substring("auth.".length()));
        // A connector's diagnosis says what the customer has to fix (a new key, a delegation); keep its sentence.
        String diagnosis = TokenFailureDiagnoses.generic(cause) ? "" : " " + cause.getMessage();
        String message = "The provider no longer accepts this account's authorization (" + error + ")." + diagnosis
                + " Send the customer a reconnect link: POST /accounts/" + accountId + "/reconnect-link.";
        return ConnectorException.builder(ErrorCode.INVALID_CREDENTIALS, message)
                .messageCode(REAUTHORIZATION_REQUIRED)
                .param("error", error)
                .build();
    }

    private void markReauthorizationRequired(Key key, String message) {
        String code = FailureCode.REAUTHORIZATION_REQUIRED.wire();
        try {
            transitions.transition(key.tenantId(), key.accountId(), account -> {
                if (!(LinkedAccount.ERROR.equals(account.status) && code.equals(account.statusCode))) {
                    AccountStatusTransitions.markError(account, code, message, null, transitions.now());
                }
            });
        } catch (KeylineException e) {
            // Unlinked or deleted meanwhile: there is no status left to keep.
            LOG.debugf("Account %s: not marked for reauthorization (%s)", key.accountId(), e.code());
        }
    }

    private record Key(String tenantId, String accountId) {}

    /**
     * What this replica knows of an account's token: the stored generation and token it came from (or renewed to),
     * and a renewal failure that stands until the stored entries change.
     */
    private record State(TokenSet tokens, String generation, ConnectorException failure) {
        static State of(Map<String, String> stored) {
            return new State(
                    OAuthValues.tokens(stored).orElse(null), stored.getOrDefault(OAuthValues.GENERATION, "0"), null);
        }

        State failed(ConnectorException failure) {
            return new State(tokens, generation, failure);
        }

        boolean sameAs(State other) {
            return generation.equals(other.generation) && Objects.equals(header(), other.header());
        }

        private String header() {
            return tokens == null ? null : tokens.header();
        }
    }

    private static final class Entry {
        final ReentrantLock renewing = new ReentrantLock();
        volatile State state;

        Entry(State state) {
            this.state = state;
        }
    }

    /** The handle a connector holds; it reads the replica's current token on every call. */
    private final class AccountAuthorization implements Authorization {
        private final Key key;
        private final ConnectorDescriptor descriptor;
        private final AuthKind kind;
        private final Consumer<String> issued;
        private volatile String reported;

        AccountAuthorization(Key key, ConnectorDescriptor descriptor, AuthKind kind, Consumer<String> issued) {
            this.issued = issued;
            this.key = key;
            this.descriptor = descriptor;
            this.kind = kind;
        }

        @Override
        public AuthKind.Type kind() {
            return kind.type();
        }

        @Override
        public String header() {
            return handOut(current(key, descriptor, null));
        }

        @Override
        public String refreshAfterRejection(String rejected) {
            requireNonNull(rejected, "rejected is null");
            return handOut(current(key, descriptor, rejected));
        }

        private String handOut(TokenSet tokens) {
            if (!tokens.accessToken().equals(reported)) {
                issued.accept(tokens.accessToken());
                reported = tokens.accessToken();
            }
            return tokens.header();
        }

        @Override
        public Set<String> grantedScopes() {
            TokenSet tokens = entry(key).state.tokens;
            if (tokens != null && tokens.scope() != null && !tokens.scope().isBlank()) {
                return Arrays.stream(tokens.scope().split("[\\s,]+"))
                        .filter(s -> !s.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
            }
            return Set.copyOf(kind.scopes());
        }

        @Override
        public String toString() {
            return "Authorization[" + kind.type().wireName() + ", account " + key.accountId() + ", ****]";
        }
    }
}
