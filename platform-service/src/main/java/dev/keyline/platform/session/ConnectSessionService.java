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
import dev.keyline.platform.authconfig.AuthConfigStore.AuthConfig;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import dev.keyline.platform.base.Tokens;
import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.connector.ConnectorView;
import dev.keyline.platform.connector.MessageCatalog;
import dev.keyline.platform.session.SessionDtos.CreateSessionRequest;
import dev.keyline.platform.session.SessionDtos.CreatedSession;
import dev.keyline.platform.session.SessionDtos.ExistingAccount;
import dev.keyline.platform.session.SessionDtos.ReconnectLink;
import dev.keyline.platform.session.SessionDtos.RelinkView;
import dev.keyline.platform.session.SessionDtos.SessionLinkRequest;
import dev.keyline.platform.session.SessionDtos.SessionLinkResult;
import dev.keyline.platform.session.SessionDtos.SessionStatusView;
import dev.keyline.platform.session.SessionDtos.SessionView;
import dev.keyline.platform.tenant.Brand;
import dev.keyline.platform.tenant.TenantService;
import dev.keyline.platform.tenant.WebOrigins;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    Clock clock = Clock.systemUTC();

    public CreatedSession create(String tenantId, CreateSessionRequest request) {
        requireNonNull(tenantId, "tenantId is null");
        requireNonNull(request, "request is null");
        Duration ttl = ttl(request.expiresIn());
        List<String> providers = providers(request);
        String locale = locale(request.locale());
        boolean hosted = Boolean.TRUE.equals(request.hosted());
        String returnUrl = returnUrl(tenantId, hosted, blankToNull(request.returnUrl()));
        boolean newAccount = Boolean.TRUE.equals(request.newAccount());
        // TODO(brand): validate request.brand() with tenant.BrandRules once the brand branch is merged.
        Map<String, Object> brand = SessionBrand.toMap(request.brand());
        String token = Tokens.generate(Tokens.SESSION_TOKEN_PREFIX);
        ConnectSession session = QuarkusTransaction.requiringNew().call(() -> {
            String accountId = blankToNull(request.accountId());
            List<String> bound = providers;
            if (accountId != null) {
                LinkedAccount account = accounts.requireUsable(tenantId, accountId);
                if (!account.originOwnerId.equals(request.originOwnerId())) {
                    throw KeylineException.conflict(
                                    FailureCode.ACCOUNT_OWNER_MISMATCH,
                                    "The account belongs to a different origin owner than the session names.")
                            .field("account_id");
                }
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
            String authConfigId = authConfigFor(tenantId, blankToNull(request.authConfigId()), single);
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
        String url = hosted ? withToken(connectUrl(session.id), token) : connectUrl(session.id);
        return new CreatedSession(session.id, token, url, session.expiresAt);
    }

    /**
     * The request's {@code providers} (or {@code provider}), each known, without repeats, in the tenant's order;
     * empty for any.
     */
    private List<String> providers(CreateSessionRequest request) {
        String provider = blankToNull(request.provider());
        List<String> listed = request.providers();
        if (listed == null) {
            if (provider != null) {
                registry.requireDescriptor(provider);
                return List.of(provider);
            }
            return List.of();
        }
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < listed.size(); i++) {
            String id = listed.get(i);
            if (id == null || registry.findDescriptor(id).isEmpty()) {
                throw KeylineException.invalid(
                                FailureCode.UNKNOWN_PROVIDER,
                                "There is no connector '" + (id == null ? "" : id) + "'; GET /v1/connectors lists"
                                        + " them.")
                        .field("providers[" + i + "]");
            }
            ids.add(id);
        }
        if (provider != null && !(ids.size() == 1 && ids.contains(provider))) {
            throw KeylineException.invalid(
                            FailureCode.CONFLICTING_PARAMETERS, "provider and providers disagree; send only providers.")
                    .field("providers");
        }
        return List.copyOf(ids);
    }

    /** The supported language a tag asks for; null when absent, else 400 {@code unsupported_locale}. */
    private static String locale(String tag) {
        if (tag == null) {
            return null;
        }
        return MessageCatalog.supported(tag)
                .orElseThrow(() -> KeylineException.invalid(
                                FailureCode.UNSUPPORTED_LOCALE,
                                "locale must be one of " + String.join(", ", MessageCatalog.LOCALES)
                                        + " (a tag such as de-CH is read as its language).")
                        .field("locale"));
    }

    /**
     * A hosted page sends the person back only to the tenant's own pages: an http(s) URL on one of its allowed
     * origins, so a session cannot be made into an open redirect.
     */
    private String returnUrl(String tenantId, boolean hosted, String returnUrl) {
        if (returnUrl == null) {
            return null;
        }
        if (!hosted) {
            throw KeylineException.invalid(
                            FailureCode.RETURN_URL_NOT_ALLOWED,
                            "return_url is for hosted sessions (hosted: true); an embedded page reports to its host"
                                    + " page instead.")
                    .field("return_url");
        }
        Optional<String> origin = WebOrigins.ofUrl(returnUrl);
        boolean plain = origin.isPresent() && !returnUrl.contains("#");
        if (!plain || !tenants.allowedOrigins(tenantId).contains(origin.get())) {
            throw KeylineException.invalid(
                            FailureCode.RETURN_URL_NOT_ALLOWED,
                            "return_url must be an http(s) URL without a fragment on one of the tenant's allowed"
                                    + " origins (allowed_origins, PATCH /v1/tenant).")
                    .field("return_url");
        }
        return returnUrl;
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
        ConnectSession s =
                newSession(tenantId, token, originOwnerId, originOwnerName, provider, accountId, authConfigId, ttl);
        sessions.persist(s);
        return s;
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

    /** What the connect UI shows for this session; {@code askedLocale} is the page's guess when the session has none. */
    public SessionView describe(String token, String askedLocale) {
        ConnectSession session = QuarkusTransaction.requiringNew().call(() -> resolve(token));
        List<String> providers = session.providerList();
        List<ConnectorView> connectors = registry.descriptors().stream()
                .filter(d -> providers.isEmpty() || providers.contains(d.id()))
                .map(ConnectorView::of)
                .toList();
        RelinkView relink = null;
        List<ExistingAccount> existing = List.of();
        if (session.accountId != null) {
            LinkedAccount account = QuarkusTransaction.requiringNew()
                    .call(() -> accounts.requireUsable(session.tenantId, session.accountId));
            relink = new RelinkView(account.id, account.provider, accounts.nonSecretValues(session.tenantId, account));
        } else {
            existing = existingAccounts(session).stream()
                    .map(a -> new ExistingAccount(
                            a.id, a.provider, a.status, accounts.nonSecretValues(session.tenantId, a)))
                    .toList();
        }
        String locale = session.locale != null
                ? session.locale
                : MessageCatalog.supported(askedLocale).orElse(null);
        Map<String, String> messages = locale == null
                ? Map.of()
                : catalog.messages(
                        locale, connectors.stream().map(ConnectorView::id).toList());
        // TODO(brand): the tenant's stored brand once the brand branch is merged; until then the defaults.
        Brand tenantBrand = null;
        Brand brand = Brand.effective(SessionBrand.fromMap(session.brand), tenantBrand);
        String tenantName = tenants.get(session.tenantId).name();
        return new SessionView(
                tenantName,
                session.originOwnerName,
                session.expiresAt,
                connectors,
                relink,
                providers,
                brand,
                locale,
                messages,
                session.hosted,
                session.returnUrl,
                session.newAccount,
                existing);
    }

    /** The origin owner's live accounts of the session's providers (of any when it names none). */
    private List<LinkedAccount> existingAccounts(ConnectSession session) {
        return QuarkusTransaction.requiringNew()
                .call(() -> accountRows.listLive(session.tenantId, session.originOwnerId, session.providerList()));
    }

    /**
     * The account a link through this session writes: the session's own re-link account, the one of its existing
     * accounts the request names ({@code account_id}), or null for a new account. 400 {@code account_mismatch} when
     * the request names another.
     */
    String targetAccount(ConnectSession session, String provider, String requestedAccountId) {
        if (requestedAccountId == null) {
            return session.accountId;
        }
        if (session.accountId != null) {
            if (!session.accountId.equals(requestedAccountId)) {
                throw accountMismatch();
            }
            return session.accountId;
        }
        LinkedAccount account = existingAccounts(session).stream()
                .filter(a -> a.id.equals(requestedAccountId))
                .findFirst()
                .orElseThrow(ConnectSessionService::accountMismatch);
        if (!account.provider.equals(provider)) {
            throw accountMismatch();
        }
        return account.id;
    }

    /**
     * Refuses early, before the provider is asked, a plain link for an owner who already has a live account of the
     * provider: the page must say reconnect (with {@code account_id}) or the tenant must have asked for a new one.
     * The link itself checks again ({@link WhenLive#REFUSE}).
     */
    void refuseIfExists(ConnectSession session, String provider, String targetAccount) {
        if (targetAccount != null || session.newAccount) {
            return;
        }
        Optional<LinkedAccount> live = QuarkusTransaction.requiringNew()
                .call(() -> accountRows.findLive(session.tenantId, session.originOwnerId, provider));
        if (live.isPresent()) {
            throw AccountLifecycle.accountExists(live.get());
        }
    }

    private static KeylineException accountMismatch() {
        return KeylineException.invalid(
                        FailureCode.ACCOUNT_MISMATCH,
                        "account_id is not one of this session's existing accounts of that provider.")
                .field("account_id");
    }

    /** Links with the session's token. Spends the token only when the link succeeds. */
    public SessionLinkResult link(String token, SessionLinkRequest request) {
        requireNonNull(request, "request is null");
        ConnectSession session = QuarkusTransaction.requiringNew().call(() -> resolve(token));
        String requestedAccount = blankToNull(request.accountId());
        String provider = providerFor(session, blankToNull(request.provider()), requestedAccount);
        ConnectorDescriptor descriptor = registry.requireDescriptor(provider);
        String target = targetAccount(session, descriptor.id(), requestedAccount);
        refuseIfExists(session, descriptor.id(), target);
        return claimAndLink(
                session,
                () -> QuarkusTransaction.requiringNew().call(() -> resolve(token)),
                descriptor.id(),
                target,
                request.credentials(),
                blankToNull(request.authKind()),
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
                // The account says which; targetAccount checks it is one the session may re-link.
                return existingAccounts(session).stream()
                        .filter(a -> a.id.equals(requestedAccount))
                        .map(a -> a.provider)
                        .findFirst()
                        .orElseThrow(ConnectSessionService::accountMismatch);
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
