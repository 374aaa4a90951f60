package dev.keyline.platform.session;

import static java.util.Objects.requireNonNull;

import dev.keyline.connector.spi.AuthKind;
import dev.keyline.connector.spi.ConnectorDescriptor;
import dev.keyline.connector.spi.ConnectorException;
import dev.keyline.connector.spi.CredentialField;
import dev.keyline.platform.base.ConnectorFailures;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Tokens;
import dev.keyline.platform.connector.ConnectorRegistry;
import dev.keyline.platform.connector.TokenFailureDiagnoses;
import dev.keyline.platform.egress.HostOverrides;
import dev.keyline.platform.egress.TenantEgress;
import dev.keyline.platform.oauth.KindGrants;
import dev.keyline.platform.oauth.OAuthApp;
import dev.keyline.platform.oauth.OAuthApps;
import dev.keyline.platform.oauth.OAuthValues;
import dev.keyline.platform.oauth.Pkce;
import dev.keyline.platform.oauth.TokenClient;
import dev.keyline.platform.oauth.TokenSet;
import dev.keyline.platform.session.OAuthFlowSeal.Secrets;
import dev.keyline.platform.session.SessionDtos.OAuthStartRequest;
import dev.keyline.platform.session.SessionDtos.OAuthStartResult;
import dev.keyline.platform.session.SessionDtos.SessionLinkResult;
import dev.keyline.platform.tenant.TenantService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * The authorization code kind in a connect session: {@link #start} sends the person to the provider with a {@code
 * state} bound to the session (single use, expiring with it) and a PKCE S256 challenge; {@link #complete} takes the
 * provider's answer at {@code <connect base>/oauth/callback}, exchanges the code with the verifier and links (or
 * re-links) through the session. Nothing is linked, and the session stays usable, unless all of it succeeds.
 */
@ApplicationScoped
public class OAuthFlowService {
    private static final Logger LOG = Logger.getLogger(OAuthFlowService.class);
    private static final Pattern LEADING_FIELD = Pattern.compile("^(?:[a-z][a-z0-9+.-]*://)?\\{([a-z][a-z0-9_]*)}");

    @Inject
    SessionAccounts sessionAccounts;

    @Inject
    ConnectSessionService sessions;

    @Inject
    OAuthFlowRepository flows;

    @Inject
    ConnectorRegistry registry;

    @Inject
    OAuthApps apps;

    @Inject
    TenantEgress egress;

    @Inject
    TokenClient tokens;

    @Inject
    TokenFailureDiagnoses diagnoses;

    @Inject
    HostOverrides hostOverrides;

    @Inject
    ConnectOAuthRedirect redirect;

    @Inject
    ConnectSessionRepository sessionRows;

    @Inject
    TenantService tenants;

    Clock clock = Clock.systemUTC();

    /**
     * The callback's outcome, for its page: a linked account, or a failure's code and plain sentence; and, when the
     * flow is known, how it was opened and where the page may report it.
     *
     * @param display {@code popup} or {@code redirect}; null when the flow is unknown
     * @param hosted whether the session was opened on its own (hosted), so the page returns to {@code returnUrl}
     * @param allowedOrigins the tenant's allowed origins: the only targets the page may post the outcome to
     */
    public record Outcome(
            String accountId,
            String provider,
            String providerName,
            boolean relink,
            String code,
            String message,
            String sessionId,
            String display,
            boolean hosted,
            String returnUrl,
            List<String> allowedOrigins) {
        public Outcome {
            allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        }

        public boolean success() {
            return accountId != null;
        }

        static Outcome failure(String code, String message, String provider) {
            return new Outcome(null, provider, null, false, code, message, null, null, false, null, List.of());
        }

        static Outcome linked(String accountId, String provider, String providerName, boolean relink) {
            return new Outcome(
                    accountId, provider, providerName, relink, null, null, null, null, false, null, List.of());
        }

        Outcome inFlow(OAuthFlow flow, ConnectSession session, List<String> origins) {
            return new Outcome(
                    accountId,
                    provider,
                    providerName,
                    relink,
                    code,
                    message,
                    flow.sessionId,
                    flow.display,
                    session != null && session.hosted,
                    session == null ? null : session.returnUrl,
                    origins);
        }
    }

    /** Starts a consent; a start in the same session supersedes the one before. */
    public OAuthStartResult start(String token, OAuthStartRequest request) {
        requireNonNull(request, "request is null");
        ConnectSession session = sessions.usable(token);
        String display = SessionOptions.display(request.display());
        String requestedAccount = blank(request.accountId()) ? null : request.accountId();
        String provider =
                sessions.providerFor(session, blank(request.provider()) ? null : request.provider(), requestedAccount);
        ConnectorDescriptor descriptor = registry.requireDescriptor(provider);
        String target = sessionAccounts.target(session, descriptor.id(), requestedAccount);
        sessionAccounts.refuseIfExists(session, descriptor.id(), target);
        AuthKind kind = consentKind(descriptor);
        Map<String, String> values =
                kindValues(descriptor, kind, request.values() == null ? Map.of() : request.values());
        OAuthApp app = apps.forConsent(session.tenantId, provider, session.authConfigId);
        String authorizeUrl = screened(session.tenantId, kind.authorizeUrl().orElseThrow(), values);
        screened(session.tenantId, kind.tokenUrl().orElseThrow(), values);

        String state = Pkce.random(32);
        String verifier = Pkce.verifier();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", app.clientId());
        query.put("redirect_uri", redirectUri());
        String scope = KindGrants.scope(kind, app.scopes(), values);
        if (!scope.isEmpty()) {
            query.put("scope", scope);
        }
        query.put("state", state);
        query.put("code_challenge", Pkce.challenge(verifier));
        query.put("code_challenge_method", "S256");
        kind.authorizeParams().forEach((k, v) -> query.putIfAbsent(k, AuthKind.expand(v, values)));

        Instant now = now();
        OAuthFlow flow = new OAuthFlow();
        flow.id = Tokens.newId();
        flow.sessionId = session.id;
        flow.tenantId = session.tenantId;
        flow.provider = provider;
        flow.stateHash = Tokens.sha256(state);
        flow.appRef = app.ref();
        flow.sealed = OAuthFlowSeal.seal(state, flow.id, new Secrets(verifier, values));
        flow.createdAt = now;
        flow.expiresAt = session.expiresAt;
        flow.display = display;
        flow.accountId = target;
        QuarkusTransaction.requiringNew().run(() -> {
            flows.supersede(session.id);
            flows.persist(flow);
        });
        return new OAuthStartResult(authorizeUrl + (authorizeUrl.contains("?") ? "&" : "?") + form(query));
    }

    /**
     * The provider's answer. The flow is claimed first (single use) whatever the answer, so a replayed or refused
     * callback can never be answered again; the session itself is spent only by a successful link.
     */
    public Outcome complete(String code, String state, String error, String errorDescription) {
        if (blank(state)) {
            return stateInvalid(null);
        }
        Optional<OAuthFlow> claimed =
                QuarkusTransaction.requiringNew().call(() -> flows.claim(Tokens.sha256(state), now()));
        if (claimed.isEmpty()) {
            return stateInvalid(null);
        }
        OAuthFlow flow = claimed.get();
        Outcome outcome = answer(flow, code, state, error, errorDescription);
        // Read whether or not the session can still link: the page needs its way back even after a failure.
        ConnectSession session = QuarkusTransaction.requiringNew()
                .call(() -> sessionRows.findByIdOptional(flow.sessionId).orElse(null));
        return outcome.inFlow(flow, session, tenants.allowedOrigins(flow.tenantId));
    }

    private Outcome answer(OAuthFlow flow, String code, String state, String error, String errorDescription) {
        ConnectSession session;
        try {
            session = QuarkusTransaction.requiringNew().call(() -> sessions.usableById(flow.sessionId));
        } catch (KeylineException e) {
            return Outcome.failure(e.code(), e.detail(), flow.provider);
        }
        if (!blank(error)) {
            return providerRefused(flow.provider, error, errorDescription);
        }
        if (blank(code)) {
            return Outcome.failure(
                    FailureCode.OAUTH_STATE_INVALID.wire(),
                    "The provider sent no authorization code. Start connecting again.",
                    flow.provider);
        }
        Secrets secrets;
        try {
            secrets = OAuthFlowSeal.open(state, flow.id, flow.sealed);
        } catch (IllegalStateException e) {
            return stateInvalid(flow.provider);
        }
        try {
            ConnectorDescriptor descriptor = registry.requireDescriptor(flow.provider);
            AuthKind kind = consentKind(descriptor);
            OAuthApp app = apps.byRef(flow.tenantId, flow.provider, flow.appRef)
                    .orElseThrow(() -> KeylineException.invalid(
                            FailureCode.OAUTH_APP_MISSING,
                            "The OAuth app this sign-in started with no longer exists. Start connecting again."));
            TokenSet granted = diagnoses.explained(
                    descriptor.id(),
                    kind,
                    () -> tokens.authorizationCode(
                            flow.tenantId,
                            KindGrants.tokenUrl(kind, secrets.values()),
                            KindGrants.appClient(kind, app),
                            code,
                            redirectUri(),
                            secrets.verifier(),
                            KindGrants.params(kind, secrets.values())));
            Map<String, String> authorized = OAuthValues.withTokens(
                    Map.of(
                            OAuthValues.KIND,
                            AuthKind.Type.OAUTH2_AUTHORIZATION_CODE.wireName(),
                            OAuthValues.APP,
                            app.ref()),
                    granted);
            SessionLinkResult linked =
                    sessions.linkConsented(session, flow.provider, flow.accountId, secrets.values(), authorized);
            return Outcome.linked(
                    linked.accountId(), linked.provider(), descriptor.displayName(), flow.accountId != null);
        } catch (ConnectorException e) {
            KeylineException problem = ConnectorFailures.validationFailed(e);
            return Outcome.failure(
                    e.messageCode() != null ? e.messageCode() : problem.code(), problem.detail(), flow.provider);
        } catch (KeylineException e) {
            return Outcome.failure(e.code(), e.detail(), flow.provider);
        }
    }

    private Outcome providerRefused(String provider, String error, String description) {
        String code = error.matches("[a-z_]{1,64}") ? error : "invalid_request";
        if (code.equals("access_denied")) {
            return Outcome.failure(
                    "access_denied", "You declined access at the provider, so nothing was connected.", provider);
        }
        String said = blank(description)
                ? ""
                : " The provider said: "
                        + (description.length() > 200 ? description.substring(0, 200) + "…" : description);
        LOG.infof("An OAuth consent for %s ended with the provider's error %s", provider, code);
        return Outcome.failure(
                "auth." + code, "The provider did not authorize the connection (" + code + ")." + said, provider);
    }

    private static Outcome stateInvalid(String provider) {
        return Outcome.failure(
                FailureCode.OAUTH_STATE_INVALID.wire(),
                "This sign-in link is unknown, was already used or has expired. Start connecting again.",
                provider);
    }

    /** The connector's authorization code kind, else 422 {@code auth_kind_unsupported}. */
    private static AuthKind consentKind(ConnectorDescriptor descriptor) {
        return descriptor
                .authKind(AuthKind.Type.OAUTH2_AUTHORIZATION_CODE)
                .orElseThrow(() -> KeylineException.of(
                                KeylineException.Kind.UNPROCESSABLE,
                                FailureCode.AUTH_KIND_UNSUPPORTED,
                                "Not supported by this connector",
                                "The connector '" + descriptor.id() + "' is not connected by signing in at the"
                                        + " provider; fill in its form instead.")
                        .field("provider"));
    }

    /** The kind's connector fields from the request: all of them, nothing else. */
    private Map<String, String> kindValues(ConnectorDescriptor descriptor, AuthKind kind, Map<String, String> given) {
        List<String> keys = kind.fieldKeys();
        Set<String> optional = new java.util.HashSet<>();
        descriptor.fields().stream()
                .filter(f -> f.fill() != CredentialField.Fill.REQUIRED)
                .forEach(f -> optional.add(f.key()));
        for (String key : given.keySet()) {
            if (!keys.contains(key)) {
                throw KeylineException.invalid(
                                FailureCode.UNKNOWN_FIELD, "`" + key + "` is not a field of this sign-in.")
                        .field("values." + key);
            }
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : keys) {
            String value = given.get(key);
            if (blank(value) && optional.contains(key)) {
                continue;
            }
            if (blank(value)) {
                throw KeylineException.invalid(FailureCode.INVALID_REQUEST, "`" + key + "` is required.")
                        .field("values." + key);
            }
            values.put(key, value.strip());
        }
        return values;
    }

    /** The template filled and checked against the tenant's egress policy, refusals on the field that made it. */
    private String screened(String tenantId, String template, Map<String, String> values) {
        String field = leadingField(template).map(k -> "values." + k).orElse("provider");
        try {
            String url = hostOverrides.apply(AuthKind.expand(template, values));
            egress.policyFor(tenantId).destination(url);
            return url;
        } catch (ConnectorException e) {
            String named = e.field().map(k -> "values." + k).orElse(field);
            throw ConnectorFailures.validationFailed(e).field(named);
        }
    }

    /** The field a URL template's host comes from ({@code {base_url}/…} or {@code https://{domain}/…}), if any. */
    static Optional<String> leadingField(String template) {
        Matcher m = LEADING_FIELD.matcher(template);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    String redirectUri() {
        return redirect.uri();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String form(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return out.toString();
    }
}
