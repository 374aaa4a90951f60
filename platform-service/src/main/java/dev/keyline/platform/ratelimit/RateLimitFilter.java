package dev.keyline.platform.ratelimit;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import dev.keyline.platform.base.Roles;
import dev.keyline.platform.observe.KeylineMetrics;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.time.Duration;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Limits every API call per caller: per tenant (all its keys and tokens share one bucket, so minting more keys
 * buys no more capacity), per operator, and per client address for calls without valid credentials, which
 * also slows down guessing keys or connect tokens. Over the limit: {@code 429 rate_limit_exceeded} with
 * {@code Retry-After}. Every answer to a limited caller carries its budget: {@code RateLimit-Limit} (the burst),
 * {@code RateLimit-Remaining} (requests it may still send at once) and {@code RateLimit-Reset} (seconds until the
 * bucket is full again).
 */
public class RateLimitFilter {
    private static final String BUDGET = RateLimitFilter.class.getName() + ".budget";

    @Inject
    TokenBuckets buckets;

    @Inject
    CurrentIdentityAssociation identities;

    @Inject
    KeylineMetrics metrics;

    @ServerRequestFilter
    public Uni<Void> limit(ContainerRequestContext context, HttpServerRequest request) {
        if (!buckets.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return identities
                .getDeferredIdentity()
                // A bad credential is answered 401 by the resource; here it only decides the bucket.
                .onFailure()
                .recoverWithNull()
                .map(identity -> {
                    String key = callerKey(identity, request);
                    TokenBuckets.Budget budget = buckets.spend(key);
                    context.setProperty(BUDGET, budget);
                    Optional<Duration> wait = budget.retryAfter();
                    if (wait.isPresent()) {
                        metrics.rateLimitRejected(callerKind(key));
                        throw KeylineException.of(
                                        Kind.RATE_LIMITED,
                                        FailureCode.RATE_LIMIT_EXCEEDED,
                                        "Too many requests",
                                        "This caller sent more requests than its limit allows; retry after the"
                                                + " number of seconds in Retry-After.")
                                .retryAfter(wait.get());
                    }
                    return null;
                });
    }

    /** The caller's budget on every answer it gets, refusals included, so a client can pace itself. */
    @ServerResponseFilter
    public void announce(ContainerRequestContext context, ContainerResponseContext response) {
        if (context.getProperty(BUDGET) instanceof TokenBuckets.Budget budget) {
            var headers = response.getHeaders();
            headers.putSingle("RateLimit-Limit", budget.limit());
            headers.putSingle("RateLimit-Remaining", budget.remaining());
            headers.putSingle("RateLimit-Reset", seconds(budget.untilFull()));
        }
    }

    /** Rounded up: a client waiting the floor would find the bucket not quite full. */
    static long seconds(Duration duration) {
        return (duration.toMillis() + 999) / 1000;
    }

    /** The kind of caller a bucket key names: a label, unlike the key (which holds a tenant id or an address). */
    static String callerKind(String key) {
        if (key.startsWith("tenant:")) {
            return "tenant";
        }
        return key.startsWith("principal:") ? "operator" : "anonymous";
    }

    static String callerKey(SecurityIdentity identity, HttpServerRequest request) {
        if (identity != null && !identity.isAnonymous()) {
            Object tenant = identity.getAttribute(Roles.TENANT_ID_ATTRIBUTE);
            if (tenant != null) {
                return "tenant:" + tenant;
            }
            return "principal:" + identity.getPrincipal().getName();
        }
        var address = request.remoteAddress();
        return "address:" + (address == null ? "unknown" : address.hostAddress());
    }
}
