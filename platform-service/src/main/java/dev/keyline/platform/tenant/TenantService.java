package dev.keyline.platform.tenant;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.api.KeysetCursor;
import dev.keyline.platform.api.Params;
import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.Tokens;
import dev.keyline.platform.credential.CredentialStore;
import dev.keyline.platform.tenant.TenantDtos.ApiKeyPage;
import dev.keyline.platform.tenant.TenantDtos.ApiKeyView;
import dev.keyline.platform.tenant.TenantDtos.CreatedTenant;
import dev.keyline.platform.tenant.TenantDtos.IssuedApiKey;
import dev.keyline.platform.tenant.TenantDtos.KeyOwner;
import dev.keyline.platform.tenant.TenantDtos.TenantPage;
import dev.keyline.platform.tenant.TenantDtos.TenantView;
import dev.keyline.platform.tenant.TenantDtos.UpdateTenantRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Tenants, their API keys and settings. */
@ApplicationScoped
public class TenantService {
    private static final Logger LOG = Logger.getLogger(TenantService.class);
    // Writing last_used_at on every request would turn each read into a write; a minute is precise enough.
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
    private static final int DISPLAY_PREFIX_LENGTH = Tokens.API_KEY_PREFIX.length() + 4;
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 200;

    @Inject
    TenantRepository tenants;

    @Inject
    ApiKeyRepository apiKeys;

    @Inject
    CredentialStore credentials;

    @Inject
    Event<TenantDeletion> deleting;

    @Inject
    Event<ApiKeyRevoked> revoked;

    Clock clock = Clock.systemUTC();

    /**
     * Creates a tenant and its first API key. The returned {@link CreatedTenant#apiKey()} holds the key in
     * clear; it is not stored and cannot be shown again, so the caller must hand it over (or print it) now.
     *
     * <p>A stable entry point: standalone mode calls it at first start to create its bootstrap tenant.
     *
     * @param name a display name, 1 to 200 characters
     */
    @Transactional
    public CreatedTenant createTenant(String name) {
        return createTenant(name, List.of());
    }

    @Transactional
    public CreatedTenant createTenant(String name, List<String> allowedOrigins) {
        requireNonNull(name, "name is null");
        if (name.isBlank() || name.length() > 200) {
            throw KeylineException.invalid(FailureCode.INVALID_REQUEST, "name must be 1 to 200 characters.")
                    .field("name");
        }
        Instant now = now();
        Tenant tenant = new Tenant();
        tenant.id = Tokens.newId();
        tenant.name = name.strip();
        tenant.allowedOrigins = normalizeOrigins(allowedOrigins == null ? List.of() : allowedOrigins);
        tenant.createdAt = now;
        tenant.updatedAt = now;
        tenants.persist(tenant);
        IssuedApiKey key = issue(tenant.id, "default");
        return new CreatedTenant(TenantView.of(tenant), key);
    }

    @Transactional
    public List<TenantView> list() {
        return tenants.listOrdered().stream().map(TenantView::of).toList();
    }

    /** A page of all tenants in creation order; {@code cursor} is the previous page's {@code next}. */
    @Transactional
    public TenantPage page(String pageSize, String cursor) {
        int size = Params.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        KeysetCursor after = KeysetCursor.decode(cursor);
        var cut = KeysetCursor.slice(
                tenants.page(KeysetCursor.atOf(after), KeysetCursor.idOf(after), size + 1),
                size,
                t -> t.createdAt,
                t -> t.id);
        return new TenantPage(cut.shown().stream().map(TenantView::of).toList(), cut.next());
    }

    /**
     * Whether there is any tenant at all: one row at most is read however many there are, and the query is plain
     * SQL, so a standalone start that only asks this does not wait for a query to be compiled.
     */
    @Transactional
    public boolean any() {
        return !tenants.getEntityManager()
                .createNativeQuery("select 1 from tenants limit 1")
                .getResultList()
                .isEmpty();
    }

    @Transactional
    public TenantView get(String tenantId) {
        return TenantView.of(require(tenantId));
    }

    @Transactional
    public boolean exists(String tenantId) {
        return tenants.findByIdOptional(tenantId).isPresent();
    }

    /** The origins the tenant's pages may embed the connect UI from; empty for an unknown tenant. */
    @Transactional
    public List<String> allowedOrigins(String tenantId) {
        return tenants.findByIdOptional(tenantId)
                .map(t -> List.copyOf(t.allowedOrigins))
                .orElse(List.of());
    }

    /**
     * The tenant's brand as set, members not set being null (a connect session's brand goes over it, then the
     * defaults: {@link Brand#effective}); all null for an unknown tenant.
     */
    @Transactional
    public Brand brand(String tenantId) {
        return tenants.findByIdOptional(tenantId).map(Tenant::brand).orElse(new Brand(null, null, null, null));
    }

    @Transactional
    public TenantView update(String tenantId, UpdateTenantRequest request) {
        requireNonNull(request, "request is null");
        Tenant tenant = require(tenantId);
        if (request.name() != null) {
            if (request.name().isBlank()) {
                throw KeylineException.invalid(FailureCode.INVALID_REQUEST, "name must not be blank.")
                        .field("name");
            }
            tenant.name = request.name().strip();
        }
        if (request.allowedOrigins() != null) {
            tenant.allowedOrigins = normalizeOrigins(request.allowedOrigins());
        }
        if (request.brand() != null) {
            tenant.brand(BrandPatch.apply(tenant.brand(), request.brand()));
        }
        tenant.updatedAt = now();
        return TenantView.of(tenant);
    }

    /**
     * Deletes the tenant with everything it owns. Credentials go first: if that fails nothing else changed
     * and the call can be repeated; if the rows then fail to go, the accounts are left without credentials,
     * which every reader treats as unusable.
     */
    public void delete(String tenantId) {
        if (!exists(tenantId)) {
            throw KeylineException.notFound("Tenant " + tenantId);
        }
        credentials.deleteTenant(tenantId);
        TenantDeletion deletion = new TenantDeletion(tenantId);
        deleting.fire(deletion);
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> tenants.deleteById(tenantId));
        deletion.deleted();
    }

    @Transactional
    public IssuedApiKey issueApiKey(String tenantId, String name) {
        require(tenantId);
        return issue(tenantId, name);
    }

    /** A page of the tenant's keys (revoked ones included) in creation order, never their secrets. */
    @Transactional
    public ApiKeyPage listApiKeys(String tenantId, String pageSize, String cursor) {
        int size = Params.pageSize(pageSize, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        KeysetCursor after = KeysetCursor.decode(cursor);
        require(tenantId);
        var cut = KeysetCursor.slice(
                apiKeys.page(tenantId, KeysetCursor.atOf(after), KeysetCursor.idOf(after), size + 1),
                size,
                k -> k.createdAt,
                k -> k.id);
        return new ApiKeyPage(cut.shown().stream().map(ApiKeyView::of).toList(), cut.next());
    }

    /** One of the tenant's keys (also a revoked one), never its secret; another tenant's key is not found. */
    @Transactional
    public ApiKeyView getApiKey(String tenantId, String keyId) {
        require(tenantId);
        return apiKeys.findForTenant(tenantId, keyId == null ? "" : keyId)
                .map(ApiKeyView::of)
                .orElseThrow(() -> KeylineException.notFound("API key " + keyId));
    }

    /** Revokes a key; revoking a revoked key again is not an error. */
    @Transactional
    public void revokeApiKey(String tenantId, String keyId) {
        require(tenantId);
        ApiKey key =
                apiKeys.findForTenant(tenantId, keyId).orElseThrow(() -> KeylineException.notFound("API key " + keyId));
        if (key.revokedAt == null) {
            key.revokedAt = now();
        }
        revoked.fire(new ApiKeyRevoked(tenantId, keyId));
    }

    /**
     * The owner of a live key with this SHA-256 hash, recording that it was used. Callers cache the answer
     * ({@code auth.ApiKeyIdentityProvider}), so last_used_at is written at most once per cache TTL per replica,
     * which its minute granularity absorbs.
     */
    @Transactional
    public Optional<KeyOwner> authenticateApiKey(String keyHash) {
        return apiKeys.findActiveByHash(keyHash).map(key -> {
            Instant now = now();
            if (key.lastUsedAt == null || key.lastUsedAt.isBefore(now.minus(LAST_USED_GRANULARITY))) {
                key.lastUsedAt = now;
            }
            return new KeyOwner(key.id, key.tenantId);
        });
    }

    private IssuedApiKey issue(String tenantId, String name) {
        String secret = Tokens.generate(Tokens.API_KEY_PREFIX);
        ApiKey key = new ApiKey();
        key.id = Tokens.newId();
        key.tenantId = tenantId;
        key.keyHash = Tokens.sha256(secret);
        key.displayPrefix = secret.substring(0, DISPLAY_PREFIX_LENGTH);
        key.name = name == null || name.isBlank() ? null : name.strip();
        key.createdAt = now();
        apiKeys.persist(key);
        return new IssuedApiKey(key.id, secret, key.displayPrefix, key.name, key.createdAt);
    }

    private Tenant require(String tenantId) {
        return tenants.findByIdOptional(requireNonNull(tenantId, "tenantId is null"))
                .orElseThrow(() -> KeylineException.notFound("Tenant " + tenantId));
    }

    private Instant now() {
        // PostgreSQL keeps microseconds; truncating here keeps what we return equal to what we store.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Origins as a browser sends them ({@link WebOrigins}), duplicates dropped. */
    static List<String> normalizeOrigins(List<String> origins) {
        LinkedHashSet<String> result = new LinkedHashSet<>();
        for (String origin : origins) {
            result.add(normalizeOrigin(origin));
        }
        return new ArrayList<>(result);
    }

    private static String normalizeOrigin(String origin) {
        try {
            return WebOrigins.normalize(origin);
        } catch (WebOrigins.NotAnOrigin e) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_REQUEST,
                            e.getMessage() + " Each allowed origin looks like https://app.example.com (scheme, host"
                                    + " and optional port, as a browser sends it in its Origin header).")
                    .field("allowed_origins");
        }
    }
}
