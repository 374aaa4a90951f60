package dev.keyline.platform.session;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.platform.account.AccountDtos.AccountView;
import dev.keyline.platform.account.AccountLifecycle;
import dev.keyline.platform.account.AccountLifecycle.LinkCommand;
import dev.keyline.platform.account.AccountLifecycle.WhenLive;
import dev.keyline.platform.account.AccountLookup;
import dev.keyline.platform.account.LinkedAccount;
import dev.keyline.platform.account.LinkedAccountRepository;
import dev.keyline.platform.authconfig.AuthConfigService;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import dev.keyline.platform.base.Tokens;
import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.connector.MessageCatalog;
import dev.keyline.platform.session.SessionDtos.CreateSessionRequest;
import dev.keyline.platform.session.SessionDtos.CreatedSession;
import dev.keyline.platform.session.SessionDtos.ReconnectLink;
import dev.keyline.platform.session.SessionDtos.SessionLinkRequest;
import dev.keyline.platform.session.SessionDtos.SessionLinkResult;
import dev.keyline.platform.session.SessionDtos.SessionStatusView;
import dev.keyline.platform.tenant.BrandRules;
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
    LinkedAccountRepository accountRows;

    @Inject
    MessageCatalog catalog;

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

    @Inject
    SessionOptions options;

    @Inject
    SessionAccounts sessionAccounts;

    Clock clock = Clock.systemUTC();

    public CreatedSession create(String tenantId, CreateSessionRequest request) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(request, "request is null");
        Duration ttl = options.sessionTtl(request.expiresIn());
        String token = Tokens.generate(Tokens.SESSION_TOKEN_PREFIX);
        ConnectSession session = QuarkusTransaction.requiringNew().call(() -> {
            // The account first: another tenant's id is 404 whatever else the body holds, as an unknown one is.
            String accountId = SessionOptions.blankToNull(request.accountId());
            LinkedAccount account = accountId == null ? null : accounts.requireUsable(tenantId, accountId);
            if (account != null && !account.originOwnerId.equals(request.originOwnerId())) {
                throw KeylineException.conflict(
                                FailureCode.ACCOUNT_OWNER_MISMATCH,
                                "The account belongs to a different origin owner than the session names.")
                        .field("account_id");
            }
            List<String> providers = options.providers(request);
            String locale = SessionOptions.locale(request.locale());
            boolean hosted = Boolean.TRUE.equals(request.hosted());
            String returnUrl = options.returnUrl(tenantId, hosted, SessionOptions.blankToNull(request.returnUrl()));
            boolean newAccount = Boolean.TRUE.equals(request.newAccount());
            Map<String, Object> brand = SessionBrand.toMap(BrandRules.validate(request.brand(), "brand"));
            List<String> bound = providers;
            if (account != null) {
                if (!providers.isEmpty() && !providers.contains(account.provider)) {
                    throw KeylineException.invalid(
                                    FailureCode.PROVIDER_MISMATCH,
                                    "The account is linked with '" + account.provider + "', which the session's"
                                            + " providers leave out.")
                            .field(request.providers() == null ? "provider" : "providers");
                }
                if (newAccount) {
                    throw KeylineException.invalid(
                                    FailureCode.CONFLICTING_PARAMETERS,
                                    "A session that re-links account_id cannot also add a new account.")
                            .field("new_account");
                }
                bound = List.of(account.provider);
            }
            String single = bound.size() == 1 ? bound.get(0) : null;
            String authConfigId =
                    options.authConfigFor(tenantId, SessionOptions.blankToNull(request.authConfigId()), single);
            ConnectSession s = newSession(
                    tenantId,
                    token,
                    request.originOwnerId(),
                    request.originOwnerName(),
                    single,
                    accountId,
                    authConfigId,
                    ttl);
            s.providers = bound.isEmpty() ? null : bound;
            s.locale = locale;
            s.brand = brand;
            s.hosted = hosted;
            s.returnUrl = returnUrl;
            s.newAccount = newAccount;
            sessions.persist(s);
            return s;
        });
        String url = session.hosted ? withToken(connectUrl(session.id), token) : connectUrl(session.id);
        return new CreatedSession(session.id, token, url, session.expiresAt);
    }

    /** A new session, not yet persisted, keeping only its token's hash. */
    private ConnectSession newSession(
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
        return s;
    }

    /**
     * A session that repairs the account in place (new consent or credentials, same id), for the tenant to send to
     * the account's origin owner as a link: the connect page with the token in the fragment.
     *
     * @param expiresIn seconds, or null for {@link ConnectConfig#reconnectLinkTtl()}
     */
    public ReconnectLink createReconnectLink(String tenantId, String accountId, Long expiresIn) {
        requireNonNull(tenantId, "tenantId is null");
        Duration ttl = options.reconnectTtl(expiresIn);
        String token = Tokens.generate(Tokens.SESSION_TOKEN_PREFIX);
        ConnectSession session = QuarkusTransaction.requiringNew().call(() -> {
            LinkedAccount account = accounts.require(tenantId, accountId);
            if (LinkedAccount.UNLINKED.equals(account.status)) {
                throw KeylineException.conflict(
                        FailureCode.ACCOUNT_UNLINKED,
                        "This account was unlinked; its connection cannot be repaired. Link it anew with a connect"
                                + " session.");
            }
            ConnectSession s = newSession(
                    tenantId,
                    token,
                    account.originOwnerId,
                    account.originOwnerName,
                    account.provider,
                    account.id,
                    null,
                    ttl);
            // Opened on its own from an e-mail or chat, with no host page around it: a hosted session.
            s.hosted = true;
            sessions.persist(s);
            return s;
        });
        return new ReconnectLink(session.id, withToken(connectUrl(session.id), token), session.expiresAt);
    }

    /** The tenant's view of one of its sessions; another tenant's id is not found. */
    public SessionStatusView status(String tenantId, String sessionId) {
        requireNonNull(tenantId, "tenantId is null");
        return QuarkusTransaction.requiringNew()
                .call(() -> sessions.findForTenant(tenantId, sessionId == null ? "" : sessionId)
                        .map(s -> SessionStatusView.of(s, now()))
                        .orElseThrow(() -> KeylineException.notFound("Connect session " + sessionId)));
    }

    /** Links with the session's token. Spends the token only when the link succeeds. */
    public SessionLinkResult link(String token, SessionLinkRequest request) {
        requireNonNull(request, "request is null");
        ConnectSession session = QuarkusTransaction.requiringNew().call(() -> resolve(token));
        String requestedAccount = SessionOptions.blankToNull(request.accountId());
        String provider = providerFor(session, SessionOptions.blankToNull(request.provider()), requestedAccount);
        ConnectorDescriptor descriptor = registry.requireDescriptor(provider);
        String target = sessionAccounts.target(session, descriptor.id(), requestedAccount);
        sessionAccounts.refuseIfExists(session, descriptor.id(), target);
        return claimAndLink(
                session,
                () -> QuarkusTransaction.requiringNew().call(() -> resolve(token)),
                descriptor.id(),
                target,
                request.credentials(),
                SessionOptions.blankToNull(request.authKind()),
                null);
    }

    /**
     * Links (or re-links {@code targetAccount}) with what a consent yielded ({@code authorized}, the platform's {@code
     * auth.*} entries) and the kind's field values, under the same single-use rules as {@link #link}.
     */
    SessionLinkResult linkConsented(
            ConnectSession session,
            String provider,
            String targetAccount,
            Map<String, String> values,
            Map<String, String> authorized) {
        requireNonNull(authorized, "authorized is null");
        return claimAndLink(
                session,
                () -> QuarkusTransaction.requiringNew().call(() -> usableById(session.id)),
                provider,
                targetAccount,
                values,
                null,
                authorized);
    }

    private SessionLinkResult claimAndLink(
            ConnectSession session,
            Runnable explainLost,
            String provider,
            String targetAccount,
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
            AccountView account = targetAccount != null
                    ? lifecycle.update(
                            session.tenantId, targetAccount, session.originOwnerName, credentials, authorized)
                    : lifecycle
                            .link(
                                    session.tenantId,
                                    new LinkCommand(
                                            session.originOwnerId,
                                            session.originOwnerName,
                                            provider,
                                            credentials,
                                            authKind,
                                            authorized,
                                            session.newAccount ? WhenLive.ADD : WhenLive.REFUSE))
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

    /**
     * The provider a link is for: the requested one when the session allows it, the session's only one, or the
     * account's when the request names one of the existing accounts.
     */
    String providerFor(ConnectSession session, String requested, String requestedAccount) {
        List<String> allowed = session.providerList();
        if (requested == null) {
            if (allowed.size() == 1) {
                return allowed.get(0);
            }
            if (requestedAccount != null) {
                // The account says which; SessionAccounts.target checks it is one the session may re-link.
                return sessionAccounts.existing(session).stream()
                        .filter(a -> a.id.equals(requestedAccount))
                        .map(a -> a.provider)
                        .findFirst()
                        .orElseThrow(SessionAccounts::accountMismatch);
            }
            throw KeylineException.invalid(FailureCode.INVALID_REQUEST, "provider is required.")
                    .field("provider");
        }
        if (!allowed.isEmpty() && !allowed.contains(requested)) {
            throw KeylineException.invalid(
                            FailureCode.PROVIDER_MISMATCH,
                            allowed.size() == 1
                                    ? "This session may only link '" + allowed.get(0) + "'."
                                    : "This session may only link " + String.join(", ", allowed) + ".")
                    .field("provider");
        }
        return requested;
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

    /**
     * A connect URL that opens on its own: the token in the fragment, which browsers never send to a server (nor in
     * a Referer), read by the page's script. Reconnect links and hosted sessions.
     */
    private static String withToken(String connectUrl, String token) {
        return connectUrl + "#token=" + token;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
