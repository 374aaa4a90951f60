package dev.keyline.platform.session;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.platform.account.AccountDtos.AccountView;
import dev.keyline.platform.account.AccountLifecycle;
import dev.keyline.platform.account.AccountLifecycle.LinkCommand;
import dev.keyline.platform.account.AccountLookup;
import dev.keyline.platform.account.LinkedAccount;
import dev.keyline.platform.authconfig.AuthConfigService;
import dev.keyline.platform.authconfig.AuthConfigStore.AuthConfig;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import dev.keyline.platform.base.Tokens;
import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.connector.ConnectorView;
import dev.keyline.platform.session.SessionDtos.CreateSessionRequest;
import dev.keyline.platform.session.SessionDtos.CreatedSession;
import dev.keyline.platform.session.SessionDtos.ReconnectLink;
import dev.keyline.platform.session.SessionDtos.RelinkView;
import dev.keyline.platform.session.SessionDtos.SessionLinkRequest;
import dev.keyline.platform.session.SessionDtos.SessionLinkResult;
import dev.keyline.platform.session.SessionDtos.SessionStatusView;
import dev.keyline.platform.session.SessionDtos.SessionView;
import dev.keyline.platform.tenant.TenantService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Connect sessions: a tenant's backend creates one for an origin owner, and the connect UI uses its token
 * once to link (or re-link) that owner's account. Tokens are random, stored as SHA-256 hashes, bound to the
 * tenant and origin owner, and spent by the first successful link; a failed attempt leaves them usable so the
 * person can correct a typo.
 */
@ApplicationScoped
public class ConnectSessionService {

    @Inject
    ConnectSessionRepository sessions;

    @Inject
    AccountLookup accounts;

    @Inject
    AccountLifecycle lifecycle;

    @Inject
    ConnectorRegistry registry;

    @Inject
    TenantService tenants;

    @Inject
    ConnectConfig config;

    @Inject
    ConnectBase connectBase;

    @Inject
    AuthConfigService authConfigs;

    Clock clock = Clock.systemUTC();

    public CreatedSession create(String tenantId, CreateSessionRequest request) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(request, "request is null");
        Duration ttl = ttl(request.expiresIn());
        String provider = blankToNull(request.provider());
        if (provider != null) {
            registry.requireDescriptor(provider);
        }
        String token = Tokens.generate(Tokens.SESSION_TOKEN_PREFIX);
        ConnectSession session = QuarkusTransaction.requiringNew().call(() -> {
            String accountId = blankToNull(request.accountId());
            String boundProvider = provider;
            if (accountId != null) {
                LinkedAccount account = accounts.requireUsable(tenantId, accountId);
                if (!account.originOwnerId.equals(request.originOwnerId())) {
                    throw KeylineException.conflict(
                                    FailureCode.ACCOUNT_OWNER_MISMATCH,
                                    "The account belongs to a different origin owner than the session names.")
                            .field("account_id");
                }
                if (provider != null && !provider.equals(account.provider)) {
                    throw KeylineException.invalid(
                                    FailureCode.PROVIDER_MISMATCH,
                                    "The account is linked with '" + account.provider + "', not '" + provider + "'.")
                            .field("provider");
                }
                boundProvider = account.provider;
            }
            String authConfigId = authConfigFor(tenantId, blankToNull(request.authConfigId()), boundProvider);
            return persist(
                    tenantId,
                    token,
                    request.originOwnerId(),
                    request.originOwnerName(),
                    boundProvider,
                    accountId,
                    authConfigId,
                    ttl);
        });
        return new CreatedSession(session.id, token, connectUrl(session.id), session.expiresAt);
    }

    /** A new session, keeping only its token's hash; call inside a transaction. */
    private ConnectSession persist(
            String tenantId,
            String token,
            String originOwnerId,
            String originOwnerName,
            String provider,
            String accountId,
            String authConfigId,
            Duration ttl) {
        Instant now = now();
        ConnectSession s = new ConnectSession();
        s.id = Tokens.newId();
        s.tenantId = tenantId;
        s.tokenHash = Tokens.sha256(token);
        s.originOwnerId = originOwnerId;
        s.originOwnerName = originOwnerName;
        s.provider = provider;
        s.accountId = accountId;
        s.authConfigId = authConfigId;
        s.createdAt = now;
        s.expiresAt = now.plus(ttl);
        sessions.persist(s);
        return s;
    }

    /** The picked auth config's id once it is known to be the tenant's and, when bound, for the session's provider. */
    private String authConfigFor(String tenantId, String authConfigId, String provider) {
        if (authConfigId == null) {
            return null;
        }
        AuthConfig config = provider == null
                ? authConfigs.require(tenantId, authConfigId)
                : authConfigs.requireFor(tenantId, authConfigId, provider, "auth_config_id");
        return config.id();
    }

    /**
     * A session that repairs the account in place (new consent or credentials, same id), for the tenant to send to
     * the account's origin owner as a link: the connect page with the token in the fragment.
     *
     * @param expiresIn seconds, or null for {@link ConnectConfig#reconnectLinkTtl()}
     */
    public ReconnectLink createReconnectLink(String tenantId, String accountId, Long expiresIn) {
        requireNonNull(tenantId, "tenantId is null");
        Duration ttl = reconnectTtl(expiresIn);
        String token = Tokens.generate(Tokens.SESSION_TOKEN_PREFIX);
        ConnectSession session = QuarkusTransaction.requiringNew().call(() -> {
            LinkedAccount account = accounts.require(tenantId, accountId);
            if (LinkedAccount.UNLINKED.equals(account.status)) {
                throw KeylineException.conflict(
                        FailureCode.ACCOUNT_UNLINKED,
                        "This account was unlinked; its connection cannot be repaired. Link it anew with a connect"
                                + " session.");
            }
            return persist(
                    tenantId,
                    token,
                    account.originOwnerId,
                    account.originOwnerName,
                    account.provider,
                    account.id,
                    null,
                    ttl);
        });
        return new ReconnectLink(session.id, connectUrl(session.id) + "#token=" + token, session.expiresAt);
    }

    /** The tenant's view of one of its sessions; another tenant's id is not found. */
    public SessionStatusView status(String tenantId, String sessionId) {
        requireNonNull(tenantId, "tenantId is null");
        return QuarkusTransaction.requiringNew()
                .call(() -> sessions.findForTenant(tenantId, sessionId == null ? "" : sessionId)
                        .map(s -> SessionStatusView.of(s, now()))
                        .orElseThrow(() -> KeylineException.notFound("Connect session " + sessionId)));
    }

    /** What the connect UI shows for this session. */
    public SessionView describe(String token) {
        ConnectSession session = QuarkusTransaction.requiringNew().call(() -> resolve(token));
        List<ConnectorView> connectors = registry.descriptors().stream()
                .filter(d -> session.provider == null || d.id().equals(session.provider))
                .map(ConnectorView::of)
                .toList();
        RelinkView relink = null;
        if (session.accountId != null) {
            LinkedAccount account = QuarkusTransaction.requiringNew()
                    .call(() -> accounts.requireUsable(session.tenantId, session.accountId));
            relink = new RelinkView(account.id, account.provider, accounts.nonSecretValues(session.tenantId, account));
        }
        String tenantName = tenants.get(session.tenantId).name();
        return new SessionView(tenantName, session.originOwnerName, session.expiresAt, connectors, relink);
    }

    /** Links with the session's token. Spends the token only when the link succeeds. */
    public SessionLinkResult link(String token, SessionLinkRequest request) {
        requireNonNull(request, "request is null");
        ConnectSession session = QuarkusTransaction.requiringNew().call(() -> resolve(token));
        String provider = providerFor(session, blankToNull(request.provider()));
        ConnectorDescriptor descriptor = registry.requireDescriptor(provider);
        return claimAndLink(
                session,
                () -> QuarkusTransaction.requiringNew().call(() -> resolve(token)),
                descriptor.id(),
                request.credentials(),
                blankToNull(request.authKind()),
                null);
    }

    /**
     * Links (or re-links) with what a consent yielded ({@code authorized}, the platform's {@code auth.*} entries) and
     * the kind's field values, under the same single-use rules as {@link #link}.
     */
    SessionLinkResult linkConsented(
            ConnectSession session, String provider, Map<String, String> values, Map<String, String> authorized) {
        requireNonNull(authorized, "authorized is null");
        return claimAndLink(
                session,
                () -> QuarkusTransaction.requiringNew().call(() -> usableById(session.id)),
                provider,
                values,
                null,
                authorized);
    }

    private SessionLinkResult claimAndLink(
            ConnectSession session,
            Runnable explainLost,
            String provider,
            Map<String, String> credentials,
            String authKind,
            Map<String, String> authorized) {
        boolean claimed = QuarkusTransaction.requiringNew().call(() -> sessions.claim(session.id, now()));
        if (!claimed) {
            // Someone else spent it (or it expired) between the look-up and now; say which.
            explainLost.run();
            throw used();
        }
        try {
            AccountView account = session.accountId != null
                    ? lifecycle.update(
                            session.tenantId, session.accountId, session.originOwnerName, credentials, authorized)
                    : lifecycle
                            .link(
                                    session.tenantId,
                                    new LinkCommand(
                                            session.originOwnerId,
                                            session.originOwnerName,
                                            provider,
                                            credentials,
                                            authKind,
                                            authorized))
                            .account();
            QuarkusTransaction.requiringNew().run(() -> sessions.recordLinked(session.id, account.id()));
            return new SessionLinkResult(
                    account.id(), account.provider(), account.status(), account.validationSummary());
        } catch (RuntimeException e) {
            QuarkusTransaction.requiringNew().run(() -> sessions.release(session.id));
            throw e;
        }
    }

    /** The session of a token, when it may still link (in a transaction of its own). */
    ConnectSession usable(String token) {
        return QuarkusTransaction.requiringNew().call(() -> resolve(token));
    }

    /** The session with this id, when it may still link; call inside a transaction. */
    ConnectSession usableById(String sessionId) {
        ConnectSession session = sessions.findByIdOptional(sessionId).orElseThrow(ConnectSessionService::invalid);
        return checkUsable(session);
    }

    String providerFor(ConnectSession session, String requested) {
        if (session.provider == null) {
            if (requested == null) {
                throw KeylineException.invalid(FailureCode.INVALID_REQUEST, "provider is required.")
                        .field("provider");
            }
            return requested;
        }
        if (requested != null && !requested.equals(session.provider)) {
            throw KeylineException.invalid(
                            FailureCode.PROVIDER_MISMATCH, "This session may only link '" + session.provider + "'.")
                    .field("provider");
        }
        return session.provider;
    }

    private ConnectSession resolve(String token) {
        if (token == null || !token.startsWith(Tokens.SESSION_TOKEN_PREFIX)) {
            throw invalid();
        }
        ConnectSession session =
                sessions.findByTokenHash(Tokens.sha256(token)).orElseThrow(ConnectSessionService::invalid);
        return checkUsable(session);
    }

    private ConnectSession checkUsable(ConnectSession session) {
        if (session.usedAt != null) {
            throw used();
        }
        if (!session.expiresAt.isAfter(now())) {
            throw KeylineException.of(
                    Kind.GONE,
                    FailureCode.SESSION_EXPIRED,
                    "Session expired",
                    "This connect session has expired. Ask the application that sent you here to start a new one.");
        }
        return session;
    }

    private static KeylineException invalid() {
        return KeylineException.of(
                Kind.UNAUTHENTICATED,
                FailureCode.SESSION_INVALID,
                "Unauthorized",
                "Send the connect session token as `Authorization: Bearer <token>`.");
    }

    private static KeylineException used() {
        return KeylineException.of(
                Kind.GONE,
                FailureCode.SESSION_USED,
                "Session already used",
                "This connect session has already been used. Ask the application that sent you here to start a new"
                        + " one.");
    }

    /**
     * The page for this session: {@code <connect base>/ui/<session id>}. The id is not a secret (it
     * grants nothing without the token); it tells the page whose allowed origins may frame it.
     */
    private String connectUrl(String sessionId) {
        return connectBase.url() + "/ui/" + sessionId;
    }

    private Duration ttl(Long expiresIn) {
        if (expiresIn == null) {
            return config.sessionTtl();
        }
        long min = config.minSessionTtl().toSeconds();
        long max = config.maxSessionTtl().toSeconds();
        if (expiresIn < min || expiresIn > max) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_REQUEST,
                            "expires_in must be between " + min + " and " + max + " seconds.")
                    .field("expires_in");
        }
        return Duration.ofSeconds(expiresIn);
    }

    private Duration reconnectTtl(Long expiresIn) {
        if (expiresIn == null) {
            return config.reconnectLinkTtl();
        }
        long min = config.minSessionTtl().toSeconds();
        long max = config.maxReconnectLinkTtl().toSeconds();
        if (expiresIn < min || expiresIn > max) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_REQUEST,
                            "expires_in must be between " + min + " and " + max + " seconds.")
                    .field("expires_in");
        }
        return Duration.ofSeconds(expiresIn);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
