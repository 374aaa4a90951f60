package dev.keyline.platform.ratelimit;

import dev.keyline.platform.base.FailureCode;
import dev.keyline.platform.base.KeylineException;
import dev.keyline.platform.base.KeylineException.Kind;
import dev.keyline.platform.base.Roles;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Limits every API call per caller: per tenant (all its keys and tokens share one bucket, so minting more keys
 * buys no more capacity), per operator, and per client address for calls without valid credentials, which
 * also slows down guessing keys or connect tokens. Over the limit: {@code 429 rate_limit_exceeded} with
 * {@code Retry-After}.
 */
public class RateLimitFilter {

    @Inject
    TokenBuckets buckets;

    @Inject
    CurrentIdentityAssociation identities;

    @ServerRequestFilter
    public Uni<Void> limit(HttpServerRequest request) {
        if (!buckets.enabled()) {
            return Uni.createFrom().voidItem();
        }
        return identities
                .getDeferredIdentity()
                // A bad credential is answered 401 by the resource; here it only decides the bucket.
                .onFailure()
                .recoverWithNull()
                .map(identity -> {
                    Optional<Duration> wait = buckets.take(callerKey(identity, request));
                    if (wait.isPresent()) {
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
