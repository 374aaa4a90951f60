package dev.keyline.platform.egress;

import static java.util.Objects.requireNonNull;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.egress.TenantEgressStore.Allowances;
import dev.keyline.platform.tenant.TenantService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The egress policy each tenant's connectors work under: the operator's rules ({@code keyline.egress.*}) plus
 * the networks an operator allowed for that tenant alone ({@code PUT /tenants/{id}/egress}). Another tenant's
 * allowances never apply, and webhooks have a policy of their own that allows none of these.
 *
 * <p>Policies are cached per tenant for {@code keyline.egress.tenant-cache-ttl}: a change made on this replica
 * applies at once, one made on another replica within that time.
 */
@ApplicationScoped
public class TenantEgress {
    private static final Logger LOG = Logger.getLogger(TenantEgress.class);
    static final int MAX_ENTRIES = 256;
    private static final int MAX_CACHED = 10_000;

    private record Cached(EgressPolicy policy, long expiresAtNanos) {}

    private final AtomicLong changes = new AtomicLong();
    private final TenantEgressStore store;
    private final TenantService tenants;
    private final EgressConfig config;
    private final EgressPolicy.Rules base;
    private final Map<String, Cached> policies = new ConcurrentHashMap<>();

    public TenantEgress(TenantEgressStore store, TenantService tenants, EgressConfig config) {
        this.store = requireNonNull(store, "store is null");
        this.tenants = requireNonNull(tenants, "tenants is null");
        this.config = requireNonNull(config, "config is null");
        this.base = config.rules();
        if (!base.allowCidrs().isEmpty() || !base.allowHosts().isEmpty()) {
            LOG.warnf("keyline.egress.allow-cidrs/allow-hosts apply to every tenant's connectors (never to webhooks);"
                    + " allow a network that belongs to one customer with PUT /tenants/{id}/egress instead");
        }
    }

    /** The policy the tenant's connectors work under now. */
    public EgressPolicy policyFor(String tenantId) {
        requireNonNull(tenantId, "tenantId is null");
        long now = System.nanoTime();
        Cached cached = policies.get(tenantId);
        if (cached != null && now - cached.expiresAtNanos() < 0) {
            return cached.policy();
        }
        long changesBefore = changes.get();
        Allowances allowances = store.find(tenantId).orElse(Allowances.NONE);
        EgressPolicy policy = new EgressPolicy(combined(allowances));
        if (policies.size() >= MAX_CACHED) {
            policies.clear();
        }
        // A change committed while this read ran may have been read before it: such a policy serves this call
        // only, so a narrowed allowance applies on this replica at once, not after the cache's lifetime.
        if (changes.get() == changesBefore) {
            policies.put(
                    tenantId, new Cached(policy, now + config.tenantCacheTtl().toNanos()));
        }
        return policy;
    }

    /** The tenant's own allowances (not the operator-wide ones); 404 when there is no such tenant. */
    public Allowances get(String tenantId) {
        tenants.get(tenantId);
        return store.find(tenantId).orElse(Allowances.NONE);
    }

    /** Replaces the tenant's allowances after checking every entry; 400 naming the first bad one. */
    public Allowances put(String tenantId, List<String> allowCidrs, List<String> allowHosts) {
        tenants.get(tenantId);
        List<String> cidrs = cleaned(allowCidrs, "allow_cidrs");
        List<String> hosts = cleaned(allowHosts, "allow_hosts");
        try {
            new EgressPolicy(new EgressPolicy.Rules(false, cidrs, hosts, List.of()));
        } catch (IllegalArgumentException e) {
            String field =
                    e.getMessage() != null && e.getMessage().contains("allow-hosts") ? "allow_hosts" : "allow_cidrs";
            throw KeylineException.invalid(FailureCode.INVALID_REQUEST, e.getMessage())
                    .field(field);
        }
        if (!store.put(tenantId, cidrs, hosts)) {
            throw KeylineException.notFound("Tenant " + tenantId);
        }
        changes.incrementAndGet();
        policies.remove(tenantId);
        LOG.infof(
                "Egress allowances of tenant %s set: %d CIDR blocks, %d host patterns",
                tenantId, cidrs.size(), hosts.size());
        return store.find(tenantId).orElse(Allowances.NONE);
    }

    private EgressPolicy.Rules combined(Allowances own) {
        if (own.allowCidrs().isEmpty() && own.allowHosts().isEmpty()) {
            return base;
        }
        List<String> cidrs = new ArrayList<>(base.allowCidrs());
        cidrs.addAll(own.allowCidrs());
        List<String> hosts = new ArrayList<>(base.allowHosts());
        hosts.addAll(own.allowHosts());
        return new EgressPolicy.Rules(base.allowHttp(), cidrs, hosts, base.denyCidrs());
    }

    private static List<String> cleaned(List<String> entries, String field) {
        if (entries == null) {
            return List.of();
        }
        if (entries.size() > MAX_ENTRIES) {
            throw KeylineException.invalid(
                            FailureCode.INVALID_REQUEST, field + " may hold at most " + MAX_ENTRIES + " entries.")
                    .field(field);
        }
        LinkedHashSet<String> kept = new LinkedHashSet<>();
        for (String entry : entries) {
            if (entry == null || entry.isBlank() || entry.length() > 253) {
                throw KeylineException.invalid(
                                FailureCode.INVALID_REQUEST, field + " entries must be 1–253 characters.")
                        .field(field);
            }
            kept.add(entry.strip());
        }
        return List.copyOf(kept);
    }
}
